package kubefake.controllers.ttlafterfinished;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Duration;
import java.time.Instant;

/**
 * kube-controller-manager's TTL-after-finished controller ({@code pkg/controller/ttlafterfinished}): a Job with
 * {@code spec.ttlSecondsAfterFinished} is deleted (foreground, so its pods go first; preconditioned on its uid and
 * resourceVersion) that many seconds after its Complete or Failed condition turned True.
 */
public final class TtlAfterFinishedController implements AutoCloseable {
    public static final String NAME = "ttl-after-finished-controller";

    private final ClusterRuntime runtime;
    private final ResourceClient jobs;
    private final Informer jobInformer;
    private final Controller<String> controller;

    public TtlAfterFinishedController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.runtime = runtime;
        this.jobs = client.resource("batch", "jobs");
        this.jobInformer = informers.informer("batch", "jobs");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("ttl_jobs_to_delete", runtime), 5, this::sync);
        jobInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject job) {
                enqueueIfDue(job.toNode());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                enqueueIfDue(current.toNode());
            }

            @Override
            public void onDelete(StoredObject last) {
            }
        });
    }

    public void start() {
        controller.start(jobInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    private void enqueueIfDue(ObjectNode job) {
        if (job.path("spec").hasNonNull("ttlSecondsAfterFinished") && finishedAt(job) != null && !Meta.isDeleting(job)) {
            controller.queue().add(ObjectKey.of(job));
        }
    }

    /** When the Job's terminal condition turned True, or null while it runs. */
    static Instant finishedAt(JsonNode job) {
        for (JsonNode c : job.path("status").path("conditions")) {
            String type = c.path("type").asText();
            if ((type.equals("Complete") || type.equals("Failed")) && c.path("status").asText().equals("True")) {
                return Meta.time(c.path("lastTransitionTime"));
            }
        }
        return null;
    }

    Result sync(String key) {
        StoredObject stored = jobInformer.get(key).orElse(null);
        if (stored == null) return Result.done();
        ObjectNode job = stored.toNode();
        Instant finished = finishedAt(job);
        if (finished == null || Meta.isDeleting(job) || !job.path("spec").hasNonNull("ttlSecondsAfterFinished")) return Result.done();
        Instant expireAt = finished.plusSeconds(job.path("spec").path("ttlSecondsAfterFinished").asLong());
        Duration left = Duration.between(runtime.clock().instant(), expireAt);
        if (left.isNegative() || left.isZero()) {
            try {
                jobs.delete(Meta.namespace(job), Meta.name(job),
                        new DeleteOptions(null, Meta.uid(job), Meta.resourceVersion(job), "Foreground", false));
            } catch (StatusException e) {
                // gone, or changed meanwhile (its next update brings it back here)
                if (e.code() != 404 && e.code() != 409) throw e;
            }
            return Result.done();
        }
        return Result.requeueAfter(left);
    }
}
