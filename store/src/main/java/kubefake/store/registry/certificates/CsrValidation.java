package kubefake.store.registry.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.certs.CertificateRequest;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.registry.validation.Formats;
import kubefake.store.registry.validation.NameRule;
import kubefake.store.registry.validation.ObjectMetaValidation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ValidateCertificateSigningRequestCreate and the update checks of pkg/apis/certificates/validation: the request
 * parses as a signed PKCS #10 request, the signer name is a domain and a path, the usages are known and unique,
 * expirationSeconds is at least ten minutes, and Approved and Denied exclude each other.
 */
final class CsrValidation {
    /** Every usage the API knows, sorted as the NotSupported error lists them. */
    static final List<String> USAGES = List.of("any", "cert sign", "client auth", "code signing", "content commitment",
            "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only",
            "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc",
            "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping");
    static final String LEGACY_SIGNER = "kubernetes.io/legacy-unknown";
    private static final String SIGNER_FORMAT = "must be a fully qualified domain and path of the form 'example.com/signer-name'";

    private CsrValidation() {
    }

    static List<FieldError> validate(ObjectNode csr, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(csr.path("metadata"), false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(csr.path("metadata"), old.path("metadata")));
        JsonNode spec = csr.path("spec");
        FieldPath specPath = FieldPath.of("spec");
        byte[] request = requestBytes(spec.path("request"));
        try {
            CertificateRequest.parse(request);
        } catch (CertificateRequest.InvalidRequestException e) {
            errs.add(FieldError.invalid(specPath.child("request"), goBytes(request), e.getMessage()));
        }
        if (spec.path("usages").size() == 0) {
            errs.add(FieldError.required(specPath.child("usages"), ""));
        }
        int i = 0;
        for (JsonNode u : spec.path("usages")) {
            String usage = u.asText("");
            if (!USAGES.contains(usage)) errs.add(FieldError.notSupported(specPath.child("usages").index(i), usage, USAGES));
            i++;
        }
        Set<String> seen = new HashSet<>();
        i = 0;
        for (JsonNode u : spec.path("usages")) {
            if (!seen.add(u.asText(""))) errs.add(FieldError.duplicate(specPath.child("usages").index(i), u.asText("")));
            i++;
        }
        String signerName = spec.path("signerName").asText("");
        if (signerName.equals(LEGACY_SIGNER)) {
            errs.add(FieldError.invalid(specPath.child("signerName"), signerName, "the legacy signerName is not allowed via this API version"));
        } else {
            errs.addAll(signerName(specPath.child("signerName"), signerName));
        }
        JsonNode expiration = spec.get("expirationSeconds");
        if (expiration != null && !expiration.isNull() && expiration.asLong() < 600) {
            errs.add(FieldError.invalid(specPath.child("expirationSeconds"), expiration.asLong(),
                    "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        errs.addAll(conditions(csr.path("status").path("conditions")));
        if (old != null) {
            for (String type : List.of("Approved", "Denied", "Failed")) {
                if (count(csr, type) < count(old, type)) {
                    errs.add(FieldError.forbidden(FieldPath.of("status", "conditions"), "updates may not remove a condition of type \"" + type + "\""));
                }
            }
            String certificate = csr.path("status").path("certificate").asText("");
            String oldCertificate = old.path("status").path("certificate").asText("");
            if (!oldCertificate.isEmpty() && !certificate.equals(oldCertificate)) {
                errs.add(FieldError.forbidden(FieldPath.of("status", "certificate"), "updates may not modify existing certificate content"));
            }
        }
        return errs;
    }

    /** ValidateSignerName: a domain of at least two DNS labels, one slash, and a path of DNS subdomains. */
    static List<FieldError> signerName(FieldPath path, String name) {
        if (name.isEmpty()) return List.of(FieldError.required(path, ""));
        String[] segments = name.split("/", -1);
        if (segments.length != 2) return List.of(FieldError.invalid(path, name, SIGNER_FORMAT));
        List<FieldError> errs = new ArrayList<>();
        if (segments[0].length() > 253) errs.add(FieldError.tooLong(path, 253));
        String[] domainLabels = segments[0].split("\\.", -1);
        for (String label : domainLabels) {
            List<String> problems = Formats.isDNS1123Label(label);
            problems.forEach(p -> errs.add(FieldError.invalid(path, segments[0], "validating label \"" + label + "\": " + p)));
            if (!problems.isEmpty()) break;
        }
        if (domainLabels.length < 2) {
            errs.add(FieldError.invalid(path, segments[0], "should be a domain with at least two segments separated by dots"));
        }
        for (String label : segments[1].split("\\.", -1)) {
            List<String> problems = Formats.isDNS1123Subdomain(label);
            problems.forEach(p -> errs.add(FieldError.invalid(path, segments[1], "validating label \"" + label + "\": " + p)));
            if (!problems.isEmpty()) break;
        }
        int max = 253 + 253 + 63 + 1 + 1;
        if (name.length() > max) errs.add(FieldError.tooLong(path, max));
        return errs;
    }

    /** validateConditions: a type, a status (True only for Approved, Denied and Failed), each type once, not both decisions. */
    private static List<FieldError> conditions(JsonNode conditions) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean approved = false;
        boolean denied = false;
        int i = 0;
        for (JsonNode c : conditions) {
            FieldPath at = FieldPath.of("status", "conditions").index(i++);
            String type = c.path("type").asText("");
            String status = c.path("status").asText("");
            if (type.isEmpty()) errs.add(FieldError.required(at.child("type"), ""));
            List<String> allowed = List.of("Approved", "Denied", "Failed").contains(type) ? List.of("True") : List.of("False", "True", "Unknown");
            if (status.isEmpty()) errs.add(FieldError.required(at.child("status"), ""));
            else if (!allowed.contains(status)) errs.add(FieldError.notSupported(at.child("status"), status, allowed));
            if (type.equals("Approved")) {
                approved = true;
                if (denied) errs.add(FieldError.invalid(at.child("type"), type, "Approved and Denied conditions are mutually exclusive"));
            } else if (type.equals("Denied")) {
                denied = true;
                if (approved) errs.add(FieldError.invalid(at.child("type"), type, "Approved and Denied conditions are mutually exclusive"));
            }
            if (!seen.add(type)) errs.add(FieldError.duplicate(at.child("type"), type));
        }
        return errs;
    }

    private static int count(JsonNode csr, String type) {
        int n = 0;
        for (JsonNode c : csr.path("status").path("conditions")) if (type.equals(c.path("type").asText())) n++;
        return n;
    }

    /** spec.request is []byte: base64 in JSON. */
    static byte[] requestBytes(JsonNode request) {
        try {
            return Base64.getDecoder().decode(request.asText(""));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** A []byte as Go's %#v prints it in a field error: {@code []byte{0x2d, 0x2d}} ({@code []byte(nil)} when empty). */
    static GoLiteral goBytes(byte[] bytes) {
        if (bytes.length == 0) return new GoLiteral("[]byte(nil)");
        StringBuilder text = new StringBuilder("[]byte{");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) text.append(", ");
            text.append(String.format("0x%x", bytes[i] & 0xff));
        }
        return new GoLiteral(text.append('}').toString());
    }
}
