package kubefake.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.events.EventRecorder;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.ControllerExpectations;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.Pods;
import kubefake.controllers.common.SlowStart;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's Job controller ({@code pkg/controller/job}) as 1.33 runs it:
 * <ul>
 *   <li>keeps {@code min(parallelism, completions - succeeded)} pods active (NonIndexed: {@code <job>-xxxxx}; Indexed:
 *   one pod per missing index, {@code <job>-<index>-xxxxx}), deleting surplus ones;</li>
 *   <li>tracks finished pods through the {@code batch.kubernetes.io/job-tracking} finalizer: a finished pod's uid goes
 *   to {@code status.uncountedTerminatedPods}, its finalizer is removed, then it is counted in
 *   {@code succeeded}/{@code failed} (and {@code completedIndexes});</li>
 *   <li>re-creates failed pods after an exponential back-off (10 s doubling to 6 min) of the failures since the last
 *   success;</li>
 *   <li>ends the Job: {@code SuccessCriteriaMet} then {@code Complete} (CompletionsReached), or {@code FailureTarget}
 *   then {@code Failed} (BackoffLimitExceeded once more pods failed than {@code backoffLimit} or, with
 *   {@code restartPolicy: OnFailure}, their containers restarted that often; DeadlineExceeded after
 *   {@code activeDeadlineSeconds}); the terminal condition waits until no pod of the Job is terminating;</li>
 *   <li>status {@code startTime}, {@code completionTime}, {@code active}, {@code ready}, {@code terminating};</li>
 *   <li>{@code podFailurePolicy} (see {@link PodFailurePolicy}): a failed pod matching a FailJob rule makes the Job
 *   fail (reason PodFailurePolicy), one matching an Ignore rule is replaced without counting towards backoffLimit.</li>
 * </ul>
 * Not modelled: backoffLimitPerIndex, successPolicy, suspend's condition, elastic indexed Jobs.
 */
public final class JobController implements AutoCloseable {
    public static final String NAME = "job-controller";
    static final Duration POD_FAILURE_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_POD_FAILURE_BACKOFF = Duration.ofMinutes(6);
    private static final int WORKERS = 5;
    private static final int BURST = 500;

    private final ClusterRuntime runtime;
    private final ResourceClient jobs;
    private final ResourceClient pods;
    private final Informer jobInformer;
    private final Informer podInformer;
    private final PodControl podControl;
    private final EventRecorder recorder;
    private final ControllerExpectations expectations;
    private final Controller<String> controller;
    /** Per Job: failures since its last success and when the last one finished (the back-off of new pods). */
    private final Map<String, BackoffRecord> backoffs = new ConcurrentHashMap<>();
    /**
     * Pods counted whose finalizer removal the informer has not shown yet ({@code finalizerExpectations}): a sync
     * meanwhile must not count them a second time.
     */
    private final Set<String> releasing = ConcurrentHashMap.newKeySet();
    /**
     * Per Job: the resourceVersion of the last status this controller wrote. Until the Job informer shows it, the
     * Job it holds lacks counts whose pods have already lost their finalizer (those pods are no longer counted from the
     * pods), so a sync on it would see completions missing and create pods for them.
     */
    private final Map<String, Long> statusWritten = new ConcurrentHashMap<>();
    /** Runs between a sync's listing of the pods and its counting: tests deliver informer events there. */
    volatile Runnable afterPodsListed = () -> {
    };

    record BackoffRecord(int failuresAfterLastSuccess, Instant lastFailure) {
    }

    /** @param client acting as the controller's service account ({@value #NAME}) */
    public JobController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.runtime = runtime;
        this.jobs = client.resource("batch", "jobs");
        this.pods = client.resource("", "pods");
        this.jobInformer = informers.informer("batch", "jobs");
        this.podInformer = informers.informer("", "pods");
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.podControl = new PodControl(client, recorder);
        this.expectations = new ControllerExpectations(runtime.clock());
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("job", runtime), WORKERS, this::sync);
        jobInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject job) {
                controller.queue().add(ObjectKey.of(job.tree()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                controller.queue().add(ObjectKey.of(current.tree()));
            }

            @Override
            public void onDelete(StoredObject last) {
                String key = ObjectKey.of(last.tree());
                expectations.delete(key);
                backoffs.remove(key);
                statusWritten.remove(key);
                // its pods lose their tracking finalizer, or they could never go
                controller.queue().add(key);
            }
        });
        podInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                podChanged(pod.tree(), true); // read only
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                podChanged(current.tree(), false);
            }

            @Override
            public void onDelete(StoredObject last) {
                ObjectNode pod = last.tree(); // read only
                releasing.remove(Meta.uid(pod));
                OwnerReference ref = jobRef(pod);
                if (ref == null) return;
                String key = ObjectKey.of(Meta.namespace(pod), ref.name());
                expectations.deletionObserved(key, ObjectKey.of(pod));
                controller.queue().add(key);
            }
        });
    }

    public void start() {
        controller.start(jobInformer.synced(), podInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    WorkQueue<String> queue() {
        return controller.queue();
    }

    private static OwnerReference jobRef(JsonNode pod) {
        OwnerReference ref = OwnerReference.controllerOf(pod);
        return ref != null && ref.kind().equals("Job") && ref.group().equals("batch") ? ref : null;
    }

    private void podChanged(ObjectNode pod, boolean added) {
        if (!JobPods.hasFinalizer(pod)) releasing.remove(Meta.uid(pod));
        OwnerReference ref = jobRef(pod);
        if (ref == null) return;
        String key = ObjectKey.of(Meta.namespace(pod), ref.name());
        if (added) expectations.creationObserved(key);
        else if (Meta.isDeleting(pod)) expectations.deletionObserved(key, ObjectKey.of(pod));
        controller.queue().add(key);
    }

    // ------------------------------------------------------------------ sync

    Result sync(String key) {
        StoredObject stored = jobInformer.get(key).orElse(null);
        String namespace = ObjectKey.namespace(key);
        if (stored == null) {
            releaseOrphans(namespace, ObjectKey.name(key), null);
            return Result.done();
        }
        Long written = statusWritten.get(key);
        // the informer's onUpdate for that write queues the Job again
        if (written != null && stored.resourceVersion() < written) return Result.done();
        ObjectNode job = stored.toNode();
        String uid = Meta.uid(job);
        // expectations before the pods: a creation observed after the listing must not satisfy them, or this sync
        // would count without the pod it expected and create it a second time
        boolean satisfied = expectations.satisfied(key);
        List<ObjectNode> owned = new ArrayList<>();
        for (StoredObject p : podInformer.byIndex(Informer.CONTROLLER_INDEX, uid)) owned.add(p.toNode());
        afterPodsListed.run();
        if (isFinished(job)) {
            releaseFinalizers(owned);
            return Result.done();
        }
        if (!satisfied) return Result.done();
        Instant now = runtime.clock().instant();
        JobState s = new JobState(job, owned, now, releasing);

        // 1. finished pods not yet counted: into uncountedTerminatedPods first, then their finalizers go
        if (!s.newlyFinished.isEmpty()) {
            ObjectNode status = s.statusWithUncounted();
            // failures a podFailurePolicy ignores are not recorded: their finalizers just go
            if (!status.equals(job.path("status"))) job = writeStatus(job, status);
            noteFailuresForBackoff(key, s);
            for (ObjectNode p : s.newlyFinished) releasing.add(Meta.uid(p));
            releaseFinalizers(s.newlyFinished);
        }
        releaseFinalizers(s.stillFinalized);
        // 2. the outcome, from the counts including the uncounted pods
        ObjectNode condition = s.finishCondition();
        Duration requeue = null;
        if (condition == null) {
            condition = s.newFinishCondition(now);
            if (condition != null) s.conditions.add(condition);
        }
        if (condition != null) {
            // a Job that reached its target stops its remaining pods
            deletePods(stored, s.active);
            s.terminating += s.active.size();
            s.active.clear();
            if (condition.path("type").asText().equals("FailureTarget")) {
                // a failing Job counts its unfinished pods as failed at once: recorded first, then their finalizers go
                List<ObjectNode> unfinished = s.countUnfinishedAsFailed(releasing);
                if (!unfinished.isEmpty()) {
                    job = writeStatus(job, s.statusWithUncounted());
                    for (ObjectNode p : unfinished) releasing.add(Meta.uid(p));
                    releaseFinalizers(unfinished);
                }
            }
        } else if (!job.path("spec").path("suspend").asBoolean(false)) {
            requeue = manage(key, stored, job, s, now);
            Long deadline = s.deadlineRemainingSeconds(now);
            if (deadline != null && (requeue == null || requeue.getSeconds() > deadline)) requeue = Duration.ofSeconds(deadline);
        } else {
            // suspended: its pods are stopped, it resumes where it was
            deletePods(stored, s.active);
            s.terminating += s.active.size();
            s.active.clear();
        }
        // 3. the status: counts, and the terminal condition once nothing of the Job is still running
        ObjectNode status = s.finalStatus(condition, now);
        if (condition == null && s.suspendedConditionChanged(job.path("spec").path("suspend").asBoolean(false), now)) {
            boolean suspended = job.path("spec").path("suspend").asBoolean(false);
            if (!suspended) status.put("startTime", timestamp(now)); // resumed: its deadline counts from now
            status.set("conditions", s.conditions);
            recorder.event(stored, EventRecorder.NORMAL, suspended ? "Suspended" : "Resumed", suspended ? "Job suspended" : "Job resumed");
        }
        if (!status.equals(job.path("status"))) {
            boolean becameTerminal = status.has("conditions") && hasTerminal(status.path("conditions"));
            job = writeStatus(job, status);
            if (becameTerminal) terminalEvent(stored, status.path("conditions"));
        }
        return requeue == null ? Result.done() : Result.requeueAfter(requeue);
    }

    /** Creates or deletes pods towards the active count the Job wants; the back-off left, if that held creates back. */
    private Duration manage(String key, StoredObject stored, ObjectNode job, JobState s, Instant now) {
        JsonNode spec = job.path("spec");
        int parallelism = spec.path("parallelism").asInt(1);
        int active = s.active.size();
        int wantActive;
        if (s.indexed) {
            wantActive = Math.min(parallelism, s.completions - s.succeededIndexes().size());
        } else if (!s.hasCompletions) {
            wantActive = s.totalSucceeded() > 0 ? active : parallelism;
        } else {
            wantActive = (int) Math.min(parallelism, s.completions - s.totalSucceeded());
        }
        wantActive = Math.max(0, wantActive);
        if (active > wantActive) {
            List<ObjectNode> surplus = new ArrayList<>(s.active);
            // newest first: the ones that have done least
            surplus.sort((a, b) -> Meta.creationTimestamp(b).compareTo(Meta.creationTimestamp(a)));
            surplus = surplus.subList(0, Math.min(BURST, active - wantActive));
            deletePods(stored, surplus);
            s.active.removeAll(surplus);
            s.terminating += surplus.size();
            return null;
        }
        if (active == wantActive) return null;
        BackoffRecord backoff = backoffs.get(key);
        if (backoff != null && backoff.failuresAfterLastSuccess() > 0) {
            Duration delay = POD_FAILURE_BACKOFF.multipliedBy(1L << Math.min(20, backoff.failuresAfterLastSuccess() - 1));
            if (delay.compareTo(MAX_POD_FAILURE_BACKOFF) > 0) delay = MAX_POD_FAILURE_BACKOFF;
            Duration remaining = Duration.between(now, backoff.lastFailure().plus(delay));
            if (!remaining.isNegative() && !remaining.isZero()) return remaining;
        }
        List<Integer> indexes = new ArrayList<>();
        if (s.indexed) {
            Set<Integer> taken = new TreeSet<>(s.succeededIndexes());
            for (ObjectNode p : s.active) taken.add(JobPods.index(p, s.completions));
            for (int i = 0; i < s.completions && indexes.size() < wantActive - active; i++) if (!taken.contains(i)) indexes.add(i);
        } else {
            for (int i = 0; i < wantActive - active; i++) indexes.add(-1);
        }
        int toCreate = Math.min(BURST, indexes.size());
        if (toCreate == 0) return null;
        expectations.expectCreations(key, toCreate);
        OwnerReference ref = OwnerReference.controllerRef(job, "batch/v1", "Job");
        int[] next = {0};
        SlowStart.Outcome outcome = SlowStart.run(toCreate, () -> {
            try {
                ObjectNode created = podControl.createPod(stored, JobPods.newPod(job, ref, indexes.get(next[0]++))).toNode();
                s.active.add(created);
                return null;
            } catch (StatusException e) {
                return PodControl.isNamespaceTerminating(e) ? null : e;
            }
        });
        for (int i = outcome.successes(); i < toCreate; i++) expectations.creationObserved(key);
        if (outcome.failure() != null) throw outcome.failure();
        return null;
    }

    private void noteFailuresForBackoff(String key, JobState s) {
        BackoffRecord r = backoffs.getOrDefault(key, new BackoffRecord(0, null));
        int failures = r.failuresAfterLastSuccess();
        Instant last = r.lastFailure();
        boolean succeeded = false;
        for (ObjectNode p : s.newlyFinished) {
            if (JobPods.succeeded(p)) {
                succeeded = true;
            } else if (!s.ignoredFailures.contains(Meta.uid(p))) {
                failures++;
                Instant t = JobPods.finishedAt(p, s.now);
                if (last == null || t.isAfter(last)) last = t;
            }
        }
        if (succeeded) failures = 0;
        backoffs.put(key, new BackoffRecord(failures, last));
    }

    private void deletePods(StoredObject job, List<ObjectNode> victims) {
        if (victims.isEmpty()) return;
        String key = ObjectKey.of(job.toNode());
        List<String> podKeys = new ArrayList<>();
        for (ObjectNode p : victims) podKeys.add(ObjectKey.of(p));
        expectations.expectDeletions(key, podKeys);
        for (ObjectNode p : victims) {
            try {
                podControl.deletePod(job, Meta.namespace(p), Meta.name(p));
            } catch (StatusException e) {
                expectations.deletionObserved(key, ObjectKey.of(p));
                if (e.code() != 404) throw e;
            }
        }
    }

    /** Removes the tracking finalizer from pods that carry it. */
    private void releaseFinalizers(List<ObjectNode> podsToRelease) {
        for (ObjectNode p : podsToRelease) {
            if (!JobPods.hasFinalizer(p)) continue;
            try {
                pods.patch(Meta.namespace(p), Meta.name(p), current -> Meta.removeFinalizer(current, JobPods.TRACKING_FINALIZER));
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
        }
    }

    /** A deleted Job's pods (by the owner's name; any uid but a live Job's): their finalizers go. */
    private void releaseOrphans(String namespace, String jobName, String liveUid) {
        List<ObjectNode> orphans = new ArrayList<>();
        for (StoredObject p : podInformer.list(namespace)) {
            ObjectNode pod = p.toNode();
            OwnerReference ref = jobRef(pod);
            if (ref != null && ref.name().equals(jobName) && !ref.uid().equals(liveUid) && JobPods.hasFinalizer(pod)) {
                orphans.add(pod);
            }
        }
        releaseFinalizers(orphans);
    }

    private ObjectNode writeStatus(ObjectNode job, ObjectNode status) {
        ObjectNode updated = job.deepCopy();
        updated.set("status", status);
        StoredObject written = jobs.updateStatus(updated);
        statusWritten.put(ObjectKey.of(job), written.resourceVersion());
        return written.toNode();
    }

    private void terminalEvent(StoredObject job, JsonNode conditions) {
        for (JsonNode c : conditions) {
            String type = c.path("type").asText();
            if (type.equals("Complete")) {
                recorder.event(job, EventRecorder.NORMAL, "Completed", "Job completed");
            } else if (type.equals("Failed")) {
                recorder.event(job, EventRecorder.WARNING, c.path("reason").asText(), c.path("message").asText());
            }
        }
    }

    static boolean isFinished(JsonNode job) {
        return hasTerminal(job.path("status").path("conditions"));
    }

    private static boolean hasTerminal(JsonNode conditions) {
        for (JsonNode c : conditions) {
            String type = c.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && c.path("status").asText().equals("True")) return true;
        }
        return false;
    }

    static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** One sync's view of a Job and its pods. */
    private static final class JobState {
        final ObjectNode job;
        final Instant now;
        final boolean indexed;
        final boolean hasCompletions;
        final int completions;
        final List<ObjectNode> active = new ArrayList<>();
        final List<ObjectNode> newlyFinished = new ArrayList<>();
        /** Pods the status already lists as uncounted that still carry the finalizer (a removal that failed). */
        final List<ObjectNode> stillFinalized = new ArrayList<>();
        final ArrayNode conditions;
        final Set<String> uncountedSucceeded = new LinkedHashSet<>();
        final Set<String> uncountedFailed = new LinkedHashSet<>();
        /** Failed pods an {@code Ignore} rule of the podFailurePolicy matched: neither counted nor backed off. */
        final Set<String> ignoredFailures = new LinkedHashSet<>();
        final List<ObjectNode> owned;
        final TreeSet<Integer> completedIndexes;
        int terminating;
        int ready;
        int restarts;
        final long succeeded;
        final long failed;

        JobState(ObjectNode job, List<ObjectNode> owned, Instant now, Set<String> releasing) {
            this.job = job;
            this.now = now;
            this.owned = owned;
            JsonNode spec = job.path("spec");
            JsonNode status = job.path("status");
            indexed = spec.path("completionMode").asText().equals("Indexed");
            hasCompletions = spec.hasNonNull("completions");
            completions = spec.path("completions").asInt(1);
            conditions = status.path("conditions") instanceof ArrayNode a ? a.deepCopy() : Json.MAPPER.createArrayNode();
            for (JsonNode u : status.path("uncountedTerminatedPods").path("succeeded")) uncountedSucceeded.add(u.asText());
            for (JsonNode u : status.path("uncountedTerminatedPods").path("failed")) uncountedFailed.add(u.asText());
            succeeded = status.path("succeeded").asLong(0);
            failed = status.path("failed").asLong(0);
            completedIndexes = JobPods.parseIndexes(status.path("completedIndexes").asText(""), completions);
            for (ObjectNode p : owned) {
                String uid = Meta.uid(p);
                if (JobPods.active(p)) {
                    active.add(p);
                    if (Pods.isReady(p)) ready++;
                    restarts += JobPods.restarts(p);
                } else if (JobPods.terminating(p)) {
                    terminating++;
                }
                if (!JobPods.hasFinalizer(p) || releasing.contains(uid)) continue;
                if (uncountedSucceeded.contains(uid) || uncountedFailed.contains(uid)) {
                    stillFinalized.add(p);
                    continue;
                }
                if (JobPods.succeeded(p)) {
                    uncountedSucceeded.add(uid);
                    newlyFinished.add(p);
                } else if (JobPods.failed(p, job)) {
                    if (PodFailurePolicy.Match.counts(PodFailurePolicy.match(job, p))) uncountedFailed.add(uid);
                    else ignoredFailures.add(uid);
                    newlyFinished.add(p);
                }
            }
            if (indexed) {
                for (ObjectNode p : owned) {
                    if (JobPods.succeeded(p) && uncountedSucceeded.contains(Meta.uid(p))) {
                        int i = JobPods.index(p, completions);
                        if (i >= 0) completedIndexes.add(i);
                    }
                }
            }
        }

        /** Pods still tracked that have not finished: counted as failed (uncounted) now; returns them. */
        List<ObjectNode> countUnfinishedAsFailed(Set<String> releasing) {
            List<ObjectNode> out = new ArrayList<>();
            for (ObjectNode p : owned) {
                String uid = Meta.uid(p);
                if (!JobPods.hasFinalizer(p) || releasing.contains(uid) || JobPods.succeeded(p)) continue;
                if (uncountedFailed.contains(uid) || uncountedSucceeded.contains(uid) || ignoredFailures.contains(uid)) continue;
                uncountedFailed.add(uid);
                out.add(p);
            }
            return out;
        }

        TreeSet<Integer> succeededIndexes() {
            return completedIndexes;
        }

        long totalSucceeded() {
            return indexed ? completedIndexes.size() : succeeded + uncountedSucceeded.size();
        }

        long totalFailed() {
            return failed + uncountedFailed.size();
        }

        ObjectNode baseStatus() {
            ObjectNode st = job.path("status") instanceof ObjectNode o ? o.deepCopy() : Json.MAPPER.createObjectNode();
            if (!st.hasNonNull("startTime") && !job.path("spec").path("suspend").asBoolean(false)) {
                st.put("startTime", timestamp(now));
            }
            return st;
        }

        ObjectNode statusWithUncounted() {
            ObjectNode st = baseStatus();
            ObjectNode u = st.putObject("uncountedTerminatedPods");
            if (!uncountedSucceeded.isEmpty()) uncountedSucceeded.forEach(u.withArray("succeeded")::add);
            if (!uncountedFailed.isEmpty()) uncountedFailed.forEach(u.withArray("failed")::add);
            return st;
        }

        /** The FailureTarget or SuccessCriteriaMet condition the Job already has. */
        ObjectNode finishCondition() {
            for (JsonNode c : conditions) {
                String type = c.path("type").asText();
                if ((type.equals("FailureTarget") || type.equals("SuccessCriteriaMet")) && c.path("status").asText().equals("True")) {
                    return (ObjectNode) c;
                }
            }
            return null;
        }

        /** The condition the Job reaches now, if any. */
        ObjectNode newFinishCondition(Instant now) {
            JsonNode spec = job.path("spec");
            // a failed pod a FailJob rule matches ends the Job before any limit is looked at
            for (ObjectNode p : owned) {
                if (!JobPods.failed(p, job)) continue;
                PodFailurePolicy.Match m = PodFailurePolicy.match(job, p);
                if (m != null && m.failJobMessage() != null) return condition("FailureTarget", "PodFailurePolicy", m.failJobMessage(), now);
            }
            long backoffLimit = spec.path("backoffLimit").asLong(6);
            boolean onFailure = spec.path("template").path("spec").path("restartPolicy").asText().equals("OnFailure");
            // with OnFailure the kubelet restarts containers instead of failing pods: their restarts count
            boolean restartsExceed = onFailure && (backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit);
            if (totalFailed() > backoffLimit || restartsExceed) {
                return condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
            }
            Long remaining = deadlineRemainingSeconds(now);
            if (remaining != null && remaining <= 0) {
                return condition("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline", now);
            }
            boolean done = hasCompletions || indexed ? totalSucceeded() >= completions
                    : totalSucceeded() > 0 && active.isEmpty();
            if (done) return condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now);
            return null;
        }

        /**
         * Sets the {@code Suspended} condition to the Job's {@code spec.suspend} (True: JobSuspended "Job suspended";
         * False: Resumed "Job resumed", only when it was there); whether it changed.
         */
        boolean suspendedConditionChanged(boolean suspended, Instant now) {
            for (JsonNode c : conditions) {
                if (!c.path("type").asText().equals("Suspended")) continue;
                String want = suspended ? "True" : "False";
                if (c.path("status").asText().equals(want)) return false;
                ((ObjectNode) c).put("status", want).put("lastProbeTime", timestamp(now)).put("lastTransitionTime", timestamp(now))
                        .put("reason", suspended ? "JobSuspended" : "Resumed").put("message", suspended ? "Job suspended" : "Job resumed");
                return true;
            }
            if (!suspended) return false;
            conditions.add(condition("Suspended", "JobSuspended", "Job suspended", now));
            ((ObjectNode) conditions.get(conditions.size() - 1)).put("status", "True");
            return true;
        }

        /** Seconds until activeDeadlineSeconds runs out (may be negative), or null without one. */
        Long deadlineRemainingSeconds(Instant now) {
            JsonNode ads = job.path("spec").get("activeDeadlineSeconds");
            if (ads == null || ads.isNull()) return null;
            Instant start = Meta.time(job.path("status").path("startTime"));
            if (start == null) start = now;
            return Duration.between(now, start.plusSeconds(ads.asLong())).toSeconds();
        }

        ObjectNode finalStatus(ObjectNode finish, Instant now) {
            ObjectNode st = baseStatus();
            // the uncounted pods have lost their finalizers: now they are counted
            if (indexed) {
                st.put("succeeded", completedIndexes.size());
            } else {
                st.put("succeeded", succeeded + uncountedSucceeded.size());
            }
            st.put("failed", totalFailed());
            if (st.path("succeeded").asLong() == 0) st.remove("succeeded");
            if (st.path("failed").asLong() == 0) st.remove("failed");
            if (indexed) {
                String text = JobPods.formatIndexes(completedIndexes);
                if (text.isEmpty()) st.remove("completedIndexes");
                else st.put("completedIndexes", text);
            }
            st.putObject("uncountedTerminatedPods");
            if (active.isEmpty()) st.remove("active");
            else st.put("active", active.size());
            st.put("ready", ready);
            st.put("terminating", terminating);
            if (finish != null && terminating == 0 && active.isEmpty()) {
                boolean success = finish.path("type").asText().equals("SuccessCriteriaMet");
                String type = success ? "Complete" : "Failed";
                boolean present = false;
                for (JsonNode c : conditions) present |= c.path("type").asText().equals(type);
                if (!present) {
                    conditions.add(condition(type, finish.path("reason").asText(), finish.path("message").asText(), now));
                    if (success) st.put("completionTime", timestamp(now));
                }
            }
            if (conditions.isEmpty()) st.remove("conditions");
            else st.set("conditions", conditions);
            return st;
        }

        static ObjectNode condition(String type, String reason, String message, Instant now) {
            ObjectNode c = Json.MAPPER.createObjectNode();
            c.put("type", type).put("status", "True").put("lastProbeTime", timestamp(now))
                    .put("lastTransitionTime", timestamp(now)).put("reason", reason).put("message", message);
            return c;
        }
    }
}
