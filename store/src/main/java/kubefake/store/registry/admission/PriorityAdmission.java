package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.request.Operation;

import java.util.Map;

/**
 * Priority (plugin/pkg/admission/priority): a new pod gets the value and preemption policy of its priorityClassName,
 * or of the global default class when it names none (then priority 0); a pod naming a class that does not exist, or
 * stating a priority or policy other than its class's, is refused. Only one PriorityClass may be the global default,
 * and the two system classes cannot be deleted (the real PriorityClass registry's rule, kept here beside the others).
 */
public final class PriorityAdmission implements MutatingPlugin {
    /** The system classes, which a real API server always has (its bootstrap creates them, nothing deletes them). */
    private static final Map<String, Long> SYSTEM_CLASSES = Map.of("system-node-critical", 2_000_001_000L,
            "system-cluster-critical", 2_000_000_000L);
    private static final String DEFAULT_POLICY = "PreemptLowerPriority";

    private final AdmissionLookups lookups;

    public PriorityAdmission(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        if (a.isResource("scheduling.k8s.io", "priorityclasses") && a.subresource().isEmpty()) {
            admitPriorityClass(a);
            return;
        }
        ObjectNode spec = a.createdPodSpec();
        if (spec == null) return;
        String className = spec.path("priorityClassName").asText("");
        long priority = 0;
        String policy = DEFAULT_POLICY;
        if (className.isEmpty()) {
            JsonNode defaultClass = globalDefault(null);
            if (defaultClass != null) {
                spec.put("priorityClassName", defaultClass.path("metadata").path("name").asText());
                priority = defaultClass.path("value").asLong();
                policy = defaultClass.path("preemptionPolicy").asText(DEFAULT_POLICY);
            }
        } else {
            JsonNode pc = priorityClass(className);
            if (pc != null) {
                priority = pc.path("value").asLong();
                policy = pc.path("preemptionPolicy").asText(DEFAULT_POLICY);
            } else if (SYSTEM_CLASSES.containsKey(className)) {
                priority = SYSTEM_CLASSES.get(className);
            } else {
                throw a.forbidden("no PriorityClass with name " + className + " was found");
            }
        }
        if (spec.hasNonNull("priority") && spec.path("priority").asLong() != priority) {
            throw a.forbidden("the integer value of priority (" + spec.path("priority").asLong() + ") must not be provided in "
                    + "pod spec; priority admission controller computed " + priority + " from the given PriorityClass name");
        }
        spec.put("priority", (int) priority); // an int32 in the API
        String stated = spec.path("preemptionPolicy").asText("");
        if (!stated.isEmpty() && !stated.equals(policy)) {
            throw a.forbidden("the string value of PreemptionPolicy (" + stated + ") must not be provided in pod spec; "
                    + "priority admission controller computed " + policy + " from the given PriorityClass name");
        }
        spec.put("preemptionPolicy", policy);
    }

    private void admitPriorityClass(AdmissionAttributes a) {
        if (a.operation() == Operation.DELETE) {
            if (SYSTEM_CLASSES.containsKey(a.name())) throw a.forbidden("this is a system priority class and cannot be deleted");
            return;
        }
        if (a.operation() != Operation.CREATE && a.operation() != Operation.UPDATE) return;
        if (a.object() == null || !a.object().path("globalDefault").asBoolean(false)) return;
        String name = a.object().path("metadata").path("name").asText();
        JsonNode existing = globalDefault(name);
        if (existing != null) {
            throw a.forbidden("PriorityClass " + existing.path("metadata").path("name").asText()
                    + " is already marked as default. Only one default can exist");
        }
    }

    private JsonNode priorityClass(String name) {
        return lookups.priorityClass(name);
    }

    /** The global default class (the lowest valued when several claim it), other than {@code except}; or null. */
    private JsonNode globalDefault(String except) {
        JsonNode best = null;
        for (ObjectNode pc : lookups.priorityClasses()) {
            if (!pc.path("globalDefault").asBoolean(false)) continue;
            if (pc.path("metadata").path("name").asText().equals(except)) continue;
            if (best == null || pc.path("value").asLong() < best.path("value").asLong()) best = pc;
        }
        return best;
    }
}
