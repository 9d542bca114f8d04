package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.util.ArrayList;
import java.util.List;

/**
 * apiregistration.k8s.io/v1 validation (kube-aggregator's {@code pkg/apis/apiregistration/validation}): an APIService
 * is named {@code version.group}, its priorities are bounded, and a local one (no service) carries no CA bundle.
 */
final class ApiRegistrationValidation {

    private ApiRegistrationValidation() {
    }

    static List<FieldError> apiService(ObjectNode service, ObjectNode old) {
        JsonNode spec = service.path("spec");
        String group = Json.text(spec, "group");
        String version = Json.text(spec, "version");
        String requiredName = version + "." + group;
        NameRule versionDotGroup = (name, prefix) -> {
            List<String> minimal = Formats.isValidPathSegmentName(name, prefix);
            if (!minimal.isEmpty()) return minimal;
            return name.equals(requiredName) ? List.of()
                    : List.of("must be `spec.version+\".\"+spec.group`: \"" + requiredName + "\"");
        };
        List<FieldError> errs = new ArrayList<>();
        if (old != null) errs.addAll(ObjectMetaValidation.validateUpdate(service.path("metadata"), old.path("metadata")));
        errs.addAll(ObjectMetaValidation.validate(service.path("metadata"), false, versionDotGroup));
        FieldPath specPath = FieldPath.of("spec");
        if (group.isEmpty() && !version.equals("v1")) {
            errs.add(FieldError.required(specPath.child("group"), "only v1 may have an empty group and it better be legacy kube"));
        }
        if (!group.isEmpty()) {
            for (String msg : Formats.isDNS1123Subdomain(group)) errs.add(FieldError.invalid(specPath.child("group"), group, msg));
        }
        for (String msg : Formats.isDNS1035Label(version)) errs.add(FieldError.invalid(specPath.child("version"), version, msg));
        long groupPriority = spec.path("groupPriorityMinimum").asLong(0);
        if (groupPriority <= 0 || groupPriority > 20000) {
            errs.add(FieldError.invalid(specPath.child("groupPriorityMinimum"), groupPriority, "must be positive and less than 20000"));
        }
        long versionPriority = spec.path("versionPriority").asLong(0);
        if (versionPriority <= 0 || versionPriority > 1000) {
            errs.add(FieldError.invalid(specPath.child("versionPriority"), versionPriority, "must be positive and less than 1000"));
        }
        String caBundle = Json.text(spec, "caBundle");
        boolean insecure = spec.path("insecureSkipTLSVerify").asBoolean(false);
        JsonNode ref = spec.get("service");
        if (ref == null || ref.isNull()) {
            if (!caBundle.isEmpty()) {
                errs.add(FieldError.invalid(specPath.child("caBundle"), decodedLength(caBundle) + " bytes",
                        "local APIServices may not have a caBundle"));
            }
            if (insecure) {
                errs.add(FieldError.invalid(specPath.child("insecureSkipTLSVerify"), true, "local APIServices may not have insecureSkipTLSVerify"));
            }
            return errs;
        }
        FieldPath refPath = specPath.child("service");
        if (Json.text(ref, "namespace").isEmpty()) errs.add(FieldError.required(refPath.child("namespace"), ""));
        if (Json.text(ref, "name").isEmpty()) errs.add(FieldError.required(refPath.child("name"), ""));
        long port = ref.path("port").asLong(443); // defaulted to 443 in v1
        List<String> portErrs = Formats.isValidPortNum(port);
        if (!portErrs.isEmpty()) {
            errs.add(FieldError.invalid(refPath.child("port"), port, "port is not valid: " + String.join(", ", portErrs)));
        }
        if (insecure && !caBundle.isEmpty()) {
            errs.add(FieldError.invalid(specPath.child("insecureSkipTLSVerify"), true, "may not be true if caBundle is present"));
        }
        return errs;
    }

    private static int decodedLength(String base64) {
        try {
            return java.util.Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return base64.length();
        }
    }
}
