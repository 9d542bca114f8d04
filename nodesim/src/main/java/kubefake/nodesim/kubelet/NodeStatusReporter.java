package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.events.EventRecorder;
import kubefake.nodesim.NodeObjects;
import kubefake.nodesim.NodeObjects.KubeletCondition;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * The kubelet's node status ({@code tryUpdateNodeStatus}): every 10 s it computes the node's status (its
 * conditions, addresses, capacity, images, node info) and writes it when it differs from the stored one (a condition
 * another component changed, such as Ready=Unknown from the node lifecycle controller; a new image) or when 5 minutes
 * passed since its last report, with fresh heartbeat times. A condition's lastTransitionTime moves only when its status
 * changes; each change is also a node event ({@code Node w1-k8s status is now: NodeReady}).
 */
final class NodeStatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusReporter.class);

    private final Kubelet kubelet;
    private Instant lastReport;
    /** Whether this kubelet process has built its node's conditions yet (the start's events come with the first). */
    private boolean startEventsRecorded;
    private int reportedImages = -1;
    /** The node's last revision known to carry this kubelet's healthy conditions (-1: none). */
    private long healthyRevision = -1;

    NodeStatusReporter(Kubelet kubelet) {
        this.kubelet = kubelet;
    }

    /** A (re)started kubelet knows nothing yet: it reports at once and records every condition's event. */
    void startedAgain() {
        lastReport = null;
        startEventsRecorded = false;
        reportedImages = -1;
        healthyRevision = -1;
    }

    void sync() {
        if (!kubelet.isHeartbeating()) return;
        Instant now = kubelet.now();
        String name = kubelet.node.name();
        var nodes = kubelet.client.resource("", "nodes");
        var stored = nodes.find("", name);
        if (stored.isEmpty()) {
            // the Node was deleted: the real kubelet keeps failing to update it until it restarts and registers again
            LOG.debug("kubelet {}: error updating node status: nodes \"{}\" not found", name, name);
            return;
        }
        // a revision already looked at (or written by this kubelet) has the kubelet's own conditions: not parsed again,
        // since every node looks every 10 s and writes seldom; another one is read from its shared tree
        long revision = stored.get().resourceVersion();
        boolean conditionsChanged = revision != healthyRevision && conditionsChanged(stored.get().tree().path("status"));
        if (!conditionsChanged) healthyRevision = revision;
        boolean changed = conditionsChanged || reportedImages != kubelet.images.version();
        boolean due = lastReport == null || !Duration.between(lastReport, now).minus(KubeletContext.NODE_STATUS_REPORT_FREQUENCY).isNegative();
        if (!changed && !due) return;
        int images = kubelet.images.version();
        try {
            var written = nodes.patchStatus("", name, current -> {
                ObjectNode status = current.with("status");
                status.set("conditions", conditions(status.path("conditions"), now));
                status.set("addresses", NodeObjects.addresses(kubelet.node));
                status.set("capacity", NodeObjects.capacity(kubelet.node));
                status.set("allocatable", NodeObjects.allocatable(kubelet.node));
                status.set("images", kubelet.images.toJson());
                return current;
            });
            lastReport = now;
            reportedImages = images;
            healthyRevision = written.resourceVersion();
        } catch (StatusException e) {
            LOG.warn("kubelet {}: node status not written: {}", name, e.getMessage());
        }
    }

    private static boolean conditionsChanged(JsonNode status) {
        for (KubeletCondition c : KubeletCondition.values()) {
            JsonNode stored = find(status.path("conditions"), c.type);
            if (stored == null || !stored.path("status").asText().equals(c.healthyStatus)
                    || !stored.path("reason").asText().equals(c.healthyReason)
                    || !stored.path("message").asText().equals(c.healthyMessage)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode find(JsonNode conditions, String type) {
        for (JsonNode c : conditions) if (c.path("type").asText().equals(type)) return c;
        return null;
    }

    /** The stored conditions with the kubelet's own set anew (heartbeat now), others (NetworkUnavailable) kept. */
    private ArrayNode conditions(JsonNode stored, Instant now) {
        String time = PodStatusBuilder.time(now);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode c : stored) {
            boolean kubelets = false;
            for (KubeletCondition k : KubeletCondition.values()) if (k.type.equals(c.path("type").asText())) kubelets = true;
            if (!kubelets) out.add(c.deepCopy());
        }
        for (KubeletCondition k : KubeletCondition.values()) {
            JsonNode old = find(stored, k.type);
            boolean same = old != null && old.path("status").asText().equals(k.healthyStatus);
            String transition = same && old.hasNonNull("lastTransitionTime") ? old.path("lastTransitionTime").asText() : time;
            out.addObject().put("lastHeartbeatTime", time).put("lastTransitionTime", transition)
                    .put("message", k.healthyMessage).put("reason", k.healthyReason).put("status", k.healthyStatus)
                    .put("type", k.type);
            // a condition that changes is a node event; a starting kubelet builds its node's pressure conditions from
            // nothing, so it records those once more (Ready only when it really changes)
            boolean starting = !startEventsRecorded && k != KubeletCondition.READY;
            if (!same || starting) {
                kubelet.recorder.event(kubelet.nodeReference(), EventRecorder.NORMAL, k.event,
                        "Node " + kubelet.node.name() + " status is now: " + k.event);
            }
        }
        startEventsRecorded = true;
        return out;
    }
}
