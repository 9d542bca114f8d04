package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.ObjectKey;
import kubefake.client.scheduling.Labels;
import kubefake.client.scheduling.PodRequests;
import kubefake.client.scheduling.Resources;
import kubefake.store.registry.Json;
import kubefake.store.registry.resources.PodConditions;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the scheduler keeps of a pod on a node: enough to add up the node's use, check host ports, count pods for
 * spreading and find preemption victims, without keeping the pod itself.
 */
record PodInfo(String key, String uid, String namespace, String nodeName, Map<String, String> labels, Resources requests,
               Resources nonZeroRequests, List<HostPort> hostPorts, int priority, boolean terminating,
               boolean preemptedByScheduler, String startTime) {

    static PodInfo of(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        boolean terminating = meta.hasNonNull("deletionTimestamp");
        return new PodInfo(ObjectKey.of(pod), Json.text(meta, "uid"), Json.text(meta, "namespace"),
                Json.text(pod.path("spec"), "nodeName"), Labels.of(pod), PodRequests.of(pod), PodRequests.nonZero(pod),
                HostPort.ofPod(pod), priority(pod), terminating, terminating && preemptedByScheduler(pod), startTime(pod));
    }

    /** {@code podTerminatingByPreemption}'s condition: DisruptionTarget=True with the scheduler's reason. */
    private static boolean preemptedByScheduler(JsonNode pod) {
        JsonNode c = PodConditions.get(pod, "DisruptionTarget");
        return c != null && "True".equals(Json.text(c, "status")) && Preemption.REASON.equals(Json.text(c, "reason"));
    }

    /**
     * status.startTime as written ("" when unset), parsed only by preemption: parsing it on every update of every
     * bound pod (its status writes) cost the scheduler's pod handler more than the rest of its cache update.
     */
    private static String startTime(JsonNode pod) {
        return Json.text(pod.path("status"), "startTime");
    }

    /** When the pod started, null when it has not. */
    Instant started() {
        return startTime.isEmpty() ? null : Instant.parse(startTime);
    }

    String name() {
        return ObjectKey.name(key);
    }

    /** {@code corev1helpers.PodPriority}: spec.priority, 0 when unset. */
    static int priority(JsonNode pod) {
        return pod.path("spec").path("priority").asInt(0);
    }

    PodInfo onNode(String node) {
        return new PodInfo(key, uid, namespace, node, labels, requests, nonZeroRequests, hostPorts, priority, terminating,
                preemptedByScheduler, startTime);
    }

    /** Whether the pod holds its node's resources: not finished (Succeeded or Failed). */
    static boolean holdsResources(JsonNode pod) {
        String phase = Json.text(pod.path("status"), "phase");
        return !phase.equals("Succeeded") && !phase.equals("Failed");
    }
}
