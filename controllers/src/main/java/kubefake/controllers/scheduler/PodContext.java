package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.scheduling.Labels;
import kubefake.client.scheduling.PreferredSchedulingTerms;
import kubefake.client.scheduling.RequiredNodeAffinity;
import kubefake.client.scheduling.Taint;
import kubefake.client.scheduling.Toleration;
import kubefake.store.registry.Json;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod being scheduled, read once per cycle (the plugins' PreFilter and PreScore state): its tolerations, node
 * affinity, requests and host ports, and the nodes its affinity names outright.
 */
final class PodContext {
    final JsonNode pod;
    final PodInfo info;
    final String namespace;
    final String name;
    final Map<String, String> labels;
    final List<Toleration> tolerations;
    final RequiredNodeAffinity requiredAffinity;
    final PreferredSchedulingTerms preferredAffinity;
    /** The only nodes the pod may go to (node affinity's matchFields on metadata.name), or null for any. */
    final Set<String> nodeNames;

    PodContext(JsonNode pod) {
        this.pod = pod;
        this.info = PodInfo.of(pod);
        JsonNode meta = pod.path("metadata");
        this.namespace = Json.text(meta, "namespace");
        this.name = Json.text(meta, "name");
        this.labels = Labels.of(pod);
        this.tolerations = Toleration.ofPod(pod);
        this.requiredAffinity = RequiredNodeAffinity.ofPod(pod);
        this.preferredAffinity = PreferredSchedulingTerms.ofPod(pod);
        this.nodeNames = namedNodes(pod);
    }

    /**
     * NodeAffinity's PreFilter: when every required term names nodes by {@code metadata.name In}, only the union of
     * those names (each term's names intersected) can fit; null when some term does not restrict the name.
     */
    private static Set<String> namedNodes(JsonNode pod) {
        JsonNode terms = pod.path("spec").path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (terms.isEmpty()) return null;
        Set<String> union = new HashSet<>();
        for (JsonNode term : terms) {
            Set<String> names = null;
            for (JsonNode r : term.path("matchFields")) {
                if (!"metadata.name".equals(Json.text(r, "key")) || !"In".equals(Json.text(r, "operator"))) continue;
                Set<String> values = new HashSet<>();
                r.path("values").forEach(v -> values.add(v.asText()));
                if (names == null) names = values;
                else names.retainAll(values);
            }
            if (names == null) return null;
            union.addAll(names);
        }
        return union;
    }

    String preemptionPolicy() {
        return Json.text(pod.path("spec"), "preemptionPolicy");
    }

    /** The node an earlier preemption chose for the pod ({@code status.nominatedNodeName}), or "". */
    String nominatedNodeName() {
        return Json.text(pod.path("status"), "nominatedNodeName");
    }
}
