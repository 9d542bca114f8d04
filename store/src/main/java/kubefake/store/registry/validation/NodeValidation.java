package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * node.k8s.io/v1 validation ({@code pkg/apis/node/validation}): a RuntimeClass names its handler as a DNS-1123
 * label, fixed once created; its scheduling node selector is a set of valid labels.
 */
final class NodeValidation {

    private NodeValidation() {
    }

    static List<FieldError> runtimeClass(ObjectNode rc, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        String handler = Json.text(rc, "handler");
        if (old != null) {
            errs.addAll(ObjectMetaValidation.validateUpdate(rc.path("metadata"), old.path("metadata")));
            if (!handler.equals(Json.text(old, "handler"))) {
                errs.add(FieldError.invalid(FieldPath.of("handler"), handler, ObjectMetaValidation.FIELD_IMMUTABLE));
            }
            return errs;
        }
        errs.addAll(ObjectMetaValidation.validate(rc.path("metadata"), false, NameRule.DNS_SUBDOMAIN));
        for (String msg : Formats.nameIsDNSLabel(handler, false)) {
            errs.add(FieldError.invalid(FieldPath.of("handler"), handler, msg));
        }
        JsonNode selector = rc.path("scheduling").get("nodeSelector");
        Map<String, String> labels = Json.stringMap(selector);
        if (labels != null) errs.addAll(ObjectMetaValidation.validateLabels(labels, FieldPath.of("scheduling", "nodeSelector")));
        return errs;
    }
}
