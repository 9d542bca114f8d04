package kubefake.controllers.scheduler;

import kubefake.client.scheduling.ResourceFit;
import kubefake.client.scheduling.Taint;
import kubefake.client.scheduling.Tolerations;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The default profile's filter plugins that decide for kubefake's pods, in their order (a node is rejected by the
 * first that fails): NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit. Their reasons
 * are the plugins' own texts, which the FailedScheduling message counts.
 */
final class Filters {
    static final String UNSCHEDULABLE = "node(s) were unschedulable";
    static final String AFFINITY = "node(s) didn't match Pod's node affinity/selector";
    static final String PORTS = "node(s) didn't have free ports for the requested pod ports";

    private Filters() {
    }

    /** Null when the node can take the pod. */
    static NodeStatus run(PodContext pod, NodeInfo node) {
        if (node.unschedulable() && !Tolerations.tolerate(pod.tolerations, Taint.of(Taint.UNSCHEDULABLE, Taint.NO_SCHEDULE))) {
            return NodeStatus.unresolvable(UNSCHEDULABLE);
        }
        Optional<Taint> taint = Tolerations.findUntolerated(node.taints(), pod.tolerations, Tolerations.DO_NOT_SCHEDULE);
        if (taint.isPresent()) {
            return NodeStatus.unresolvable("node(s) had untolerated taint {" + taint.get().key() + ": " + taint.get().value() + "}");
        }
        if (!pod.requiredAffinity.matches(node.labels(), node.name())) return NodeStatus.unresolvable(AFFINITY);
        return fits(pod, node);
    }

    /** The filters that depend on the node's pods (what preemption could change): NodePorts and NodeResourcesFit. */
    static NodeStatus fits(PodContext pod, NodeInfo node) {
        for (HostPort p : pod.info.hostPorts()) {
            if (p.conflictsWith(node.usedPorts())) return NodeStatus.unschedulable(List.of(PORTS));
        }
        List<ResourceFit.Insufficient> insufficient = ResourceFit.insufficient(pod.info.requests(), node.allocatable(),
                node.requested(), node.podCount());
        if (insufficient.isEmpty()) return null;
        List<String> reasons = new ArrayList<>(insufficient.size());
        for (ResourceFit.Insufficient i : insufficient) reasons.add(i.reason());
        return NodeStatus.unschedulable(reasons);
    }
}
