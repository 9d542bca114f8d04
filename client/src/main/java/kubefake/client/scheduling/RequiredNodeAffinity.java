package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;

import java.util.Map;

/**
 * Where a pod may run by its own choice ({@code nodeaffinity.GetRequiredNodeAffinity}): its {@code nodeSelector}
 * (every label equal) and its {@code requiredDuringSchedulingIgnoredDuringExecution} node affinity, both required.
 */
public final class RequiredNodeAffinity {
    private final Map<String, String> nodeSelector;
    private final NodeSelector affinity; // null when the pod has none

    private RequiredNodeAffinity(Map<String, String> nodeSelector, NodeSelector affinity) {
        this.nodeSelector = nodeSelector;
        this.affinity = affinity;
    }

    public static RequiredNodeAffinity ofPod(JsonNode pod) {
        return ofSpec(pod.path("spec"));
    }

    /** From a pod spec (also a pod template's). */
    public static RequiredNodeAffinity ofSpec(JsonNode spec) {
        JsonNode required = spec.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        return new RequiredNodeAffinity(Labels.fromMap(spec.path("nodeSelector")),
                required.isObject() ? NodeSelector.fromJson(required) : null);
    }

    /** Whether the pod asks for anything at all. */
    public boolean isEmpty() {
        return nodeSelector.isEmpty() && affinity == null;
    }

    public boolean matches(JsonNode node) {
        return matches(Labels.of(node), Json.text(node.path("metadata"), "name"));
    }

    public boolean matches(Map<String, String> nodeLabels, String nodeName) {
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(nodeLabels.get(e.getKey()))) return false;
        }
        return affinity == null || affinity.matches(nodeLabels, nodeName);
    }
}
