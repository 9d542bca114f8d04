package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * RuntimeClass (plugin/pkg/admission/runtimeclass): a new pod naming a RuntimeClass gets the class's pod overhead
 * and its scheduling constraints (node selector merged, tolerations added); a pod with an overhead of its own must
 * match its class's, and may not have one without a class that defines one. A class that does not exist is not refused here: the
 * kubelet fails the pod's sandbox.
 */
public final class RuntimeClassAdmission implements MutatingPlugin, ValidatingPlugin {
    private final AdmissionLookups lookups;

    public RuntimeClassAdmission(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "RuntimeClass";
    }

    @Override
    public void admit(AdmissionAttributes a) {
        ObjectNode spec = a.createdPodSpec();
        if (spec == null) return;
        JsonNode runtimeClass = runtimeClassOf(spec);
        if (runtimeClass == null) return;
        JsonNode overhead = runtimeClass.path("overhead").get("podFixed");
        if (overhead != null && !overhead.isNull()) {
            if (!spec.path("overhead").isEmpty() && !sameQuantities(spec.get("overhead"), overhead)) {
                throw a.forbidden("pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
            }
            spec.set("overhead", overhead.deepCopy());
        }
        JsonNode scheduling = runtimeClass.path("scheduling");
        JsonNode selector = scheduling.path("nodeSelector");
        if (selector.isObject() && !selector.isEmpty()) {
            ObjectNode podSelector = spec.get("nodeSelector") instanceof ObjectNode s ? s : spec.putObject("nodeSelector");
            for (Map.Entry<String, JsonNode> e : selector.properties()) {
                JsonNode mine = podSelector.get(e.getKey());
                if (mine != null && !mine.asText().equals(e.getValue().asText())) {
                    throw a.forbidden("conflict: runtimeClass.scheduling.nodeSelector[" + e.getKey() + "] = "
                            + e.getValue().asText() + "; pod.spec.nodeSelector[" + e.getKey() + "] = " + mine.asText());
                }
            }
            for (Map.Entry<String, JsonNode> e : selector.properties()) podSelector.put(e.getKey(), e.getValue().asText());
        }
        JsonNode tolerations = scheduling.path("tolerations");
        if (tolerations.isArray() && !tolerations.isEmpty()) {
            ArrayNode podTolerations = spec.get("tolerations") instanceof ArrayNode t ? t : spec.putArray("tolerations");
            for (JsonNode t : tolerations) {
                boolean present = false;
                for (JsonNode p : podTolerations) present |= p.equals(t);
                if (!present) podTolerations.add(t.deepCopy());
            }
        }
    }

    @Override
    public void validate(AdmissionAttributes a) {
        ObjectNode spec = a.createdPodSpec();
        if (spec == null) return;
        JsonNode runtimeClass = runtimeClassOf(spec);
        JsonNode overhead = runtimeClass == null ? null : runtimeClass.path("overhead").get("podFixed");
        if (overhead != null && !overhead.isNull()) {
            if (!sameQuantities(spec.get("overhead"), overhead)) {
                throw a.forbidden("pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
            }
        } else if (spec.hasNonNull("overhead")) {
            throw a.forbidden("pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
        }
    }

    private JsonNode runtimeClassOf(ObjectNode spec) {
        String name = spec.path("runtimeClassName").asText("");
        return name.isEmpty() ? null : lookups.runtimeClass(name);
    }

    private static boolean sameQuantities(JsonNode a, JsonNode b) {
        if (a == null || b == null || a.size() != b.size()) return false;
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            JsonNode other = a.get(e.getKey());
            if (other == null || kubefake.store.registry.validation.Quantity.parse(other.asText()).value()
                    .compareTo(kubefake.store.registry.validation.Quantity.parse(e.getValue().asText()).value()) != 0) {
                return false;
            }
        }
        return true;
    }
}
