package kubefake.store.registry.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.certs.CertificateRequest;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;
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
    static final List<String> USAGES = List.of("signing", "digital signature", "content commitment", "key encipherment",
            "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only", "decipher only", "any",
            "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system", "ipsec tunnel",
            "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc");
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
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode u : spec.path("usages")) {
            FieldPath at = specPath.child("usages").index(i++);
            String usage = u.asText("");
            if (!USAGES.contains(usage)) errs.add(FieldError.notSupported(at, usage, USAGES));
            else if (!seen.add(usage)) errs.add(FieldError.duplicate(at, usage));
        }
        errs.addAll(signerName(specPath.child("signerName"), spec.path("signerName").asText("")));
        JsonNode expiration = spec.get("expirationSeconds");
        if (expiration != null && !expiration.isNull() && expiration.asLong() < 600) {
            errs.add(FieldError.invalid(specPath.child("expirationSeconds"), expiration.asLong(),
                    "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        errs.addAll(conditions(csr.path("status").path("conditions")));
        return errs;
    }

    /** ValidateSignerName: a domain, a slash, and a path. */
    static List<FieldError> signerName(FieldPath path, String name) {
        if (name.isEmpty()) return List.of(FieldError.required(path, ""));
        int slash = name.indexOf('/');
        if (slash < 0 || name.indexOf('/', slash + 1) >= 0) return List.of(FieldError.invalid(path, name, SIGNER_FORMAT));
        String domain = name.substring(0, slash);
        String signer = name.substring(slash + 1);
        List<FieldError> errs = new ArrayList<>();
        if (signer.isEmpty()) errs.add(FieldError.invalid(path, name, "validating " + name + ": the path must not be empty"));
        if (!domain.contains(".") || !domain.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
            errs.add(FieldError.invalid(path, name, SIGNER_FORMAT));
        }
        return errs;
    }

    private static List<FieldError> conditions(JsonNode conditions) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> types = new HashSet<>();
        int i = 0;
        for (JsonNode c : conditions) {
            FieldPath at = FieldPath.of("status", "conditions").index(i++);
            String type = c.path("type").asText("");
            if (type.isEmpty()) errs.add(FieldError.required(at.child("type"), ""));
            boolean decision = type.equals("Approved") || type.equals("Denied");
            if ((decision || type.equals("Failed")) && !types.add(type)) errs.add(FieldError.duplicate(at.child("type"), type));
            if (decision && !c.path("status").asText("").equals("True")) {
                errs.add(FieldError.notSupported(at.child("status"), c.path("status").asText(""), List.of("True")));
            }
            if (decision && types.contains("Approved") && types.contains("Denied")) {
                errs.add(FieldError.invalid(at.child("type"), type, "Approved and Denied conditions are mutually exclusive"));
            }
        }
        return errs;
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
