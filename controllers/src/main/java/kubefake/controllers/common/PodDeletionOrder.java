package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods a controller deletes first when it has too many ({@code controller.ActivePodsWithRanks} with the
 * PodDeletionCost and LogarithmicScaleDown features on, as in 1.33): the pods earliest in their start-up go first.
 * <ol>
 *   <li>not scheduled before scheduled;</li>
 *   <li>Pending before Unknown before Running;</li>
 *   <li>not ready before ready;</li>
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first;</li>
 *   <li>more related pods on the same node first (the rank);</li>
 *   <li>of two ready pods, the one ready more recently (in powers-of-two buckets of age), then by uid;</li>
 *   <li>more container restarts first;</li>
 *   <li>newer before older (again in buckets of age, then by uid).</li>
 * </ol>
 */
public final class PodDeletionOrder {
    static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

    private PodDeletionOrder() {
    }

    private record Ranked(ObjectNode pod, int rank) {
    }

    /**
     * The first {@code count} of {@code pods} in deletion order; {@code related} are the pods of the controller's
     * whole family (a Deployment's ReplicaSets), whose count per node ranks the candidates.
     */
    public static List<ObjectNode> firstToDelete(List<ObjectNode> pods, List<ObjectNode> related, int count, Instant now) {
        if (count >= pods.size()) return new ArrayList<>(pods);
        Map<String, Integer> perNode = new HashMap<>();
        for (ObjectNode p : related) if (Pods.isActive(p)) perNode.merge(Pods.nodeName(p), 1, Integer::sum);
        List<Ranked> ranked = new ArrayList<>();
        for (ObjectNode p : pods) ranked.add(new Ranked(p, perNode.getOrDefault(Pods.nodeName(p), 0)));
        ranked.sort(comparator(now));
        List<ObjectNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(ranked.get(i).pod());
        return out;
    }

    private static Comparator<Ranked> comparator(Instant now) {
        return (a, b) -> {
            JsonNode i = a.pod();
            JsonNode j = b.pod();
            String ni = Pods.nodeName(i);
            String nj = Pods.nodeName(j);
            if (!ni.equals(nj) && (ni.isEmpty() || nj.isEmpty())) return ni.isEmpty() ? -1 : 1;
            int pi = phaseOrdinal(Pods.phase(i));
            int pj = phaseOrdinal(Pods.phase(j));
            if (pi != pj) return Integer.compare(pi, pj);
            boolean ri = Pods.isReady(i);
            boolean rj = Pods.isReady(j);
            if (ri != rj) return ri ? 1 : -1;
            int ci = deletionCost(i);
            int cj = deletionCost(j);
            if (ci != cj) return Integer.compare(ci, cj);
            if (a.rank() != b.rank()) return Integer.compare(b.rank(), a.rank());
            if (ri) {
                int byReady = newerFirst(Pods.readyTime(i), Pods.readyTime(j), i, j, now);
                if (byReady != 0) return byReady;
            }
            int restarts = Integer.compare(maxRestarts(j, false), maxRestarts(i, false));
            if (restarts != 0) return restarts;
            restarts = Integer.compare(maxRestarts(j, true), maxRestarts(i, true));
            if (restarts != 0) return restarts;
            return newerFirst(Meta.creationTimestamp(i), Meta.creationTimestamp(j), i, j, now);
        };
    }

    private static int phaseOrdinal(String phase) {
        return switch (phase) {
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 0;
        };
    }

    private static int deletionCost(JsonNode pod) {
        String v = Meta.annotation(pod, DELETION_COST);
        if (v == null) return 0;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Unknown (zero) times first, then newer before older; in age buckets of powers of two, ties broken by uid. */
    private static int newerFirst(Instant ti, Instant tj, JsonNode i, JsonNode j, Instant now) {
        if (ti == null ? tj == null : ti.equals(tj)) return 0;
        if (ti == null || tj == null) return ti == null ? -1 : 1;
        int rankDiff = log2Bucket(ti, now) - log2Bucket(tj, now);
        if (rankDiff == 0) return Meta.uid(i).compareTo(Meta.uid(j));
        return Integer.compare(rankDiff, 0);
    }

    /** int(log2(age in nanoseconds)), -1 for a time not in the past ({@code logarithmicRankDiff}). */
    private static int log2Bucket(Instant t, Instant now) {
        long nanos = Duration.between(t, now).toNanos();
        if (nanos <= 0) return -1;
        return 63 - Long.numberOfLeadingZeros(nanos);
    }

    /** The highest restart count of the pod's regular containers, or of its sidecars (restartable init containers). */
    private static int maxRestarts(JsonNode pod, boolean sidecars) {
        int max = 0;
        JsonNode statuses = pod.path("status").path(sidecars ? "initContainerStatuses" : "containerStatuses");
        for (JsonNode s : statuses) {
            if (sidecars && !isSidecar(pod, s.path("name").asText())) continue;
            max = Math.max(max, s.path("restartCount").asInt(0));
        }
        return max;
    }

    private static boolean isSidecar(JsonNode pod, String name) {
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            if (name.equals(c.path("name").asText())) return "Always".equals(c.path("restartPolicy").asText());
        }
        return false;
    }
}
