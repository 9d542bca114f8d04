package kubefake.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
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
import kubefake.controllers.common.ControllerRefManager;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.Trees;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * kube-controller-manager's Deployment controller ({@code pkg/controller/deployment}): each Deployment owns
 * ReplicaSets named {@code <name>-<pod-template-hash>}, one per template it has had; the newest is scaled up and the
 * others down as the strategy allows (RollingUpdate within maxSurge and maxUnavailable, or Recreate), as the pods
 * become available. The ReplicaSets carry the revision and replicas annotations {@code kubectl rollout} reads; the
 * Deployment's status carries the counts and the Available and Progressing conditions {@code kubectl rollout status}
 * waits on. A paused Deployment only scales; old ReplicaSets beyond revisionHistoryLimit are deleted.
 */
public final class DeploymentController implements AutoCloseable {
    public static final String NAME = "deployment-controller";
    private static final int WORKERS = 5;

    private final ClusterRuntime runtime;
    private final ResourceClient deployments;
    private final ResourceClient replicaSets;
    private final Informer dInformer;
    private final Informer rsInformer;
    private final Informer podInformer;
    private final EventRecorder recorder;
    private final Controller<String> controller;

    /** @param client acting as the {@code deployment-controller} service account */
    public DeploymentController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.runtime = runtime;
        this.deployments = client.resource("apps", "deployments");
        this.replicaSets = client.resource("apps", "replicasets");
        this.dInformer = informers.informer("apps", "deployments");
        this.rsInformer = informers.informer("apps", "replicasets");
        this.podInformer = informers.informer("", "pods");
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("deployment", runtime), WORKERS, this::sync);
        dInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject d) {
                controller.queue().add(ObjectKey.of(d.toNode()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject d) {
                controller.queue().add(ObjectKey.of(d.toNode()));
            }

            @Override
            public void onDelete(StoredObject d) {
                controller.queue().add(ObjectKey.of(d.toNode()));
            }
        });
        rsInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject rs) {
                rsAdded(rs.toNode());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject rs) {
                rsUpdated(old.toNode(), rs.toNode());
            }

            @Override
            public void onDelete(StoredObject rs) {
                rsDeleted(rs.toNode());
            }
        });
        podInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onDelete(StoredObject pod) {
                podDeleted(pod.toNode());
            }
        });
    }

    public void start() {
        controller.start(dInformer.synced(), rsInformer.synced(), podInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    // ------------------------------------------------------------------ event handlers

    private void enqueue(JsonNode d) {
        controller.queue().add(ObjectKey.of(d));
    }

    private ObjectNode resolveControllerRef(String namespace, OwnerReference ref) {
        if (!ref.kind().equals("Deployment") || !ref.group().equals("apps")) return null;
        StoredObject d = dInformer.get(namespace, ref.name()).orElse(null);
        if (d == null) return null;
        ObjectNode tree = d.toNode();
        return Meta.uid(tree).equals(ref.uid()) ? tree : null;
    }

    /** The Deployments whose selector matches the ReplicaSet's labels (empty selectors match nothing here). */
    private List<ObjectNode> deploymentsMatching(ObjectNode rs) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : dInformer.list(Meta.namespace(rs))) {
            ObjectNode d = o.toNode();
            LabelSelector selector = selector(d);
            if (selector == null || selector.isEverything() || !selector.matches(Meta.labels(rs))) continue;
            out.add(d);
        }
        return out;
    }

    private void rsAdded(ObjectNode rs) {
        if (Meta.isDeleting(rs)) {
            rsDeleted(rs);
            return;
        }
        OwnerReference ref = OwnerReference.controllerOf(rs);
        if (ref != null) {
            ObjectNode d = resolveControllerRef(Meta.namespace(rs), ref);
            if (d != null) enqueue(d);
            return;
        }
        for (ObjectNode d : deploymentsMatching(rs)) enqueue(d);
    }

    private void rsUpdated(ObjectNode old, ObjectNode cur) {
        if (Meta.resourceVersion(old).equals(Meta.resourceVersion(cur))) return;
        OwnerReference curRef = OwnerReference.controllerOf(cur);
        OwnerReference oldRef = OwnerReference.controllerOf(old);
        boolean refChanged = !Objects.equals(curRef, oldRef);
        if (refChanged && oldRef != null) {
            ObjectNode d = resolveControllerRef(Meta.namespace(old), oldRef);
            if (d != null) enqueue(d);
        }
        if (curRef != null) {
            ObjectNode d = resolveControllerRef(Meta.namespace(cur), curRef);
            if (d != null) enqueue(d);
            return;
        }
        if (!Meta.labels(old).equals(Meta.labels(cur)) || refChanged) {
            for (ObjectNode d : deploymentsMatching(cur)) enqueue(d);
        }
    }

    private void rsDeleted(ObjectNode rs) {
        OwnerReference ref = OwnerReference.controllerOf(rs);
        if (ref == null) return;
        ObjectNode d = resolveControllerRef(Meta.namespace(rs), ref);
        if (d != null) enqueue(d);
    }

    /** A Recreate rollout waits for the old pods to be gone: the last one's deletion wakes it. */
    private void podDeleted(ObjectNode pod) {
        OwnerReference ref = OwnerReference.controllerOf(pod);
        if (ref == null || !ref.kind().equals("ReplicaSet")) return;
        StoredObject rsStored = rsInformer.get(Meta.namespace(pod), ref.name()).orElse(null);
        if (rsStored == null) return;
        ObjectNode rs = rsStored.toNode();
        if (!Meta.uid(rs).equals(ref.uid())) return;
        OwnerReference dRef = OwnerReference.controllerOf(rs);
        if (dRef == null) return;
        ObjectNode d = resolveControllerRef(Meta.namespace(rs), dRef);
        if (d == null || !DeploymentUtil.isRecreate(d)) return;
        List<ObjectNode> owned = new ArrayList<>();
        for (StoredObject o : rsInformer.byIndex(Informer.CONTROLLER_INDEX, Meta.uid(d))) owned.add(o.toNode());
        int pods = 0;
        for (List<ObjectNode> list : podMap(d, owned).values()) pods += list.size();
        if (pods == 0) enqueue(d);
    }

    // ------------------------------------------------------------------ sync

    private static LabelSelector selector(ObjectNode d) {
        try {
            return LabelSelector.fromJson(d.path("spec").get("selector"));
        } catch (StatusException e) {
            return null;
        }
    }

    Result sync(String key) {
        StoredObject stored = dInformer.get(key).orElse(null);
        if (stored == null) return Result.done();
        ObjectNode d = stored.toNode();
        JsonNode selectorNode = d.path("spec").path("selector");
        LabelSelector selector = selector(d);
        if (selector == null) return Result.done();
        if (selectorNode.isObject() && selectorNode.path("matchLabels").isEmpty() && selectorNode.path("matchExpressions").isEmpty()) {
            recorder.event(stored, EventRecorder.WARNING, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if (d.path("status").path("observedGeneration").asLong(0) < Meta.generation(d)) {
                Trees.putNumber(d.with("status"), "observedGeneration", Meta.generation(d));
                deployments.updateStatus(d);
            }
            return Result.done();
        }
        List<ObjectNode> rsList = claimReplicaSets(d, selector);
        Map<String, List<ObjectNode>> podMap = podMap(d, rsList);
        Duration[] requeue = new Duration[1];
        boolean[] rateLimited = new boolean[1];
        Rollout rollout = new Rollout(d, rsList, podMap, deployments, replicaSets, recorder, runtime.clock().instant(),
                after -> requeue[0] = after, () -> rateLimited[0] = true);
        if (Meta.isDeleting(d)) {
            rollout.syncStatusOnly();
        } else {
            rollout.checkPausedConditions();
            if (DeploymentUtil.isPaused(d) || rollout.isScalingEvent()) {
                rollout.sync();
            } else if (DeploymentUtil.isRecreate(d)) {
                rollout.rolloutRecreate();
            } else {
                rollout.rolloutRolling();
            }
        }
        if (rateLimited[0]) controller.queue().addRateLimited(key);
        return requeue[0] != null ? Result.requeueAfter(requeue[0]) : Result.done();
    }

    /** The Deployment's ReplicaSets after adoption and release ({@code getReplicaSetsForDeployment}). */
    private List<ObjectNode> claimReplicaSets(ObjectNode d, LabelSelector selector) {
        List<ObjectNode> all = new ArrayList<>();
        for (StoredObject o : rsInformer.list(Meta.namespace(d))) all.add(o.toNode());
        ControllerRefManager refs = new ControllerRefManager(d, "apps/v1", "Deployment", replicaSets,
                rs -> selector.matches(Meta.labels(rs)),
                () -> deployments.find(Meta.namespace(d), Meta.name(d)).map(StoredObject::toNode).orElse(null));
        return refs.claim(all);
    }

    /** The pods of each of the ReplicaSets, by ReplicaSet uid ({@code getPodMapForDeployment}). */
    private Map<String, List<ObjectNode>> podMap(ObjectNode d, List<ObjectNode> rsList) {
        Map<String, List<ObjectNode>> map = new LinkedHashMap<>();
        for (ObjectNode rs : rsList) map.put(Meta.uid(rs), new ArrayList<>());
        LabelSelector selector = selector(d);
        if (selector == null) return map;
        for (StoredObject o : podInformer.list(Meta.namespace(d))) {
            ObjectNode pod = o.tree(); // read only; the Deployment's pods copied
            if (!selector.matches(Meta.labels(pod))) continue;
            OwnerReference ref = OwnerReference.controllerOf(pod);
            if (ref == null) continue;
            List<ObjectNode> list = map.get(ref.uid());
            if (list != null) list.add(pod.deepCopy());
        }
        return map;
    }

    WorkQueue<String> queue() {
        return controller.queue();
    }
}
