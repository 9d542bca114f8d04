package kubefake.controllers.namespace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.ExponentialBackoff;
import kubefake.client.workqueue.RateLimiters;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.SyncException;
import kubefake.client.workqueue.TokenBucket;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kube-controller-manager's namespace controller ({@code pkg/controller/namespace}): when a namespace is Terminating,
 * delete everything in it, and once nothing is left remove the {@code kubernetes} finalizer (namespaces/finalize),
 * which lets the namespace go.
 *
 * <p>Content that takes time to go is waited for as the real controller does: pods that may still be terminating
 * gracefully make it look again after half their remaining grace period plus a second; objects held by finalizers
 * after about 8 s (half of 15 s, plus one); anything else left over is an error, retried with the queue's back-off
 * (5 ms doubling up to 60 s).
 */
public final class NamespaceController implements AutoCloseable {
    public static final String NAME = "namespace-controller";
    /** The finalizer this controller owns. */
    static final String FINALIZER = "kubernetes";
    /**
     * The real controller waits this long after seeing a deletion, so that API servers and etcd members of an HA
     * control plane all see the namespace terminating before its content is removed.
     */
    public static final Duration REAL_DELETION_GRACE_PERIOD = Duration.ofSeconds(5);
    /** How long objects held by finalizers are assumed to take (the real deleter's finalizerEstimateSeconds). */
    static final long FINALIZER_ESTIMATE_SECONDS = 15;
    /** Namespaces in deletion at once; the executor's pool bounds the real parallelism. */
    private static final int WORKERS = 2;
    private static final DeleteOptions BACKGROUND = new DeleteOptions(null, null, null, "Background", false);

    private final Client client;
    private final ClusterRuntime runtime;
    private final Duration deletionGracePeriod;
    private final Informer namespaces;
    private final Controller<String> controller;

    /**
     * @param client              acting as kube-controller-manager
     * @param deletionGracePeriod how long to wait after a deletion is seen before emptying the namespace
     *                            ({@link #REAL_DELETION_GRACE_PERIOD} in a real cluster)
     */
    public NamespaceController(Client client, SharedInformers informers, ClusterRuntime runtime, Duration deletionGracePeriod) {
        this.client = client;
        this.runtime = runtime;
        this.deletionGracePeriod = deletionGracePeriod;
        this.namespaces = informers.informer("", "namespaces");
        // the real controller's rate limiter: retried at least every minute, at most 10 retries a second overall
        WorkQueue<String> queue = new WorkQueue<>("namespace", runtime, RateLimiters.maxOf(
                new ExponentialBackoff<>(Duration.ofMillis(5), Duration.ofSeconds(60)), new TokenBucket<>(runtime.clock(), 10, 100)));
        this.controller = new Controller<>(NAME, runtime, queue, WORKERS, this::sync);
        namespaces.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject namespace) {
                enqueueIfDeleted(namespace);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject namespace) {
                enqueueIfDeleted(namespace);
            }
        });
    }

    /** Starts syncing once the namespace informer has synced. */
    public void start() {
        controller.start(namespaces.synced());
    }

    WorkQueue<String> queue() {
        return controller.queue();
    }

    private void enqueueIfDeleted(StoredObject namespace) {
        JsonNode meta = Json.parseObject(namespace.json()).path("metadata");
        if (meta.hasNonNull("deletionTimestamp")) controller.queue().addAfter(Json.text(meta, "name"), deletionGracePeriod);
    }

    private Result sync(String name) {
        ResourceClient namespaceClient = client.resource("", "namespaces");
        // several controllers may edit a terminating namespace: decide on its latest state, not the cache's
        Optional<StoredObject> current = namespaceClient.find("", name);
        if (current.isEmpty()) return Result.done();
        ObjectNode ns = current.get().toNode();
        JsonNode meta = ns.path("metadata");
        if (!meta.hasNonNull("deletionTimestamp") || !hasFinalizer(ns)) return Result.done();

        long estimate = deleteAllContent(name, Instant.parse(Json.text(meta, "deletionTimestamp")));
        if (estimate > 0) return Result.requeueAfter(Duration.ofSeconds(estimate / 2 + 1));

        try {
            namespaceClient.patchSubresource("finalize", "", name, n -> {
                var kept = Json.MAPPER.createArrayNode();
                n.path("spec").path("finalizers").forEach(f -> { if (!f.asText().equals(FINALIZER)) kept.add(f); });
                n.with("spec").set("finalizers", kept);
                return n;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e; // gone already: what we wanted
        }
        return Result.done();
    }

    private static boolean hasFinalizer(ObjectNode ns) {
        for (JsonNode f : ns.path("spec").path("finalizers")) if (f.asText().equals(FINALIZER)) return true;
        return false;
    }

    /**
     * Deletes every namespaced object of the namespace; returns how many seconds what remains may still take (0 when
     * nothing remains), and throws when something remains that should not.
     */
    private long deleteAllContent(String namespace, Instant deletedAt) {
        long estimate = 0;
        List<String> unexpected = new ArrayList<>();
        for (ResourceStore rs : client.registry().resources()) {
            ResourceType type = rs.type();
            // another group's view of the same objects (events.k8s.io events) is emptied with them
            if (!type.namespaced() || type.storage() != null || !type.verbs().contains("delete") || !type.verbs().contains("list")) continue;
            ResourceClient resource = client.resource(type.group(), type.resource());
            long gracefulEstimate = type.group().isEmpty() && type.resource().equals("pods")
                    ? Math.max(0, podsGracePeriod(resource, namespace) - Duration.between(deletedAt, runtime.clock().instant()).toSeconds())
                    : 0;
            deleteAll(resource, type, namespace);
            List<StoredObject> remaining = resource.list(namespace);
            if (remaining.isEmpty()) continue;
            if (gracefulEstimate > 0) {
                estimate = Math.max(estimate, gracefulEstimate);
            } else if (remaining.stream().anyMatch(NamespaceController::hasFinalizers)) {
                estimate = Math.max(estimate, FINALIZER_ESTIMATE_SECONDS);
            } else {
                unexpected.add(type.qualifiedResource());
            }
        }
        if (!unexpected.isEmpty()) {
            throw new SyncException("unexpected items still remain in namespace: " + namespace + " for " + String.join(", ", unexpected));
        }
        return estimate;
    }

    private static void deleteAll(ResourceClient resource, ResourceType type, String namespace) {
        if (type.verbs().contains("deletecollection")) {
            resource.deleteCollection(namespace, ListOptions.ALL, BACKGROUND);
            return;
        }
        for (StoredObject o : resource.list(namespace)) {
            try {
                resource.delete(namespace, Json.text(Json.parseObject(o.json()).path("metadata"), "name"), BACKGROUND);
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
        }
    }

    /** The longest grace period of the namespace's pods that have not finished (the real deleter's estimate). */
    private static long podsGracePeriod(ResourceClient pods, String namespace) {
        long longest = 0;
        for (StoredObject o : pods.list(namespace)) {
            ObjectNode pod = Json.parseObject(o.json());
            String phase = pod.path("status").path("phase").asText("");
            if (phase.equals("Succeeded") || phase.equals("Failed")) continue;
            longest = Math.max(longest, pod.path("spec").path("terminationGracePeriodSeconds").asLong(0));
        }
        return longest;
    }

    private static boolean hasFinalizers(StoredObject o) {
        return !Json.parseObject(o.json()).path("metadata").path("finalizers").isEmpty();
    }

    @Override
    public void close() {
        controller.close();
    }
}
