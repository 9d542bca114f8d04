package kubefake.client.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Taints against tolerations, as {@code component-helpers/scheduling/corev1} and core/v1's helpers decide it. */
public final class Tolerations {
    /** Taints that keep pods from being scheduled (the scheduler's and DaemonSet controller's filter). */
    public static final Predicate<Taint> DO_NOT_SCHEDULE =
            t -> t.effect().equals(Taint.NO_SCHEDULE) || t.effect().equals(Taint.NO_EXECUTE);
    /** Taints that evict running pods. */
    public static final Predicate<Taint> NO_EXECUTE = t -> t.effect().equals(Taint.NO_EXECUTE);

    private Tolerations() {
    }

    /** Whether any of the tolerations tolerates the taint ({@code TolerationsTolerateTaint}). */
    public static boolean tolerate(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) if (t.toleratesTaint(taint)) return true;
        return false;
    }

    /**
     * The first of the taints that passes the filter and is not tolerated ({@code FindMatchingUntoleratedTaint}), in
     * the node's order.
     */
    public static Optional<Taint> findUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
        for (Taint taint : taints) {
            if (filter.test(taint) && !tolerate(tolerations, taint)) return Optional.of(taint);
        }
        return Optional.empty();
    }

    /**
     * Which tolerations tolerate the taints ({@code GetMatchingTolerations}): empty when one of the taints is not
     * tolerated at all (then {@link Matching#allTolerated()} is false).
     */
    public static Matching matching(List<Taint> taints, List<Toleration> tolerations) {
        if (taints.isEmpty()) return new Matching(true, List.of());
        if (tolerations.isEmpty()) return new Matching(false, List.of());
        List<Toleration> used = new ArrayList<>();
        for (Taint taint : taints) {
            boolean tolerated = false;
            for (Toleration t : tolerations) {
                if (t.toleratesTaint(taint)) {
                    tolerated = true;
                    used.add(t);
                    break;
                }
            }
            if (!tolerated) return new Matching(false, List.of());
        }
        return new Matching(true, used);
    }

    /** The outcome of {@link #matching}. */
    public record Matching(boolean allTolerated, List<Toleration> used) {
        /**
         * How long the pod may stay ({@code getMinTolerationTime}): the smallest tolerationSeconds of the used
         * tolerations (0 for a negative one), or null when all of them last forever.
         */
        public Long minTolerationSeconds() {
            Long min = null;
            for (Toleration t : used) {
                if (t.tolerationSeconds() == null) continue;
                long s = Math.max(0, t.tolerationSeconds());
                if (min == null || s < min) min = s;
            }
            return min;
        }
    }

    /**
     * The tolerations with {@code toleration} added, or replacing the one with the same key, operator, value and
     * effect ({@code AddOrUpdateTolerationInPodSpec}); the same list when it was there already.
     */
    public static List<Toleration> addOrUpdate(List<Toleration> tolerations, Toleration toleration) {
        List<Toleration> out = new ArrayList<>(tolerations.size() + 1);
        boolean updated = false;
        for (Toleration t : tolerations) {
            if (toleration.sameAs(t)) {
                if (toleration.equalsIncludingSeconds(t)) return tolerations;
                out.add(toleration);
                updated = true;
            } else {
                out.add(t);
            }
        }
        if (!updated) out.add(toleration);
        return out;
    }
}
