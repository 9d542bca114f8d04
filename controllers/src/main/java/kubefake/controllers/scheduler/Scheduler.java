package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.events.EventRecorder;
import kubefake.client.events.EventsV1Recorder;
import kubefake.client.events.ObjectReference;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.ExponentialBackoff;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.SyncException;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.resources.PodConditions;
import kubefake.store.registry.selection.LabelSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionStage;

/**
 * kube-scheduler with its default profile, for pods whose {@code schedulerName} is {@code default-scheduler}: each
 * pending pod is filtered against every node (unschedulable, taints, node affinity and nodeSelector, host ports,
 * requests against allocatable and pod count), the feasible nodes are scored (least allocated, balanced, spreading of
 * a controller's replicas, preferred affinity and taints) and the pod is bound to the best through pods/binding, with
 * the {@code Scheduled} event. A pod that fits nowhere gets {@code FailedScheduling} with the real message and
 * {@code PodScheduled=False/Unschedulable}, and is tried again when a node or an assigned pod changes, or after five
 * minutes. One pod is scheduled at a time, as in the real scheduler's loop. A pod that fits nowhere may preempt
 * lower-priority pods ({@link Preemption}): the victims get {@code DisruptionTarget=True/PreemptionByScheduler}, are
 * deleted gracefully and get the {@code Preempted} event, and the pod is nominated to their node
 * ({@code status.nominatedNodeName}), whose freed room is kept for it, until their deletion lets it be scheduled.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    public static final String NAME = "default-scheduler";
    /** How often pods that waited too long are retried, and how long is too long (the scheduling queue's flush). */
    static final Duration FLUSH_PERIOD = Duration.ofSeconds(30);
    static final Duration MAX_UNSCHEDULABLE = Duration.ofMinutes(5);
    /** The scheduler's pod back-off after errors (podInitialBackoffSeconds, podMaxBackoffSeconds). */
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Event notes are at most this long ({@code NoteLengthLimit}). */
    static final int NOTE_LIMIT = 1024;
    private static final int MIN_FEASIBLE_NODES = 100;
    private static final int MIN_FEASIBLE_PERCENTAGE = 5;

    private final ResourceClient pods;
    private final ClusterRuntime runtime;
    private final Random random;
    private final Informer podInformer;
    private final Informer nodeInformer;
    private final SpreadSelector spreadSelector;
    private final VolumeBinding volumeBinding;
    private final SchedulerCache cache = new SchedulerCache();
    private final UnschedulablePods unschedulable = new UnschedulablePods();
    private final Nominator nominator = new Nominator();
    private final DisruptionBudgets budgets;
    private final Preemption preemption;
    private final EventsV1Recorder events;
    private final Controller<String> controller;
    private Cancellable flush;
    private int nextStartNodeIndex; // scheduling-loop confined

    /**
     * @param client   acting as {@code system:kube-scheduler}
     * @param instance the events' reportingInstance, {@code default-scheduler-<host>}
     * @param random   breaks ties between equally good nodes (the real scheduler picks one at random)
     */
    public Scheduler(Client client, SharedInformers informers, ClusterRuntime runtime, String instance, Random random) {
        this.pods = client.resource("", "pods");
        this.runtime = runtime;
        this.random = random;
        this.podInformer = informers.informer("", "pods");
        this.nodeInformer = informers.informer("", "nodes");
        this.spreadSelector = new SpreadSelector(informers);
        this.volumeBinding = new VolumeBinding(client, informers, this::moveAllUnschedulable);
        this.budgets = new DisruptionBudgets(informers);
        this.preemption = new Preemption(budgets, nominator, random);
        this.events = new EventsV1Recorder(client, runtime, NAME, instance);
        WorkQueue<String> queue = new WorkQueue<>("scheduler", runtime, new ExponentialBackoff<>(INITIAL_BACKOFF, MAX_BACKOFF));
        this.controller = new Controller<>(NAME, runtime, queue, 1, this::scheduleOne);
        podInformer.addHandler(new PodHandler());
        nodeInformer.addHandler(new NodeHandler());
    }

    /** Starts scheduling once the informers have synced. */
    public void start() {
        List<CompletionStage<?>> synced = new ArrayList<>(List.of(podInformer.synced(), nodeInformer.synced()));
        spreadSelector.informers().forEach(i -> synced.add(i.synced()));
        volumeBinding.informers().forEach(i -> synced.add(i.synced()));
        synced.add(budgets.informer().synced());
        controller.start(synced.toArray(new CompletionStage<?>[0]));
        flush = runtime.every(FLUSH_PERIOD, this::flushLeftovers);
    }

    WorkQueue<String> queue() {
        return controller.queue();
    }

    // ------------------------------------------------------------------ the scheduling cycle

    /**
     * What a cycle decided: a node, or why there is none (and whether that is the pod's fault or an error) with what
     * preemption decided.
     */
    private record Decision(String node, String failure, boolean unschedulable, Preemption.Outcome preemption) {
        static Decision unschedulable(FitError fit, Preemption.Outcome preemption) {
            return new Decision(null, fit.message(preemption.message()), true, preemption);
        }
    }

    private Result scheduleOne(String key) {
        Optional<StoredObject> cached = podInformer.get(key);
        if (cached.isEmpty()) {
            unschedulable.remove(key);
            return Result.done();
        }
        StoredObject stored = cached.get();
        ObjectNode pod = stored.tree(); // the revision's shared tree: a cycle only reads the pod (writes go to the registry)
        if (!responsibleFor(pod) || isAssigned(pod)) return Result.done();
        JsonNode meta = pod.path("metadata");
        if (meta.hasNonNull("deletionTimestamp")) {
            events.eventf(ObjectReference.of(stored), null, EventRecorder.WARNING, "FailedScheduling", "Scheduling",
                    "skip schedule deleting pod: %s/%s", Json.text(meta, "namespace"), Json.text(meta, "name"));
            return Result.done();
        }
        if (!pod.path("spec").path("schedulingGates").isEmpty()) return Result.done(); // waits for its gates to go
        if (cache.isAssumed(key, Json.text(meta, "uid"))) return Result.done();

        long cycle = unschedulable.moveCycle();
        PodContext ctx = new PodContext(pod);
        Decision decision = cache.withNodes(nodes -> decide(ctx, nodes));
        if (decision.node() == null) {
            Preemption.Outcome outcome = decision.preemption();
            String nomination = outcome == null || outcome.clearNomination() ? "" : null;
            if (outcome != null && outcome.candidate() != null) {
                try {
                    preempt(stored, ctx, outcome.candidate());
                } catch (StatusException e) {
                    recordFailure(key, stored, ctx, e.getMessage(), false, cycle, null);
                    throw new SyncException("preempting for " + key + " failed: " + e.getMessage());
                }
                nomination = outcome.candidate().node();
            }
            recordFailure(key, stored, ctx, decision.failure(), decision.unschedulable(), cycle, nomination);
            return Result.done();
        }
        if (!volumeBinding.preBind(pod, decision.node())) {
            // its claims are being bound for that node: PreBind looks again each second, as the real one polls
            cache.forget(ctx.info.onNode(decision.node()));
            return Result.requeueAfter(Duration.ofSeconds(1));
        }
        return bind(key, stored, ctx, decision.node(), cycle);
    }

    /** Filters, scores and, when a node is found, assumes the pod there; runs with the cache held still. */
    private Decision decide(PodContext ctx, List<NodeInfo> allNodes) {
        if (allNodes.isEmpty()) return new Decision(null, "no nodes available to schedule pods", true, null);
        List<NodeInfo> candidates = allNodes;
        NodeStatus absent = null;
        if (ctx.nodeNames != null) {
            if (ctx.nodeNames.isEmpty()) {
                FitError conflict = new FitError(allNodes.size(), "pod affinity terms conflict", Map.of(),
                        NodeStatus.unresolvable("pod affinity terms conflict"));
                return Decision.unschedulable(conflict, preemption.postFilter(ctx, conflict, allNodes));
            }
            candidates = new ArrayList<>();
            for (NodeInfo n : allNodes) if (ctx.nodeNames.contains(n.name())) candidates.add(n);
            absent = NodeStatus.unresolvable("node(s) didn't satisfy plugin(s) [NodeAffinity]");
        }
        String heldFor = volumeBinding.heldNode(ctx.pod);
        if (heldFor != null) candidates = candidates.stream().filter(n -> n.name().equals(heldFor)).toList();
        String volumes = volumeBinding.preFilter(ctx.pod);
        if (volumes != null) {
            FitError fit = new FitError(allNodes.size(), volumes, Map.of(), NodeStatus.unresolvable(volumes));
            return Decision.unschedulable(fit, preemption.postFilter(ctx, fit, allNodes));
        }
        NodeInfo nominated = nominatedNodeThatFits(ctx, candidates);
        if (nominated != null) {
            cache.assume(ctx.info.onNode(nominated.name()));
            return new Decision(nominated.name(), null, false, null);
        }
        Map<String, NodeStatus> statuses = new LinkedHashMap<>();
        List<NodeInfo> feasible = new ArrayList<>();
        int wanted = feasibleNodesToFind(candidates.size());
        int processed = 0;
        for (int i = 0; i < candidates.size() && feasible.size() < wanted; i++) {
            NodeInfo node = candidates.get((nextStartNodeIndex + i) % candidates.size());
            NodeStatus status = Filters.run(ctx, nominator.withNominated(ctx, node));
            if (status == null) feasible.add(node);
            else statuses.put(node.name(), status);
            processed++;
        }
        nextStartNodeIndex = (nextStartNodeIndex + processed) % allNodes.size();
        if (feasible.isEmpty()) {
            FitError fit = new FitError(allNodes.size(), null, statuses, absent);
            return Decision.unschedulable(fit, preemption.postFilter(ctx, fit, allNodes));
        }
        NodeInfo chosen = feasible.size() == 1 ? feasible.get(0) : best(ctx, feasible, allNodes);
        cache.assume(ctx.info.onNode(chosen.name()));
        return new Decision(chosen.name(), null, false, null);
    }

    /** {@code evaluateNominatedNode}: the node a preemption freed for the pod, tried first, if it now fits there. */
    private NodeInfo nominatedNodeThatFits(PodContext ctx, List<NodeInfo> candidates) {
        String name = ctx.nominatedNodeName();
        if (name.isEmpty()) return null;
        for (NodeInfo n : candidates) {
            if (n.name().equals(name)) return Filters.run(ctx, nominator.withNominated(ctx, n)) == null ? n : null;
        }
        return null;
    }

    /** {@code numFeasibleNodesToFind} with the adaptive percentage: all nodes below 100, then 50% less 1% per 125 nodes. */
    static int feasibleNodesToFind(int nodes) {
        if (nodes < MIN_FEASIBLE_NODES) return nodes;
        int percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - nodes / 125);
        return Math.max(MIN_FEASIBLE_NODES, nodes * percentage / 100);
    }

    /** The highest-scoring node; among equals one at random ({@code selectHost}'s reservoir sampling). */
    private NodeInfo best(PodContext ctx, List<NodeInfo> feasible, List<NodeInfo> allNodes) {
        LabelSelector siblings = spreadSelector.of(ctx.pod, ctx.namespace, ctx.labels);
        long[] scores = Scoring.score(ctx, feasible, allNodes, siblings);
        int chosen = 0;
        int ties = 1;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[chosen]) {
                chosen = i;
                ties = 1;
            } else if (scores[i] == scores[chosen] && random.nextInt(++ties) == 0) {
                chosen = i;
            }
        }
        return feasible.get(chosen);
    }

    /**
     * The binding cycle, off the scheduling loop as kube-scheduler runs it ({@code go sched.bindingCycle}): the pod is
     * assumed on its node already, so the loop goes on to the next pod while this binding waits for its write (its
     * fsync); a pod whose binding is in flight is skipped by the loop ({@link SchedulerCache#isAssumed}).
     */
    private Result bind(String key, StoredObject stored, PodContext ctx, String node, long cycle) {
        runtime.executor().execute(() -> {
            try {
                bindNow(key, stored, ctx, node, cycle);
            } catch (SyncException e) {
                Duration delay = controller.queue().addRateLimited(key);
                LOG.warn("{}: {}; retrying in {} ms", NAME, e.getMessage(), delay.toMillis());
            }
        });
        return Result.done();
    }

    private void bindNow(String key, StoredObject stored, PodContext ctx, String node, long cycle) {
        ObjectNode binding = Json.MAPPER.createObjectNode();
        binding.put("apiVersion", "v1").put("kind", "Binding");
        binding.putObject("metadata").put("name", ctx.name).put("namespace", ctx.namespace).put("uid", ctx.info.uid());
        binding.putObject("target").put("kind", "Node").put("name", node);
        try {
            pods.createSubresource("binding", ctx.namespace, ctx.name, binding);
        } catch (StatusException e) {
            cache.forget(ctx.info.onNode(node));
            if (e.code() == 404 || e.code() == 409) {
                // gone, replaced, or bound by someone else meanwhile: the informer tells the rest
                LOG.debug("binding {} to {} refused: {}", key, node, e.getMessage());
                return;
            }
            recordFailure(key, stored, ctx, "running Bind plugin \"DefaultBinder\": " + e.getMessage(), false, cycle, "");
            throw new SyncException("binding " + key + " to " + node + " failed: " + e.getMessage());
        }
        unschedulable.remove(key);
        events.eventf(ObjectReference.of(stored), null, EventRecorder.NORMAL, "Scheduled", "Binding",
                "Successfully assigned %s/%s to %s", ctx.namespace, ctx.name, node);
    }

    /**
     * {@code prepareCandidate}: each victim not already being deleted gets {@code DisruptionTarget=True}, is deleted
     * with its grace period and gets the {@code Preempted} event; lower-priority pods nominated to the same node lose
     * their nomination, as the room they counted on is now the preemptor's.
     */
    private void preempt(StoredObject preemptor, PodContext ctx, Preemption.Candidate candidate) {
        Instant now = runtime.clock().instant();
        String schedulerName = Json.text(ctx.pod.path("spec"), "schedulerName");
        String message = (schedulerName.isEmpty() ? NAME : schedulerName) + ": preempting to accommodate a higher priority pod";
        for (PodInfo victim : candidate.victims()) {
            if (victim.terminating()) continue; // its graceful deletion has begun: nothing to ask
            Optional<StoredObject> current = podInformer.get(victim.key());
            if (current.isEmpty()) continue;
            try {
                pods.patchStatus(victim.namespace(), victim.name(), p -> {
                    if (!Json.text(p.path("metadata"), "uid").equals(victim.uid())) return null;
                    return PodConditions.update(p, "DisruptionTarget", "True", Preemption.REASON, message, now) ? p : null;
                });
                pods.delete(victim.namespace(), victim.name(), new DeleteOptions(null, victim.uid(), null, null, false));
            } catch (StatusException e) {
                if (e.code() == 404 || e.code() == 409) continue; // already gone, or replaced by another pod of that name
                throw e;
            }
            events.eventf(ObjectReference.of(current.get()), ObjectReference.of(preemptor), EventRecorder.NORMAL, "Preempted",
                    "Preempting", "Preempted by pod %s on node %s", ctx.info.uid(), candidate.node());
        }
        for (PodInfo other : nominator.on(candidate.node())) {
            if (other.priority() >= ctx.info.priority()) continue;
            nominator.remove(other.key());
            try {
                pods.patchStatus(other.namespace(), other.name(), p ->
                        Json.text(p.path("metadata"), "uid").equals(other.uid()) && setNomination(p, "") ? p : null);
            } catch (StatusException e) {
                if (e.code() != 404) LOG.warn("could not clear the nominated node of {}: {}", other.key(), e.getMessage());
            }
        }
    }

    /** Sets or (with "") removes the pod's {@code status.nominatedNodeName}; whether that changed it. */
    private static boolean setNomination(ObjectNode pod, String node) {
        ObjectNode status = pod.with("status");
        if (node.equals(Json.text(status, "nominatedNodeName"))) return false;
        if (node.isEmpty()) status.remove("nominatedNodeName");
        else status.put("nominatedNodeName", node);
        return true;
    }

    /**
     * {@code handleSchedulingFailure}: the FailedScheduling event, the pod's {@code PodScheduled=False} condition,
     * and the pod waits among the unschedulable ones (or is retried at once if the cluster changed meanwhile).
     */
    private void recordFailure(String key, StoredObject stored, PodContext ctx, String message, boolean unschedulableFit, long cycle,
                               String nomination) {
        if (nomination != null) nominator.nominate(ctx.info, nomination);
        if (unschedulableFit && !unschedulable.add(key, runtime.clock().instant(), cycle)) controller.queue().add(key);
        String note = message.length() <= NOTE_LIMIT ? message : message.substring(0, NOTE_LIMIT - 4) + " ...";
        events.eventf(ObjectReference.of(stored), null, EventRecorder.WARNING, "FailedScheduling", "Scheduling", note);
        String reason = unschedulableFit ? "Unschedulable" : "SchedulerError";
        Instant now = runtime.clock().instant();
        try {
            pods.patchStatus(ctx.namespace, ctx.name, current -> {
                if (!Json.text(current.path("metadata"), "uid").equals(ctx.info.uid()) || isAssigned(current)) return null;
                boolean changed = PodConditions.update(current, "PodScheduled", "False", reason, message, now);
                if (nomination != null) changed |= setNomination(current, nomination);
                return changed ? current : null;
            });
        } catch (StatusException e) {
            if (e.code() != 404) LOG.warn("could not update the PodScheduled condition of {}: {}", key, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ what moves pods back to the queue

    private void moveAllUnschedulable() {
        for (String key : unschedulable.moveAll()) controller.queue().add(key);
    }

    private void flushLeftovers() {
        Instant before = runtime.clock().instant().minus(MAX_UNSCHEDULABLE);
        for (String key : unschedulable.waitingSince(before)) controller.queue().add(key);
    }

    private static boolean responsibleFor(JsonNode pod) {
        String name = Json.text(pod.path("spec"), "schedulerName");
        return name.isEmpty() || name.equals(NAME);
    }

    private static boolean isAssigned(JsonNode pod) {
        return !Json.text(pod.path("spec"), "nodeName").isEmpty();
    }

    private static boolean nominationChanged(ObjectNode old, ObjectNode current) {
        return !old.path("status").path("nominatedNodeName").equals(current.path("status").path("nominatedNodeName"));
    }

    /** A change of the pod itself, not only of its status or bookkeeping ({@code isPodUpdated}). */
    private static boolean podChanged(ObjectNode old, ObjectNode current) {
        return !strip(old).equals(strip(current));
    }

    private static ObjectNode strip(ObjectNode pod) {
        ObjectNode p = pod.deepCopy();
        p.remove("status");
        ObjectNode meta = Json.metadata(p);
        meta.remove(List.of("resourceVersion", "generation", "managedFields", "finalizers"));
        return p;
    }

    /** The handlers only read the revisions' shared trees: the cache keeps what it takes from them, not the trees. */
    private final class PodHandler implements ResourceEventHandler {
        @Override
        public void onAdd(StoredObject object) {
            ObjectNode pod = object.tree();
            if (isAssigned(pod)) {
                cache.addOrUpdatePod(pod);
            } else if (responsibleFor(pod)) {
                String nominated = Json.text(pod.path("status"), "nominatedNodeName");
                if (!nominated.isEmpty()) nominator.nominate(PodInfo.of(pod), nominated); // e.g. after a restart
                controller.queue().add(ObjectKey.of(pod));
            }
        }

        @Override
        public void onUpdate(StoredObject old, StoredObject current) {
            ObjectNode pod = current.tree();
            String key = ObjectKey.of(pod);
            if (isAssigned(pod)) {
                nominator.remove(key);
                ObjectNode before = old.tree();
                cache.addOrUpdatePod(pod);
                unschedulable.remove(key);
                // a pod that finished frees its node (an assigned pod's deletion, as far as fitting goes)
                if (isAssigned(before) && PodInfo.holdsResources(before) && !PodInfo.holdsResources(pod)) moveAllUnschedulable();
            } else if (responsibleFor(pod)) {
                if (nominationChanged(old.tree(), pod)) {
                    nominator.nominate(PodInfo.of(pod), Json.text(pod.path("status"), "nominatedNodeName"));
                }
                if (podChanged(old.tree(), pod)) {
                    unschedulable.remove(key);
                    controller.queue().add(key);
                }
            }
        }

        @Override
        public void onDelete(StoredObject last) {
            ObjectNode pod = last.tree();
            String key = ObjectKey.of(pod);
            cache.removePod(key);
            nominator.remove(key);
            unschedulable.remove(key);
            volumeBinding.forget(pod);
            if (isAssigned(pod)) moveAllUnschedulable();
        }
    }

    private final class NodeHandler implements ResourceEventHandler {
        @Override
        public void onAdd(StoredObject object) {
            cache.addOrUpdateNode(object.tree());
            moveAllUnschedulable();
        }

        @Override
        public void onUpdate(StoredObject old, StoredObject current) {
            ObjectNode node = current.tree();
            cache.addOrUpdateNode(node);
            if (mayHelpPods(old.tree(), node)) moveAllUnschedulable();
        }

        @Override
        public void onDelete(StoredObject last) {
            cache.removeNode(NodeInfo.nameOf(last.tree()));
        }
    }

    /** Node changes the filters see: labels, taints, unschedulable, allocatable (not heartbeats). */
    private static boolean mayHelpPods(JsonNode old, JsonNode current) {
        return !old.path("metadata").path("labels").equals(current.path("metadata").path("labels"))
                || !old.path("spec").path("taints").equals(current.path("spec").path("taints"))
                || !old.path("spec").path("unschedulable").equals(current.path("spec").path("unschedulable"))
                || !old.path("status").path("allocatable").equals(current.path("status").path("allocatable"));
    }

    @Override
    public void close() {
        if (flush != null) flush.cancel();
        controller.close();
        events.close();
    }
}
