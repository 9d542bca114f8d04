package kubefake.controllers.scheduler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What DefaultPreemption's PostFilter says about a pod that fits nowhere, without preempting anything: nodes ruled
 * out for good are "not helpful", nodes without lower-priority pods have "no victims", nodes where even removing
 * every lower-priority pod does not make room keep their filter reasons. When some node would make room, the real
 * scheduler would evict pods there; kubefake does not simulate preemption and then says nothing ({@code ""}).
 */
final class PreemptionDiagnosis {
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";

    private PreemptionDiagnosis() {
    }

    /** The PostFilter message ({@code "preemption: ..."}), or "" when preemption would find room. */
    static String message(PodContext pod, FitError fit, List<NodeInfo> allNodes) {
        if ("Never".equals(pod.preemptionPolicy())) return "preemption: not eligible due to preemptionPolicy=Never.";
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        for (NodeInfo node : allNodes) {
            NodeStatus status = fit.statusOf(node.name());
            if (status == null || !status.resolvable()) continue; // preemption cannot help there
            NodeInfo without = node.copy();
            boolean victims = false;
            for (PodInfo p : node.pods()) {
                if (p.priority() < pod.info.priority()) {
                    without.removePod(p.key());
                    victims = true;
                }
            }
            if (!victims) {
                statuses.put(node.name(), NodeStatus.unresolvable(NO_VICTIMS));
                continue;
            }
            NodeStatus after = Filters.fits(pod, without);
            if (after == null) return ""; // a candidate: the real scheduler would preempt here
            statuses.put(node.name(), after);
        }
        return "preemption: " + new FitError(allNodes.size(), null, statuses, NodeStatus.unresolvable(NOT_HELPFUL)).message(null);
    }
}
