package kubefake.controllers.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.history.ControllerHistory;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.time.Instant;

/**
 * What the DaemonSet controller reads of one revision of one of its pods, read from its tree once: a sync looks at
 * every pod of the DaemonSet (one per node) up to three times, and a DaemonSet is synced again after each change of
 * any of its pods, so reading the trees made filling a 5,000-node cluster quadratic (and the store keeps a revision's
 * parsed tree only weakly, so they were parsed again too).
 *
 * @param targetNode   the pod's node, or the one its node affinity names ({@code GetTargetNodeName}); "" when neither
 * @param readyStatus  the Ready condition's status ("" without one)
 * @param readySince   its lastTransitionTime ("" without one)
 */
record DaemonPod(String namespace, String name, String nodeName, String targetNode, String creationTimestamp, String phase,
                 boolean deleting, String revisionHash, String templateGeneration, String readyStatus, String readySince) {

    static DaemonPod of(StoredObject stored) {
        ObjectNode pod = stored.tree(); // read only
        JsonNode meta = pod.path("metadata");
        JsonNode labels = meta.path("labels");
        String readyStatus = "";
        String readySince = "";
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (!"Ready".equals(Json.text(c, "type"))) continue;
            readyStatus = Json.text(c, "status");
            readySince = Json.text(c, "lastTransitionTime");
            break;
        }
        return new DaemonPod(Json.text(meta, "namespace"), Json.text(meta, "name"), Json.text(pod.path("spec"), "nodeName"),
                DaemonPods.targetNode(pod), Json.text(meta, "creationTimestamp"), Json.text(pod.path("status"), "phase"),
                meta.hasNonNull("deletionTimestamp"), Json.text(labels, ControllerHistory.POD_REVISION_LABEL),
                Json.text(labels, DaemonPods.TEMPLATE_GENERATION_LABEL), readyStatus, readySince);
    }

    boolean isTerminal() {
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** {@code IsPodUpdated}: the pod carries the current revision's hash, or the current template generation. */
    boolean isUpdated(String hash, JsonNode ds) {
        String generation = Json.text(ds.path("metadata").path("annotations"), DaemonPods.TEMPLATE_GENERATION_ANNOTATION);
        return !hash.isEmpty() && hash.equals(revisionHash) || !generation.isEmpty() && generation.equals(templateGeneration);
    }

    /** {@code IsPodAvailable}: Ready for at least minReadySeconds. */
    boolean isAvailable(long minReadySeconds, Instant now) {
        if (!"True".equals(readyStatus)) return false;
        if (minReadySeconds == 0) return true;
        return !readySince.isEmpty() && Instant.parse(readySince).plusSeconds(minReadySeconds).isBefore(now);
    }
}
