package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Priority (plugin/pkg/admission/priority): a new pod gets the priority of its priorityClassName (the two system
 * classes; 0 without a class) and the default preemption policy.
 */
public final class PriorityAdmission implements MutatingPlugin {

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        ObjectNode spec = a.createdPodSpec();
        if (spec == null) return;
        long priority = switch (spec.path("priorityClassName").asText("")) {
            case "system-node-critical" -> 2000001000L;
            case "system-cluster-critical" -> 2000000000L;
            default -> 0L;
        };
        if (!spec.hasNonNull("priority")) spec.put("priority", (int) priority); // both classes fit an int32
        if (spec.path("preemptionPolicy").asText("").isEmpty()) spec.put("preemptionPolicy", "PreemptLowerPriority");
    }
}
