package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.List;

/**
 * policy/v1 validation ({@code pkg/apis/policy/validation}): a PodDisruptionBudget names at most one of
 * {@code minAvailable} and {@code maxUnavailable}, each a non-negative integer or a percentage up to 100%, a valid
 * selector and a supported {@code unhealthyPodEvictionPolicy}; its status counts are never negative.
 */
final class PolicyValidation {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final FieldPath STATUS = FieldPath.of("status");
    private static final List<String> UNHEALTHY_POD_EVICTION_POLICIES = List.of("AlwaysAllow", "IfHealthyBudget");

    private PolicyValidation() {
    }

    static List<FieldError> podDisruptionBudget(ObjectNode pdb, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(pdb.path("metadata"), true, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(pdb.path("metadata"), old.path("metadata")));
        JsonNode spec = pdb.path("spec");
        JsonNode minAvailable = spec.get("minAvailable");
        JsonNode maxUnavailable = spec.get("maxUnavailable");
        if (Json.present(minAvailable) && Json.present(maxUnavailable)) {
            errs.add(FieldError.invalid(SPEC, specLiteral(spec), "minAvailable and maxUnavailable cannot be both set"));
        }
        for (String field : List.of("minAvailable", "maxUnavailable")) {
            errs.addAll(WorkloadValidation.intOrPercent(spec.get(field), SPEC.child(field)));
            errs.addAll(WorkloadValidation.notMoreThan100(spec.get(field), SPEC.child(field)));
        }
        if (Json.present(spec.get("selector"))) {
            errs.addAll(LabelSelectorValidation.validate(spec.get("selector"), SPEC.child("selector")));
        }
        JsonNode policy = spec.get("unhealthyPodEvictionPolicy");
        if (Json.present(policy) && !UNHEALTHY_POD_EVICTION_POLICIES.contains(policy.asText())) {
            errs.add(FieldError.notSupported(SPEC.child("unhealthyPodEvictionPolicy"), policy.asText(),
                    UNHEALTHY_POD_EVICTION_POLICIES));
        }
        JsonNode status = pdb.path("status");
        for (String field : List.of("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods")) {
            JsonNode v = status.get(field);
            if (Json.present(v) && v.asLong() < 0) {
                errs.add(FieldError.invalid(STATUS.child(field), v.asLong(), ObjectMetaValidation.IS_NEGATIVE));
            }
        }
        return errs;
    }

    /**
     * The spec as Go's {@code %#v} shows the internal struct: its fields are pointers, printed as their type and
     * address (a Go heap address, different on every request, as on a real server) or nil.
     */
    private static GoLiteral specLiteral(JsonNode spec) {
        return new GoLiteral("policy.PodDisruptionBudgetSpec{MinAvailable:" + pointer("intstr.IntOrString", spec.get("minAvailable"))
                + ", Selector:" + pointer("v1.LabelSelector", spec.get("selector"))
                + ", MaxUnavailable:" + pointer("intstr.IntOrString", spec.get("maxUnavailable"))
                + ", UnhealthyPodEvictionPolicy:" + pointer("policy.UnhealthyPodEvictionPolicyType",
                spec.get("unhealthyPodEvictionPolicy")) + "}");
    }

    /** A pointer field as {@code %#v} prints it: its type and a heap address, or nil. */
    static String pointer(String type, JsonNode value) {
        String address = Json.present(value)
                ? String.format("0xc%09x", java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 32) & ~7L) : "nil";
        return "(*" + type + ")(" + address + ")";
    }
}
