package kubefake.controllers.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a pod fits no node, worded as {@code framework.FitError.Error()}:
 * {@code 0/<all nodes> nodes are available: <PreFilter message>. | <count> <reason>, ... (sorted as strings).}
 * followed by the PostFilter (preemption) message.
 */
final class FitError {
    private final int numAllNodes;
    private final String preFilterMessage;
    private final Map<String, NodeStatus> statuses;
    private final NodeStatus absentStatus;

    /**
     * @param statuses     the nodes that were tried and failed
     * @param absentStatus what counts for the other nodes (those a PreFilter ruled out), or null
     */
    FitError(int numAllNodes, String preFilterMessage, Map<String, NodeStatus> statuses, NodeStatus absentStatus) {
        this.numAllNodes = numAllNodes;
        this.preFilterMessage = preFilterMessage;
        this.statuses = statuses;
        this.absentStatus = absentStatus;
    }

    Map<String, NodeStatus> statuses() {
        return statuses;
    }

    /** A node's status: its own, or the one for nodes that were not tried. */
    NodeStatus statusOf(String node) {
        NodeStatus s = statuses.get(node);
        return s != null ? s : absentStatus;
    }

    String message(String postFilterMessage) {
        StringBuilder b = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
        if (preFilterMessage != null && !preFilterMessage.isEmpty()) {
            b.append(' ').append(preFilterMessage).append('.');
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (NodeStatus s : statuses.values()) for (String r : s.reasons()) counts.merge(r, 1, Integer::sum);
            int absent = numAllNodes - statuses.size();
            if (absent > 0 && absentStatus != null) for (String r : absentStatus.reasons()) counts.merge(r, absent, Integer::sum);
            List<String> histogram = new ArrayList<>();
            counts.forEach((reason, n) -> histogram.add(n + " " + reason));
            Collections.sort(histogram);
            if (!histogram.isEmpty()) b.append(' ').append(String.join(", ", histogram)).append('.');
        }
        if (postFilterMessage != null && !postFilterMessage.isEmpty()) b.append(' ').append(postFilterMessage);
        return b.toString();
    }
}
