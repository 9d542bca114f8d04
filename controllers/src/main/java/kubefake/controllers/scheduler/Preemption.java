package kubefake.controllers.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * DefaultPreemption's PostFilter for a pod that fits nowhere ({@code preemption.Evaluator}): on each node where only
 * the node's pods are in the way, remove every lower-priority pod, and if the pod then fits, give back as many as
 * still leave room, the most important first and those whose eviction would break a PodDisruptionBudget before the
 * others ({@code SelectVictimsOnNode}); of the nodes that work, pick the one with the fewest budget violations, then
 * the lowest-priority, fewest and most recently started victims ({@code pickOneNodeForPreemption}). When no node
 * works, say why for each node ({@code "preemption: 0/N nodes are available: ..."}). The decision only reads the
 * scheduler's cache; the scheduler carries it out.
 */
final class Preemption {
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    static final String NEVER = "not eligible due to preemptionPolicy=Never.";
    static final String VICTIMS_TERMINATING = "not eligible due to a terminating pod on the nominated node.";
    /** The DisruptionTarget reason a victim is given ({@code v1.PodReasonPreemptionByScheduler}). */
    static final String REASON = "PreemptionByScheduler";
    /** DefaultPreemptionArgs' defaults: dry-run at least 10% of the nodes, and at least 100 of them. */
    private static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    private static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

    /** A node where evicting {@code victims} (most important first) makes room. */
    record Candidate(String node, List<PodInfo> victims, int pdbViolations) {
    }

    /**
     * What PostFilter decided: a candidate to carry out, or the message for the FailedScheduling event (with or
     * without a candidate, {@code message} is what follows the filters' reasons). {@code clearNomination}: the pod's
     * nominatedNodeName is removed (no node helps); otherwise it stays as it is unless a candidate replaces it.
     */
    record Outcome(String message, Candidate candidate, boolean clearNomination) {
        static Outcome notEligible(String why) {
            return new Outcome("preemption: " + why, null, false);
        }
    }

    private final DisruptionBudgets budgets;
    private final Nominator nominator;
    private final Random random;

    Preemption(DisruptionBudgets budgets, Nominator nominator, Random random) {
        this.budgets = budgets;
        this.nominator = nominator;
        this.random = random;
    }

    /** Runs with the cache held still; {@code fit} says why each node failed. */
    Outcome postFilter(PodContext pod, FitError fit, List<NodeInfo> allNodes) {
        if ("Never".equals(pod.preemptionPolicy())) return Outcome.notEligible(NEVER);
        if (victimsStillTerminating(pod, fit, allNodes)) return Outcome.notEligible(VICTIMS_TERMINATING);

        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo node : allNodes) {
            NodeStatus status = fit.statusOf(node.name());
            if (status != null && status.resolvable()) potential.add(node);
        }
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        List<Candidate> nonViolating = new ArrayList<>();
        List<Candidate> violating = new ArrayList<>();
        if (!potential.isEmpty()) {
            int offset = random.nextInt(potential.size());
            int wanted = candidatesToFind(potential.size());
            for (int i = 0; i < potential.size(); i++) {
                NodeInfo node = potential.get((offset + i) % potential.size());
                Object result = selectVictims(pod, node);
                if (result instanceof Candidate c) {
                    (c.pdbViolations() == 0 ? nonViolating : violating).add(c);
                    if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= wanted) break;
                } else {
                    statuses.put(node.name(), (NodeStatus) result);
                }
            }
        }
        List<Candidate> candidates = new ArrayList<>(nonViolating);
        candidates.addAll(violating);
        if (candidates.isEmpty()) {
            String why = new FitError(allNodes.size(), null, statuses, NodeStatus.unresolvable(NOT_HELPFUL)).message(null);
            return new Outcome("preemption: " + why, null, true);
        }
        return new Outcome("", pick(candidates), false);
    }

    /**
     * {@code PodEligibleToPreemptOthers}: a pod that already preempted waits while a lower-priority pod on its
     * nominated node is still terminating because of it, unless that node can no longer take it at all.
     */
    private static boolean victimsStillTerminating(PodContext pod, FitError fit, List<NodeInfo> allNodes) {
        String nominated = pod.nominatedNodeName();
        if (nominated.isEmpty()) return false;
        NodeStatus status = fit.statusOf(nominated);
        if (status != null && !status.resolvable()) return false;
        for (NodeInfo node : allNodes) {
            if (!node.name().equals(nominated)) continue;
            for (PodInfo p : node.pods()) if (p.priority() < pod.info.priority() && p.preemptedByScheduler()) return true;
        }
        return false;
    }

    /** {@code calculateNumCandidates}. */
    static int candidatesToFind(int nodes) {
        return Math.min(nodes, Math.max(nodes * MIN_CANDIDATE_NODES_PERCENTAGE / 100, MIN_CANDIDATE_NODES_ABSOLUTE));
    }

    /** {@code SelectVictimsOnNode}: a {@link Candidate}, or the node's status when preempting there does not help. */
    private Object selectVictims(PodContext pod, NodeInfo node) {
        NodeInfo without = node.copy();
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : node.pods()) {
            if (p.priority() < pod.info.priority()) {
                potential.add(p);
                without.removePod(p.key());
            }
        }
        if (potential.isEmpty()) return NodeStatus.unresolvable(NO_VICTIMS);
        NodeStatus after = fits(pod, without);
        if (after != null) return after;

        potential.sort(MORE_IMPORTANT_FIRST);
        DisruptionBudgets.Split split = budgets.split(potential);
        List<PodInfo> victims = new ArrayList<>();
        int violations = 0;
        for (PodInfo p : split.violating()) if (!reprieve(pod, without, p, victims)) violations++;
        for (PodInfo p : split.nonViolating()) reprieve(pod, without, p, victims);
        if (!split.violating().isEmpty() && !split.nonViolating().isEmpty()) victims.sort(MORE_IMPORTANT_FIRST);
        return new Candidate(node.name(), victims, violations);
    }

    /** Puts the pod back on the node if the preemptor still fits; otherwise it is a victim. */
    private boolean reprieve(PodContext pod, NodeInfo node, PodInfo p, List<PodInfo> victims) {
        node.addPod(p);
        if (fits(pod, node) == null) return true;
        node.removePod(p.key());
        victims.add(p);
        return false;
    }

    private NodeStatus fits(PodContext pod, NodeInfo node) {
        return Filters.fits(pod, nominator.withNominated(pod, node));
    }

    /**
     * {@code MoreImportantPod}: higher priority first, then the one that started earlier (a pod not started yet
     * counts as starting now, after every started one).
     */
    static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = Comparator.comparingInt((PodInfo p) -> p.priority()).reversed()
            .thenComparing(PodInfo::startTime, Comparator.nullsLast(Comparator.naturalOrder()));

    /** {@code pickOneNodeForPreemption} with the default criteria, each deciding only among the previous one's ties. */
    static Candidate pick(List<Candidate> candidates) {
        List<ToLongFunction<Candidate>> scores = List.of(
                c -> -c.pdbViolations(),
                c -> -(long) c.victims().get(0).priority(),
                c -> -c.victims().stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1L).sum(),
                c -> -c.victims().size(),
                Preemption::earliestStartOfMostImportant);
        List<Candidate> remaining = candidates;
        for (ToLongFunction<Candidate> score : scores) {
            List<Candidate> best = new ArrayList<>();
            long max = Long.MIN_VALUE;
            for (Candidate c : remaining) {
                long s = score.applyAsLong(c);
                if (s > max) {
                    max = s;
                    best.clear();
                }
                if (s == max) best.add(c);
            }
            if (best.size() == 1) return best.get(0);
            remaining = best;
        }
        return remaining.get(0);
    }

    /**
     * {@code GetEarliestPodStartTime}: among the highest-priority victims, the earliest start (later is better); a
     * victim not started yet counts as starting now, after every started one.
     */
    private static long earliestStartOfMostImportant(Candidate c) {
        int highest = c.victims().get(0).priority();
        long earliest = Long.MAX_VALUE;
        for (PodInfo v : c.victims()) {
            Instant started = v.started();
            if (v.priority() != highest || started == null) continue;
            earliest = Math.min(earliest, started.getEpochSecond() * 1_000_000_000L + started.getNano());
        }
        return earliest;
    }
}
