package kubefake.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.scheduling.Taint;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

/**
 * What the monitor pass reads of one revision of a Node, read from its tree once: a pass looks at every node every
 * 5 s (1,000 nodes a second in a 5,000-node cluster) while a node's revisions change seldom (its kubelet writes its
 * status when something changed or every 5 minutes), and the store keeps a revision's parsed tree only weakly, so
 * reading the tree at each pass parsed every node again.
 *
 * @param stored                 the revision these facts are of (its tree for a write that starts from it)
 * @param readyStatus            the Ready condition's status, or null when the kubelet never posted one
 * @param readyHeartbeat         its lastHeartbeatTime (null without a Ready condition)
 * @param readyTransition        its lastTransitionTime (null without a Ready condition)
 * @param unreachableNoExecute   whether the node has the {@code unreachable} NoExecute taint
 * @param notReadyNoExecute      whether the node has the {@code not-ready} NoExecute taint
 */
record NodeFacts(StoredObject stored, String name, String uid, String creationTimestamp, String zone, boolean excludedFromDisruption,
                 String readyStatus, String readyHeartbeat, String readyTransition, boolean unreachableNoExecute,
                 boolean notReadyNoExecute) {
    private static final Taint UNREACHABLE_NO_EXECUTE = Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE);
    private static final Taint NOT_READY_NO_EXECUTE = Taint.of(Taint.NOT_READY, Taint.NO_EXECUTE);

    static NodeFacts of(StoredObject stored) {
        ObjectNode node = stored.tree(); // read only
        JsonNode meta = node.path("metadata");
        JsonNode ready = NodeLifecycleController.condition(node, "Ready");
        boolean unreachable = false;
        boolean notReady = false;
        for (Taint t : Taint.ofNode(node)) {
            unreachable |= UNREACHABLE_NO_EXECUTE.matches(t);
            notReady |= NOT_READY_NO_EXECUTE.matches(t);
        }
        return new NodeFacts(stored, Json.text(meta, "name"), Json.text(meta, "uid"), Json.text(meta, "creationTimestamp"),
                NodeLifecycleController.zoneKey(node), meta.path("labels").has(NodeLifecycleController.EXCLUDE_DISRUPTION),
                ready == null ? null : Json.text(ready, "status"), ready == null ? null : Json.text(ready, "lastHeartbeatTime"),
                ready == null ? null : Json.text(ready, "lastTransitionTime"), unreachable, notReady);
    }
}
