package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.registry.validation.NameRule;
import kubefake.store.registry.validation.ObjectMetaValidation;
import kubefake.store.registry.validation.ObjectValidator;
import kubefake.store.registry.validation.Validators;

import java.util.ArrayList;
import java.util.List;

/**
 * The validation of the four RBAC kinds (pkg/apis/rbac/validation): names are path segments ({@code system:foo}
 * is fine), every rule has verbs and either resources with API groups or non-resource URLs (which only cluster
 * roles may have), bindings reference a Role or ClusterRole of rbac.authorization.k8s.io and name their subjects,
 * and a binding's roleRef never changes.
 */
public final class RbacValidation {
    public static final ObjectValidator ROLE = (o, old) -> Validators.toCauses(role(o, old, true));
    public static final ObjectValidator CLUSTER_ROLE = (o, old) -> Validators.toCauses(role(o, old, false));
    public static final ObjectValidator ROLE_BINDING = (o, old) -> Validators.toCauses(binding(o, old, true));
    public static final ObjectValidator CLUSTER_ROLE_BINDING = (o, old) -> Validators.toCauses(binding(o, old, false));

    private RbacValidation() {
    }

    private static List<FieldError> metadata(ObjectNode o, ObjectNode old, boolean namespaced) {
        return new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(o.path("metadata"), namespaced, NameRule.PATH_SEGMENT)
                : ObjectMetaValidation.validateUpdate(o.path("metadata"), old.path("metadata")));
    }

    static List<FieldError> role(ObjectNode o, ObjectNode old, boolean namespaced) {
        List<FieldError> errs = metadata(o, old, namespaced);
        JsonNode aggregation = o.get("aggregationRule");
        if (!namespaced && aggregation != null && !aggregation.isNull()
                && aggregation.path("clusterRoleSelectors").size() == 0) {
            errs.add(FieldError.required(FieldPath.of("aggregationRule", "clusterRoleSelectors"),
                    "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }
        int i = 0;
        for (JsonNode rule : o.path("rules")) errs.addAll(rule(rule, FieldPath.of("rules").index(i++), namespaced));
        return errs;
    }

    /** ValidatePolicyRule. */
    private static List<FieldError> rule(JsonNode rule, FieldPath path, boolean namespaced) {
        List<FieldError> errs = new ArrayList<>();
        if (rule.path("verbs").size() == 0) {
            errs.add(FieldError.required(path.child("verbs"), "verbs must contain at least one value"));
        }
        int urls = rule.path("nonResourceURLs").size();
        if (urls > 0) {
            if (namespaced) {
                errs.add(FieldError.invalid(path.child("nonResourceURLs"), PolicyRule.strings(rule.path("nonResourceURLs")),
                        "namespaced rules cannot apply to non-resource URLs"));
            }
            if (rule.path("apiGroups").size() > 0 || rule.path("resources").size() > 0 || rule.path("resourceNames").size() > 0) {
                errs.add(FieldError.invalid(path.child("nonResourceURLs"), PolicyRule.strings(rule.path("nonResourceURLs")),
                        "rules cannot apply to both regular resources and non-resource URLs"));
            }
            return errs;
        }
        if (rule.path("apiGroups").size() == 0) {
            errs.add(FieldError.required(path.child("apiGroups"), "resource rules must supply at least one api group"));
        }
        if (rule.path("resources").size() == 0) {
            errs.add(FieldError.required(path.child("resources"), "resource rules must supply at least one resource"));
        }
        return errs;
    }

    static List<FieldError> binding(ObjectNode o, ObjectNode old, boolean namespaced) {
        List<FieldError> errs = metadata(o, old, namespaced);
        JsonNode ref = o.path("roleRef");
        if (old != null && !ref.equals(old.path("roleRef"))) {
            JsonNode was = old.path("roleRef");
            errs.add(FieldError.invalid(FieldPath.of("roleRef"), new GoLiteral("rbac.RoleRef{APIGroup:"
                    + GoFormat.quote(ref.path("apiGroup").asText("")) + ", Kind:" + GoFormat.quote(ref.path("kind").asText(""))
                    + ", Name:" + GoFormat.quote(ref.path("name").asText("")) + "}"), "cannot change roleRef"));
            if (!was.isMissingNode()) return errs;
        }
        String apiGroup = ref.path("apiGroup").asText("");
        if (!apiGroup.equals(RbacPolicy.GROUP)) {
            errs.add(FieldError.notSupported(FieldPath.of("roleRef", "apiGroup"), apiGroup, List.of(RbacPolicy.GROUP)));
        }
        String kind = ref.path("kind").asText("");
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(kind)) errs.add(FieldError.notSupported(FieldPath.of("roleRef", "kind"), kind, kinds));
        String name = ref.path("name").asText("");
        if (name.isEmpty()) {
            errs.add(FieldError.required(FieldPath.of("roleRef", "name"), ""));
        } else {
            for (String msg : NameRule.PATH_SEGMENT.check(name, false)) {
                errs.add(FieldError.invalid(FieldPath.of("roleRef", "name"), name, msg));
            }
        }
        int i = 0;
        for (JsonNode s : o.path("subjects")) errs.addAll(subject(s, FieldPath.of("subjects").index(i++), namespaced));
        return errs;
    }

    /** ValidateRoleBindingSubject. */
    private static List<FieldError> subject(JsonNode s, FieldPath path, boolean namespaced) {
        List<FieldError> errs = new ArrayList<>();
        String name = s.path("name").asText("");
        if (name.isEmpty()) errs.add(FieldError.required(path.child("name"), ""));
        String apiGroup = s.path("apiGroup").asText("");
        switch (s.path("kind").asText("")) {
            case "ServiceAccount" -> {
                if (!apiGroup.isEmpty()) errs.add(FieldError.notSupported(path.child("apiGroup"), apiGroup, List.of("")));
                if (!namespaced && s.path("namespace").asText("").isEmpty()) {
                    errs.add(FieldError.required(path.child("namespace"), ""));
                }
            }
            case "User", "Group" -> {
                if (!apiGroup.equals(RbacPolicy.GROUP)) {
                    errs.add(FieldError.notSupported(path.child("apiGroup"), apiGroup, List.of(RbacPolicy.GROUP)));
                }
            }
            default -> errs.add(FieldError.notSupported(path.child("kind"), s.path("kind").asText(""),
                    List.of("ServiceAccount", "User", "Group")));
        }
        return errs;
    }
}
