package kubefake.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.SyncException;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.EndpointPods;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.TriggerTimeTracker;
import kubefake.store.registry.StoredObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-controller-manager's endpointslice controller ({@code pkg/controller/endpointslice}): for every service with a
 * selector (not ExternalName), discovery.k8s.io/v1 EndpointSlices named {@code <service>-<5 chars>}, labelled with
 * the service name and {@code endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}, owned by the
 * service (the garbage collector removes them with it), holding its pods' endpoints with their conditions (ready,
 * serving, terminating), nodeName, zone and targetRef, 100 to a slice at most.
 */
public final class EndpointSliceController implements AutoCloseable {
    public static final String NAME = "endpointslice-controller";
    /** The controller's own service account in kube-system. */
    public static final String SERVICE_ACCOUNT = "endpointslice-controller";
    /** kube-controller-manager's --max-endpoints-per-slice. */
    public static final int MAX_ENDPOINTS_PER_SLICE = 100;
    /** Changes others make to the slices are looked at after this, so a burst of them costs one sync. */
    static final Duration SLICE_CHANGE_MIN_SYNC_DELAY = Duration.ofSeconds(1);
    /** kube-controller-manager's --concurrent-service-endpoint-syncs. */
    private static final int WORKERS = 5;

    private final Informer services;
    private final Informer pods;
    private final Informer slices;
    private final Informer nodes;
    private final Controller<String> controller;
    private final EndpointSliceTracker tracker = new EndpointSliceTracker();
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    private final EndpointSliceReconciler reconciler;

    public EndpointSliceController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this(client, informers, runtime, MAX_ENDPOINTS_PER_SLICE);
    }

    EndpointSliceController(Client client, SharedInformers informers, ClusterRuntime runtime, int maxEndpointsPerSlice) {
        this.services = informers.informer("", "services");
        this.pods = informers.informer("", "pods");
        this.slices = informers.informer("discovery.k8s.io", "endpointslices");
        this.nodes = informers.informer("", "nodes");
        this.reconciler = new EndpointSliceReconciler(client.resource("discovery.k8s.io", "endpointslices"), nodes, tracker,
                maxEndpointsPerSlice);
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("endpoint_slice", runtime), WORKERS, this::syncService);
        EndpointPods.queueServicesOnChanges(services, pods, controller.queue());
        slices.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject slice) {
                JsonNode s = slice.toNode();
                if (managed(s) && tracker.shouldSync(serviceKey(s), s)) queueService(s);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject slice) {
                JsonNode before = old.toNode();
                JsonNode s = slice.toNode();
                if (!serviceKey(before).equals(serviceKey(s)) || managed(before) != managed(s)) {
                    queueService(before);
                    queueService(s);
                } else if (managed(s) && tracker.shouldSync(serviceKey(s), s)) {
                    queueService(s);
                }
            }

            @Override
            public void onDelete(StoredObject slice) {
                JsonNode s = slice.toNode();
                if (managed(s) && tracker.has(serviceKey(s), s) && !tracker.handleDeletion(serviceKey(s), s)) queueService(s);
            }
        });
    }

    private static boolean managed(JsonNode slice) {
        return EndpointSliceReconciler.MANAGED_BY.equals(Meta.labels(slice).get(EndpointSliceReconciler.MANAGED_BY_LABEL));
    }

    private static String serviceKey(JsonNode slice) {
        return ObjectKey.of(Meta.namespace(slice), Meta.labels(slice).getOrDefault(EndpointSliceReconciler.SERVICE_NAME_LABEL, ""));
    }

    private void queueService(JsonNode slice) {
        if (!Meta.labels(slice).getOrDefault(EndpointSliceReconciler.SERVICE_NAME_LABEL, "").isEmpty()) {
            controller.queue().addAfter(serviceKey(slice), SLICE_CHANGE_MIN_SYNC_DELAY);
        }
    }

    public void start() {
        controller.start(services.synced(), pods.synced(), slices.synced(), nodes.synced());
    }

    private Result syncService(String key) {
        String namespace = ObjectKey.namespace(key);
        JsonNode service = services.get(namespace, ObjectKey.name(key)).map(StoredObject::toNode).orElse(null);
        if (service == null) {
            // its slices go with it: the garbage collector follows their owner reference
            triggerTimes.forget(key);
            tracker.forget(key);
            return Result.done();
        }
        List<JsonNode> selected = EndpointPods.selectedPods(service, pods);
        if (selected == null) return Result.done();
        List<ObjectNode> existing = new ArrayList<>();
        for (StoredObject o : slices.list(namespace)) {
            ObjectNode slice = o.toNode();
            if (managed(slice) && serviceKey(slice).equals(key) && !Meta.isDeleting(slice)) existing.add(slice);
        }
        if (tracker.stale(key, existing)) {
            throw new SyncException("EndpointSlice informer cache is out of date for Service " + key);
        }
        Instant triggerTime = triggerTimes.compute(key, service, selected);
        reconciler.reconcile(service, selected, existing, triggerTime);
        return Result.done();
    }

    @Override
    public void close() {
        controller.close();
    }
}
