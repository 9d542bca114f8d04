package kubefake.controllers.scheduler;

import kubefake.client.scheduling.Resources;
import kubefake.client.scheduling.Taint;
import kubefake.client.scheduling.Toleration;
import kubefake.client.scheduling.Tolerations;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The default profile's score plugins that matter without volumes, images and inter-pod affinity, with their
 * weights: TaintToleration (3), NodeAffinity (2), NodeResourcesFit least-allocated (1), PodTopologySpread with the
 * system default constraints (2) and NodeResourcesBalancedAllocation (1). Each scores a node 0 to 100; a node's total
 * is the weighted sum. Least-allocated and spreading together spread a controller's replicas over the nodes.
 */
final class Scoring {
    static final long MAX_SCORE = 100;
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    private Scoring() {
    }

    /** The total score of each feasible node, in their order. */
    static long[] score(PodContext pod, List<NodeInfo> feasible, List<NodeInfo> allNodes, LabelSelector siblings) {
        int n = feasible.size();
        long[] total = new long[n];
        add(total, 3, normalize(taintToleration(pod, feasible), true));
        if (!pod.preferredAffinity.isEmpty()) add(total, 2, normalize(nodeAffinity(pod, feasible), false));
        add(total, 1, leastAllocated(pod, feasible));
        if (siblings != null) add(total, 2, topologySpread(pod, feasible, allNodes, siblings));
        Resources request = pod.info.requests();
        if (request.milliCpu() != 0 || request.memory() != 0) add(total, 1, balancedAllocation(pod, feasible));
        return total;
    }

    private static void add(long[] total, long weight, long[] scores) {
        for (int i = 0; i < total.length; i++) total[i] += weight * scores[i];
    }

    /** {@code helper.DefaultNormalizeScore}: scaled to 0..100 of the highest, reversed when fewer is better. */
    static long[] normalize(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) max = Math.max(max, s);
        long[] out = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) out[i] = reverse ? MAX_SCORE : 0;
            else out[i] = reverse ? MAX_SCORE - MAX_SCORE * scores[i] / max : MAX_SCORE * scores[i] / max;
        }
        return out;
    }

    /** PreferNoSchedule taints the pod does not tolerate. */
    private static long[] taintToleration(PodContext pod, List<NodeInfo> nodes) {
        List<Toleration> preferNoSchedule = new ArrayList<>();
        for (Toleration t : pod.tolerations) {
            if (t.effect().isEmpty() || t.effect().equals(Taint.PREFER_NO_SCHEDULE)) preferNoSchedule.add(t);
        }
        long[] out = new long[nodes.size()];
        for (int i = 0; i < out.length; i++) {
            for (Taint taint : nodes.get(i).taints()) {
                if (taint.effect().equals(Taint.PREFER_NO_SCHEDULE) && !Tolerations.tolerate(preferNoSchedule, taint)) out[i]++;
            }
        }
        return out;
    }

    private static long[] nodeAffinity(PodContext pod, List<NodeInfo> nodes) {
        long[] out = new long[nodes.size()];
        for (int i = 0; i < out.length; i++) out[i] = pod.preferredAffinity.score(nodes.get(i).labels(), nodes.get(i).name());
        return out;
    }

    /** NodeResourcesFit's LeastAllocated on CPU and memory, counting requests with the scoring floor. */
    private static long[] leastAllocated(PodContext pod, List<NodeInfo> nodes) {
        long[] out = new long[nodes.size()];
        Resources want = pod.info.nonZeroRequests();
        for (int i = 0; i < out.length; i++) {
            NodeInfo node = nodes.get(i);
            Resources alloc = node.allocatable().resources();
            long sum = 0;
            long weights = 0;
            if (alloc.milliCpu() != 0) {
                sum += leastRequested(node.nonZeroRequested().milliCpu() + want.milliCpu(), alloc.milliCpu());
                weights++;
            }
            if (alloc.memory() != 0) {
                sum += leastRequested(node.nonZeroRequested().memory() + want.memory(), alloc.memory());
                weights++;
            }
            out[i] = weights == 0 ? 0 : sum / weights;
        }
        return out;
    }

    private static long leastRequested(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) return 0;
        return (capacity - requested) * MAX_SCORE / capacity;
    }

    /** NodeResourcesBalancedAllocation: how evenly CPU and memory would be used (requests as they are). */
    private static long[] balancedAllocation(PodContext pod, List<NodeInfo> nodes) {
        long[] out = new long[nodes.size()];
        Resources want = pod.info.requests();
        for (int i = 0; i < out.length; i++) {
            NodeInfo node = nodes.get(i);
            Resources alloc = node.allocatable().resources();
            List<Double> fractions = new ArrayList<>(2);
            if (alloc.milliCpu() != 0) fractions.add(Math.min(1, (double) (node.requested().milliCpu() + want.milliCpu()) / alloc.milliCpu()));
            if (alloc.memory() != 0) fractions.add(Math.min(1, (double) (node.requested().memory() + want.memory()) / alloc.memory()));
            double std = fractions.size() == 2 ? Math.abs((fractions.get(0) - fractions.get(1)) / 2) : 0;
            out[i] = (long) ((1 - std) * MAX_SCORE);
        }
        return out;
    }

    /**
     * PodTopologySpread with the system default constraints (hostname with maxSkew 3, zone with maxSkew 5, both
     * ScheduleAnyway): fewer siblings in a node's domain score higher. Nodes without a zone label are spread by
     * hostname only.
     */
    private static long[] topologySpread(PodContext pod, List<NodeInfo> feasible, List<NodeInfo> allNodes, LabelSelector siblings) {
        Map<String, Long> zoneCounts = new HashMap<>();
        boolean zoned = false;
        for (NodeInfo node : feasible) {
            String zone = node.labels().get(ZONE);
            zoned |= zone != null;
            zoneCounts.putIfAbsent(zone == null ? "" : zone, 0L);
        }
        double zoneWeight = Math.log(zoneCounts.size() + 2);
        double hostWeight = Math.log(feasible.size() + 2);
        // the zones' sibling counts go over every node's pods: only when a feasible node has a zone to score by (the
        // real plugin counts them anyway, and reads them only for nodes with the label)
        for (NodeInfo node : zoned ? allNodes : List.<NodeInfo>of()) {
            if (!pod.requiredAffinity.matches(node.labels(), node.name())) continue;
            String zone = node.labels().getOrDefault(ZONE, "");
            if (zoneCounts.containsKey(zone)) zoneCounts.merge(zone, siblingsOn(node, pod, siblings), Long::sum);
        }
        long[] raw = new long[feasible.size()];
        for (int i = 0; i < raw.length; i++) {
            NodeInfo node = feasible.get(i);
            double score = 0;
            if (node.labels().containsKey(HOSTNAME)) score += siblingsOn(node, pod, siblings) * hostWeight + (3 - 1);
            String zone = node.labels().get(ZONE);
            if (zone != null) score += zoneCounts.get(zone) * zoneWeight + (5 - 1);
            raw[i] = Math.round(score);
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long s : raw) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long[] out = new long[raw.length];
        for (int i = 0; i < raw.length; i++) out[i] = max == 0 ? MAX_SCORE : MAX_SCORE * (max + min - raw[i]) / max;
        return out;
    }

    /** The pod's siblings on a node: same namespace, not terminating, matching the selector. */
    private static long siblingsOn(NodeInfo node, PodContext pod, LabelSelector siblings) {
        long count = 0;
        for (PodInfo p : node.pods()) {
            if (!p.terminating() && p.namespace().equals(pod.namespace) && siblings.matches(p.labels())) count++;
        }
        return count;
    }
}
