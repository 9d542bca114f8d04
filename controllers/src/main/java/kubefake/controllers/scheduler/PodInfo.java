package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.ObjectKey;
import kubefake.client.scheduling.Labels;
import kubefake.client.scheduling.PodRequests;
import kubefake.client.scheduling.Resources;
import kubefake.store.registry.Json;

import java.util.List;
import java.util.Map;

/**
 * What the scheduler keeps of a pod on a node: enough to add up the node's use, check host ports, count pods for
 * spreading and find preemption victims, without keeping the pod itself.
 */
record PodInfo(String key, String uid, String namespace, String nodeName, Map<String, String> labels, Resources requests,
               Resources nonZeroRequests, List<HostPort> hostPorts, int priority, boolean terminating) {

    static PodInfo of(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        return new PodInfo(ObjectKey.of(pod), Json.text(meta, "uid"), Json.text(meta, "namespace"),
                Json.text(pod.path("spec"), "nodeName"), Labels.of(pod), PodRequests.of(pod), PodRequests.nonZero(pod),
                HostPort.ofPod(pod), priority(pod), meta.hasNonNull("deletionTimestamp"));
    }

    /** {@code corev1helpers.PodPriority}: spec.priority, 0 when unset. */
    static int priority(JsonNode pod) {
        return pod.path("spec").path("priority").asInt(0);
    }

    PodInfo onNode(String node) {
        return new PodInfo(key, uid, namespace, node, labels, requests, nonZeroRequests, hostPorts, priority, terminating);
    }

    /** Whether the pod holds its node's resources: not finished (Succeeded or Failed). */
    static boolean holdsResources(JsonNode pod) {
        String phase = Json.text(pod.path("status"), "phase");
        return !phase.equals("Succeeded") && !phase.equals("Failed");
    }
}
