package kubefake.controllers.cronjob;

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
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.validation.CronSchedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kube-controller-manager's CronJob controller ({@code pkg/controller/cronjob}, the v2 one): at each scheduled time
 * of {@code spec.schedule} (in {@code spec.timeZone}, else the controller's zone, UTC here) it creates the Job
 * {@code <cronjob>-<scheduled minutes since the epoch>} from the job template, unless the CronJob is suspended, the
 * time is older than {@code startingDeadlineSeconds} ({@code MissSchedule}), or {@code concurrencyPolicy: Forbid} finds
 * a Job still active ({@code Replace} deletes it first). It keeps {@code status.active}, {@code lastScheduleTime} and
 * {@code lastSuccessfulTime}, and deletes finished Jobs beyond the successful and failed history limits.
 */
public final class CronJobController implements AutoCloseable {
    public static final String NAME = "cronjob-controller";
    static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final DeleteOptions BACKGROUND = new DeleteOptions(null, null, null, "Background", false);
    /** Beyond this many missed start times the controller says so (and still starts the latest). */
    private static final int TOO_MANY_MISSED = 100;

    private final ClusterRuntime runtime;
    private final ResourceClient cronJobs;
    private final ResourceClient jobs;
    private final Informer cronJobInformer;
    private final Informer jobInformer;
    private final EventRecorder recorder;
    private final Controller<String> controller;
    private final ZoneId localZone;

    /** @param client acting as the controller's service account ({@value #NAME}) */
    public CronJobController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this(client, informers, runtime, ZoneOffset.UTC);
    }

    CronJobController(Client client, SharedInformers informers, ClusterRuntime runtime, ZoneId localZone) {
        this.runtime = runtime;
        this.localZone = localZone;
        this.cronJobs = client.resource("batch", "cronjobs");
        this.jobs = client.resource("batch", "jobs");
        this.cronJobInformer = informers.informer("batch", "cronjobs");
        this.jobInformer = informers.informer("batch", "jobs");
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("cronjob", runtime), 5, this::sync);
        cronJobInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject cj) {
                controller.queue().add(ObjectKey.of(cj.tree()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                controller.queue().add(ObjectKey.of(current.tree()));
            }

            @Override
            public void onDelete(StoredObject last) {
                controller.queue().add(ObjectKey.of(last.tree()));
            }
        });
        ResourceEventHandler jobChanged = new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject job) {
                enqueueOwner(job.tree());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                enqueueOwner(current.tree());
            }

            @Override
            public void onDelete(StoredObject last) {
                enqueueOwner(last.tree());
            }
        };
        jobInformer.addHandler(jobChanged);
    }

    public void start() {
        controller.start(cronJobInformer.synced(), jobInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    private void enqueueOwner(ObjectNode job) {
        OwnerReference ref = OwnerReference.controllerOf(job);
        if (ref != null && ref.kind().equals("CronJob") && ref.group().equals("batch")) {
            controller.queue().add(ObjectKey.of(Meta.namespace(job), ref.name()));
        }
    }

    // ------------------------------------------------------------------ sync

    Result sync(String key) {
        StoredObject stored = cronJobInformer.get(key).orElse(null);
        if (stored == null) return Result.done();
        ObjectNode cj = stored.toNode();
        Instant now = runtime.clock().instant();
        List<ObjectNode> owned = new ArrayList<>();
        for (StoredObject j : jobInformer.byIndex(Informer.CONTROLLER_INDEX, Meta.uid(cj))) owned.add(j.toNode());

        ObjectNode status = cj.path("status") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
        ArrayNode active = trackActive(stored, status, owned);
        Duration requeue = null;
        if (!Meta.isDeleting(cj) && !cj.path("spec").path("suspend").asBoolean(false)) {
            requeue = maybeStart(stored, cj, status, active, now);
        }
        if (active.isEmpty()) status.remove("active");
        else status.set("active", active);
        if (!status.equals(cj.path("status"))) {
            ObjectNode updated = cj.deepCopy();
            updated.set("status", status);
            cronJobs.updateStatus(updated);
        }
        cleanupHistory(stored, cj, owned);
        return requeue == null ? Result.done() : Result.requeueAfter(requeue);
    }

    /** status.active from the owned Jobs: finished ones leave it (and count as last success), running ones join. */
    private ArrayNode trackActive(StoredObject stored, ObjectNode status, List<ObjectNode> owned) {
        Map<String, ObjectNode> byUid = new HashMap<>();
        for (ObjectNode j : owned) byUid.put(Meta.uid(j), j);
        ArrayNode active = Json.MAPPER.createArrayNode();
        for (JsonNode ref : status.path("active")) {
            ObjectNode job = byUid.get(ref.path("uid").asText());
            if (job == null) continue; // gone: no longer active
            String finished = finishedType(job);
            if (finished == null) {
                active.add(ref);
                continue;
            }
            recorder.event(stored, EventRecorder.NORMAL, "SawCompletedJob",
                    "Saw completed job: " + Meta.name(job) + ", condition: " + finished);
            Instant completion = Meta.time(job.path("status").path("completionTime"));
            if (finished.equals("Complete") && completion != null) {
                Instant last = Meta.time(status.path("lastSuccessfulTime"));
                if (last == null || completion.isAfter(last)) status.put("lastSuccessfulTime", timestamp(completion));
            }
        }
        for (ObjectNode job : owned) {
            if (finishedType(job) != null || Meta.isDeleting(job)) continue;
            boolean listed = false;
            for (JsonNode ref : active) listed |= ref.path("uid").asText().equals(Meta.uid(job));
            if (!listed) active.add(reference(job));
        }
        return active;
    }

    /** Starts the Job of the most recent missed time if it may; returns when to look again. */
    private Duration maybeStart(StoredObject stored, ObjectNode cj, ObjectNode status, ArrayNode active, Instant now) {
        JsonNode spec = cj.path("spec");
        ZoneId zone = localZone;
        if (spec.hasNonNull("timeZone")) {
            zone = CronSchedule.zone(spec.path("timeZone").asText());
            if (zone == null) {
                recorder.event(stored, EventRecorder.WARNING, "UnknownTimeZone",
                        "invalid timeZone: \"" + spec.path("timeZone").asText() + "\"");
                return null;
            }
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(spec.path("schedule").asText(), zone);
        } catch (IllegalArgumentException e) {
            recorder.event(stored, EventRecorder.WARNING, "UnparseableSchedule",
                    "unparseable schedule: \"" + spec.path("schedule").asText() + "\" : " + e.getMessage());
            return null;
        }
        Instant earliest = Meta.time(status.path("lastScheduleTime"));
        if (earliest == null) earliest = Meta.creationTimestamp(cj);
        JsonNode deadline = spec.get("startingDeadlineSeconds");
        if (deadline != null && !deadline.isNull()) {
            Instant byDeadline = now.minusSeconds(deadline.asLong());
            if (byDeadline.isAfter(earliest)) earliest = byDeadline;
        }
        // a schedule that never fires (February 31st): the real controller finds no time between its next two
        // firings, says so and leaves the CronJob until its spec changes
        Optional<Instant> first = schedule.next(earliest);
        if (first.isEmpty() || (!now.isBefore(first.get()) && schedule.next(first.get()).isEmpty())) {
            recorder.event(stored, EventRecorder.WARNING, "InvalidSchedule", "invalid schedule: "
                    + spec.path("schedule").asText() + " : time difference between two schedules is less than 1 second");
            return null;
        }
        // the most recent scheduled time in (earliest, now]
        Instant scheduled = null;
        int missed = 0;
        for (Optional<Instant> t = schedule.next(earliest); t.isPresent() && !t.get().isAfter(now); t = schedule.next(t.get())) {
            scheduled = t.get();
            missed++;
        }
        Duration untilNext = schedule.next(now).map(t -> Duration.between(now, t).plusMillis(100)).orElse(null);
        if (scheduled == null) return untilNext;
        if (missed > TOO_MANY_MISSED) {
            recorder.event(stored, EventRecorder.WARNING, "TooManyMissedTimes",
                    "too many missed start times: " + missed + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        if (deadline != null && !deadline.isNull() && scheduled.plusSeconds(deadline.asLong()).isBefore(now)) {
            recorder.event(stored, EventRecorder.WARNING, "MissSchedule",
                    "Missed scheduled time to start a job: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(scheduled.atZone(zone)));
            return untilNext;
        }
        String policy = spec.path("concurrencyPolicy").asText("Allow");
        if (policy.equals("Forbid") && !active.isEmpty()) {
            recorder.event(stored, EventRecorder.NORMAL, "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
            return untilNext;
        }
        if (policy.equals("Replace")) {
            for (JsonNode ref : active) {
                try {
                    jobs.delete(ref.path("namespace").asText(), ref.path("name").asText(), BACKGROUND);
                    recorder.event(stored, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + ref.path("name").asText());
                } catch (StatusException e) {
                    if (e.code() != 404) throw e;
                }
            }
            active.removeAll();
        }
        ObjectNode job = jobFor(cj, scheduled, zone);
        try {
            StoredObject created = jobs.create(job);
            recorder.event(stored, EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + Meta.name(job));
            active.add(reference(created.toNode()));
        } catch (StatusException e) {
            if (e.code() != 409) {
                recorder.event(stored, EventRecorder.WARNING, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            // made by an earlier sync whose status write was lost: it is the same Job
        }
        status.put("lastScheduleTime", timestamp(scheduled));
        return untilNext;
    }

    /** The Job of one scheduled time: the template's labels and annotations, the scheduled time, a controller reference. */
    private static ObjectNode jobFor(ObjectNode cj, Instant scheduled, ZoneId zone) {
        JsonNode template = cj.path("spec").path("jobTemplate");
        ObjectNode job = Json.MAPPER.createObjectNode();
        job.put("apiVersion", "batch/v1").put("kind", "Job");
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", Meta.name(cj) + "-" + scheduled.getEpochSecond() / 60).put("namespace", Meta.namespace(cj));
        if (template.path("metadata").get("labels") instanceof ObjectNode labels && !labels.isEmpty()) meta.set("labels", labels.deepCopy());
        ObjectNode annotations = template.path("metadata").get("annotations") instanceof ObjectNode a ? a.deepCopy()
                : Json.MAPPER.createObjectNode();
        annotations.put(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(scheduled.atZone(zone)));
        meta.set("annotations", annotations);
        meta.putArray("ownerReferences").add(OwnerReference.controllerRef(cj, "batch/v1", "CronJob").toJson());
        job.set("spec", template.path("spec").deepCopy());
        return job;
    }

    private static ObjectNode reference(JsonNode job) {
        ObjectNode ref = Json.MAPPER.createObjectNode();
        ref.put("kind", "Job").put("namespace", Meta.namespace(job)).put("name", Meta.name(job)).put("uid", Meta.uid(job))
                .put("apiVersion", "batch/v1").put("resourceVersion", Meta.resourceVersion(job));
        return ref;
    }

    /** "Complete" or "Failed" when the Job has finished, else null. */
    private static String finishedType(JsonNode job) {
        for (JsonNode c : job.path("status").path("conditions")) {
            String type = c.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && c.path("status").asText().equals("True")) return type;
        }
        return null;
    }

    /** Deletes the oldest finished Jobs beyond the history limits. */
    private void cleanupHistory(StoredObject stored, ObjectNode cj, List<ObjectNode> owned) {
        JsonNode spec = cj.path("spec");
        for (String type : List.of("Complete", "Failed")) {
            JsonNode limitNode = spec.get(type.equals("Complete") ? "successfulJobsHistoryLimit" : "failedJobsHistoryLimit");
            if (limitNode == null || limitNode.isNull()) continue;
            List<ObjectNode> finished = new ArrayList<>();
            for (ObjectNode j : owned) if (type.equals(finishedType(j)) && !Meta.isDeleting(j)) finished.add(j);
            int excess = finished.size() - limitNode.asInt();
            if (excess <= 0) continue;
            finished.sort(Comparator.comparing(CronJobController::startedAt));
            for (ObjectNode j : finished.subList(0, excess)) {
                try {
                    jobs.delete(Meta.namespace(j), Meta.name(j), BACKGROUND);
                    recorder.event(stored, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + Meta.name(j));
                } catch (StatusException e) {
                    if (e.code() != 404) throw e;
                }
            }
        }
    }

    private static Instant startedAt(ObjectNode job) {
        Instant t = Meta.time(job.path("status").path("startTime"));
        return t != null ? t : Meta.creationTimestamp(job);
    }

    static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
