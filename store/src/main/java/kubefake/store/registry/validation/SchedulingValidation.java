package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * scheduling.k8s.io/v1 validation ({@code pkg/apis/scheduling/validation}): a PriorityClass named {@code system-...}
 * must be one of the two system classes as they are, a user's value is at most one billion, the preemption policy is
 * known; value and preemption policy never change.
 */
final class SchedulingValidation {
    /** HighestUserDefinablePriority. */
    static final long HIGHEST_USER_DEFINABLE = 1_000_000_000L;
    /** The system classes and their values (schedulingapiv1.SystemPriorityClasses). */
    static final Map<String, Long> SYSTEM_CLASSES = Map.of("system-node-critical", 2_000_001_000L,
            "system-cluster-critical", 2_000_000_000L);
    private static final List<String> PREEMPTION_POLICIES = List.of("Never", "PreemptLowerPriority");

    private SchedulingValidation() {
    }

    static List<FieldError> priorityClass(ObjectNode pc, ObjectNode old) {
        if (old != null) {
            List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validateUpdate(pc.path("metadata"), old.path("metadata")));
            if (pc.path("value").asLong() != old.path("value").asLong()) {
                errs.add(FieldError.forbidden(FieldPath.of("value"), "may not be changed in an update."));
            }
            JsonNode policy = pc.path("preemptionPolicy");
            if (!policy.equals(old.path("preemptionPolicy"))) {
                errs.add(FieldError.invalid(FieldPath.of("preemptionPolicy"), policy.asText(), "field is immutable"));
            }
            return errs;
        }
        List<FieldError> errs = new ArrayList<>(ObjectMetaValidation.validate(pc.path("metadata"), false, NameRule.DNS_SUBDOMAIN));
        String name = pc.path("metadata").path("name").asText("");
        long value = pc.path("value").asLong();
        if (name.startsWith("system-")) {
            String problem = systemClassProblem(name, value, pc.path("globalDefault").asBoolean(false));
            if (problem != null) {
                errs.add(FieldError.forbidden(FieldPath.of("metadata", "name"),
                        "priority class names with 'system-' prefix are reserved for system use only. error: " + problem));
            }
        } else if (value > HIGHEST_USER_DEFINABLE) {
            errs.add(FieldError.forbidden(FieldPath.of("value"), "maximum allowed value of a user defined priority is "
                    + HIGHEST_USER_DEFINABLE));
        }
        JsonNode policy = pc.get("preemptionPolicy");
        if (policy != null && !policy.isNull() && !PREEMPTION_POLICIES.contains(policy.asText())) {
            errs.add(FieldError.notSupported(FieldPath.of("preemptionPolicy"), policy.asText(), PREEMPTION_POLICIES));
        }
        return errs;
    }

    /** IsKnownSystemPriorityClass's complaint, or null. */
    private static String systemClassProblem(String name, long value, boolean globalDefault) {
        Long expected = SYSTEM_CLASSES.get(name);
        if (expected == null) return name + " is not a known system priority class";
        if (expected != value) return "value of " + name + " PriorityClass must be " + expected;
        if (globalDefault) return "globalDefault of " + name + " PriorityClass must be false";
        return null;
    }
}
