package kubefake.controllers.replicaset;

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
import kubefake.controllers.common.ControllerRefManager;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.PodDeletionOrder;
import kubefake.controllers.common.Pods;
import kubefake.controllers.common.SlowStart;
import kubefake.controllers.common.Trees;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * kube-controller-manager's ReplicaSet controller ({@code pkg/controller/replicaset}), for ReplicaSets or
 * ReplicationControllers ({@link ReplicaSetKind}): keeps {@code spec.replicas} active pods matching the selector.
 * <ul>
 *   <li>pods are made from the template ({@code <name>-<5 random>}, the template's labels, a controller reference
 *   that blocks the owner's deletion), in slow-start batches of 1, 2, 4...;</li>
 *   <li>matching orphans are adopted, owned pods whose labels stop matching released;</li>
 *   <li>surplus pods are deleted in {@link PodDeletionOrder};</li>
 *   <li>expectations keep it from acting again before its informer has seen its own creates and deletes, so a lagging
 *   cache never makes it over-create;</li>
 *   <li>status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for minReadySeconds),
 *   observedGeneration, and a {@code ReplicaFailure} condition while creates or deletes fail.</li>
 * </ul>
 */
public final class ReplicaSetController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaSetController.class);
    /** At most this many pods created or deleted in one sync ({@code BurstReplicas}). */
    static final int BURST_REPLICAS = 500;
    private static final int WORKERS = 5;

    private final ReplicaSetKind kind;
    private final ClusterRuntime runtime;
    private final ResourceClient replicaSets;
    private final ResourceClient pods;
    private final Informer rsInformer;
    private final Informer podInformer;
    private final PodControl podControl;
    private final ControllerExpectations expectations;
    private final Controller<String> controller;

    /** @param client acting as the controller's service account ({@code kind.component()}) */
    public ReplicaSetController(ReplicaSetKind kind, Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.kind = kind;
        this.runtime = runtime;
        this.replicaSets = client.resource(kind.group(), kind.resource());
        this.pods = client.resource("", "pods");
        this.rsInformer = informers.informer(kind.group(), kind.resource());
        this.podInformer = informers.informer("", "pods");
        this.podControl = new PodControl(client, new EventRecorder(client, runtime, kind.component(), ""));
        this.expectations = new ControllerExpectations(runtime.clock());
        this.controller = new Controller<>(kind.component(), runtime, new WorkQueue<>(kind.resource(), runtime), WORKERS, this::sync);
        rsInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject rs) {
                enqueue(rs.toNode());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                ObjectNode o = old.toNode();
                ObjectNode c = current.toNode();
                if (!Meta.uid(o).equals(Meta.uid(c))) rsDeleted(o); // deleted and created again under the same name
                enqueue(c);
            }

            @Override
            public void onDelete(StoredObject last) {
                rsDeleted(last.toNode());
            }
        });
        podInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                podAdded(pod.tree()); // the handlers only read the revisions' shared trees
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                podUpdated(old.tree(), current.tree());
            }

            @Override
            public void onDelete(StoredObject last) {
                podDeleted(last.tree());
            }
        });
    }

    /** Starts syncing once both informers have synced. */
    public void start() {
        controller.start(rsInformer.synced(), podInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    ControllerExpectations expectations() {
        return expectations;
    }

    WorkQueue<String> queue() {
        return controller.queue();
    }

    // ------------------------------------------------------------------ event handlers

    private void enqueue(JsonNode rs) {
        controller.queue().add(ObjectKey.of(rs));
    }

    private void rsDeleted(ObjectNode rs) {
        String key = ObjectKey.of(rs);
        expectations.delete(key);
        controller.queue().add(key);
    }

    /** The controller a reference names, if it is in the cache with that uid. */
    private ObjectNode resolveControllerRef(String namespace, OwnerReference ref) {
        if (!ref.kind().equals(kind.kind()) || !ref.group().equals(kind.group())) return null;
        StoredObject rs = rsInformer.get(namespace, ref.name()).orElse(null);
        if (rs == null) return null;
        ObjectNode tree = rs.tree(); // the pod handlers only read it
        return Meta.uid(tree).equals(ref.uid()) ? tree : null;
    }

    /** The controllers of this kind whose selector matches the pod (empty selectors match nothing here). */
    private List<ObjectNode> controllersMatching(ObjectNode pod) {
        List<ObjectNode> out = new ArrayList<>();
        Map<String, String> labels = Meta.labels(pod);
        for (StoredObject o : rsInformer.list(Meta.namespace(pod))) {
            ObjectNode rs = o.tree(); // read only: selector and key
            LabelSelector selector = safeSelector(rs);
            if (selector == null || selector.isEverything() || !selector.matches(labels)) continue;
            out.add(rs);
        }
        return out;
    }

    private void podAdded(ObjectNode pod) {
        if (Meta.isDeleting(pod)) {
            // a pod that shows up already deleting (after a restart) is no creation we waited for
            podDeleted(pod);
            return;
        }
        OwnerReference ref = OwnerReference.controllerOf(pod);
        if (ref != null) {
            ObjectNode rs = resolveControllerRef(Meta.namespace(pod), ref);
            if (rs == null) return;
            String key = ObjectKey.of(rs);
            expectations.creationObserved(key);
            controller.queue().add(key);
            return;
        }
        // an orphan: whoever matches may want to adopt it
        for (ObjectNode rs : controllersMatching(pod)) enqueue(rs);
    }

    private void podUpdated(ObjectNode old, ObjectNode cur) {
        if (Meta.resourceVersion(old).equals(Meta.resourceVersion(cur))) return;
        boolean labelsChanged = !Meta.labels(old).equals(Meta.labels(cur));
        if (Meta.isDeleting(cur)) {
            // a graceful deletion: replace the pod now rather than when the kubelet has finished with it
            podDeleted(cur);
            if (labelsChanged) podDeleted(old);
            return;
        }
        OwnerReference curRef = OwnerReference.controllerOf(cur);
        OwnerReference oldRef = OwnerReference.controllerOf(old);
        boolean refChanged = !Objects.equals(curRef, oldRef);
        if (refChanged && oldRef != null) {
            ObjectNode rs = resolveControllerRef(Meta.namespace(old), oldRef);
            if (rs != null) enqueue(rs);
        }
        if (curRef != null) {
            ObjectNode rs = resolveControllerRef(Meta.namespace(cur), curRef);
            if (rs == null) return;
            enqueue(rs);
            long minReadySeconds = rs.path("spec").path("minReadySeconds").asLong(0);
            if (!Pods.isReady(old) && Pods.isReady(cur) && minReadySeconds > 0) {
                // look again once the pod may count as available (a second more against rounding)
                controller.queue().addAfter(ObjectKey.of(rs), Duration.ofSeconds(minReadySeconds + 1));
            }
            return;
        }
        if (labelsChanged || refChanged) {
            for (ObjectNode rs : controllersMatching(cur)) enqueue(rs);
        }
    }

    private void podDeleted(ObjectNode pod) {
        OwnerReference ref = OwnerReference.controllerOf(pod);
        if (ref == null) return;
        ObjectNode rs = resolveControllerRef(Meta.namespace(pod), ref);
        if (rs == null) return;
        String key = ObjectKey.of(rs);
        expectations.deletionObserved(key, ObjectKey.of(pod));
        controller.queue().add(key);
    }

    // ------------------------------------------------------------------ sync

    private LabelSelector safeSelector(ObjectNode rs) {
        try {
            return kind.selector(rs);
        } catch (StatusException e) {
            return null;
        }
    }

    Result sync(String key) {
        StoredObject stored = rsInformer.get(key).orElse(null);
        if (stored == null) {
            expectations.delete(key);
            return Result.done();
        }
        ObjectNode rs = stored.toNode();
        boolean needsSync = expectations.satisfied(key);
        LabelSelector selector = safeSelector(rs);
        if (selector == null) {
            LOG.warn("{} {}: invalid selector, not syncing", kind.kind(), key);
            return Result.done();
        }
        List<ObjectNode> active = new ArrayList<>();
        String uid = Meta.uid(rs);
        for (StoredObject p : podInformer.list(Meta.namespace(rs))) {
            ObjectNode pod = p.tree(); // read only; copied when it may be claimed
            if (!Pods.isActive(pod)) continue;
            OwnerReference owner = OwnerReference.controllerOf(pod);
            if (owner == null || owner.uid().equals(uid)) active.add(pod.deepCopy()); // other controllers' pods are never claimed
        }
        ControllerRefManager refs = new ControllerRefManager(rs, kind.apiVersion(), kind.kind(), pods,
                pod -> selector.matches(Meta.labels(pod)),
                () -> replicaSets.find(Meta.namespace(rs), Meta.name(rs)).map(StoredObject::toNode).orElse(null));
        List<ObjectNode> owned = refs.claim(active);

        RuntimeException manageError = null;
        if (needsSync && !Meta.isDeleting(rs)) manageError = manageReplicas(key, stored, rs, owned);
        ObjectNode status = calculateStatus(rs, owned, manageError);
        ObjectNode updated = updateStatus(rs, status);
        if (manageError != null) throw manageError;
        long minReadySeconds = updated.path("spec").path("minReadySeconds").asLong(0);
        int replicas = updated.path("spec").path("replicas").asInt(1);
        if (minReadySeconds > 0 && updated.path("status").path("readyReplicas").asInt(0) == replicas
                && updated.path("status").path("availableReplicas").asInt(0) != replicas) {
            // against clock skew: look again once the ready pods may be available
            return Result.requeueAfter(Duration.ofSeconds(minReadySeconds));
        }
        return Result.done();
    }

    /** Creates or deletes pods towards spec.replicas; returns the first failure (after doing what it could). */
    private RuntimeException manageReplicas(String key, StoredObject stored, ObjectNode rs, List<ObjectNode> owned) {
        int desired = rs.path("spec").path("replicas").asInt(1);
        int diff = owned.size() - desired;
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST_REPLICAS);
            expectations.expectCreations(key, toCreate);
            OwnerReference ref = OwnerReference.controllerRef(rs, kind.apiVersion(), kind.kind());
            JsonNode template = rs.path("spec").path("template");
            SlowStart.Outcome outcome = SlowStart.run(toCreate, () -> {
                try {
                    podControl.createPod(stored, template, ref);
                    return null;
                } catch (StatusException e) {
                    // a terminating namespace refuses every create: nothing to retry, nothing to report
                    return PodControl.isNamespaceTerminating(e) ? null : e;
                }
            });
            // creates never attempted (or failed) will not be observed: stop waiting for them
            for (int i = outcome.successes(); i < toCreate; i++) expectations.creationObserved(key);
            return outcome.failure();
        }
        if (diff > 0) {
            int toDelete = Math.min(diff, BURST_REPLICAS);
            List<ObjectNode> victims = PodDeletionOrder.firstToDelete(owned, relatedPods(rs), toDelete, runtime.clock().instant());
            List<String> podKeys = new ArrayList<>();
            for (ObjectNode p : victims) podKeys.add(ObjectKey.of(p));
            expectations.expectDeletions(key, podKeys);
            RuntimeException first = null;
            for (ObjectNode p : victims) {
                try {
                    podControl.deletePod(stored, Meta.namespace(p), Meta.name(p));
                } catch (StatusException e) {
                    expectations.deletionObserved(key, ObjectKey.of(p)); // it will not be observed
                    if (e.code() != 404 && first == null) first = e;
                }
            }
            return first;
        }
        return null;
    }

    /** The pods of every controller sharing this one's owner (a Deployment's ReplicaSets), each once. */
    private List<ObjectNode> relatedPods(ObjectNode rs) {
        OwnerReference owner = OwnerReference.controllerOf(rs);
        List<ObjectNode> out = new ArrayList<>();
        if (owner == null) return out;
        Set<String> seen = new HashSet<>();
        for (StoredObject sibling : rsInformer.byIndex(Informer.CONTROLLER_INDEX, owner.uid())) {
            ObjectNode s = sibling.toNode();
            if (!Meta.namespace(s).equals(Meta.namespace(rs))) continue;
            LabelSelector selector = safeSelector(s);
            if (selector == null) continue;
            for (StoredObject p : podInformer.list(Meta.namespace(s))) {
                ObjectNode pod = p.tree(); // read only; the matching ones copied
                if (selector.matches(Meta.labels(pod)) && seen.add(Meta.uid(pod))) out.add(pod.deepCopy());
            }
        }
        return out;
    }

    /** The status the owned pods give ({@code calculateStatus}), written as Go's encoder writes it. */
    private ObjectNode calculateStatus(ObjectNode rs, List<ObjectNode> owned, RuntimeException manageError) {
        Map<String, String> templateLabels = Meta.labels(rs.path("spec").path("template"));
        long minReadySeconds = rs.path("spec").path("minReadySeconds").asLong(0);
        Instant now = runtime.clock().instant();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (ObjectNode pod : owned) {
            Map<String, String> labels = Meta.labels(pod);
            if (labels.entrySet().containsAll(templateLabels.entrySet())) fullyLabeled++;
            if (Pods.isReady(pod)) {
                ready++;
                if (Pods.isAvailable(pod, minReadySeconds, now)) available++;
            }
        }
        ArrayNode conditions = rs.path("status").path("conditions") instanceof ArrayNode a ? a.deepCopy() : Json.MAPPER.createArrayNode();
        int failureAt = indexOf(conditions, "ReplicaFailure");
        if (manageError != null && failureAt < 0) {
            int diff = owned.size() - rs.path("spec").path("replicas").asInt(1);
            ObjectNode c = conditions.addObject();
            c.put("type", "ReplicaFailure").put("status", "True")
                    .put("lastTransitionTime", timestamp(now)).put("reason", diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "")
                    .put("message", manageError.getMessage());
            if (c.path("reason").asText().isEmpty()) c.remove("reason");
        } else if (manageError == null && failureAt >= 0) {
            conditions.remove(failureAt);
        }
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("replicas", owned.size());
        Trees.putNonZero(status, "fullyLabeledReplicas", fullyLabeled);
        Trees.putNonZero(status, "readyReplicas", ready);
        Trees.putNonZero(status, "availableReplicas", available);
        long observed = rs.path("status").path("observedGeneration").asLong(0);
        Trees.putNonZero(status, "observedGeneration", observed);
        if (!conditions.isEmpty()) status.set("conditions", conditions);
        return status;
    }

    private static int indexOf(ArrayNode conditions, String type) {
        for (int i = 0; i < conditions.size(); i++) if (type.equals(Json.text(conditions.get(i), "type"))) return i;
        return -1;
    }

    static String timestamp(Instant t) {
        return java.time.format.DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /**
     * Writes the status when it changed or the generation is not yet observed ({@code updateReplicaSetStatus}): on a
     * conflict the object is read again and the write tried once more.
     */
    private ObjectNode updateStatus(ObjectNode rs, ObjectNode status) {
        JsonNode current = rs.path("status");
        long generation = Meta.generation(rs);
        boolean same = current.path("replicas").asInt(0) == status.path("replicas").asInt(0)
                && current.path("fullyLabeledReplicas").asInt(0) == status.path("fullyLabeledReplicas").asInt(0)
                && current.path("readyReplicas").asInt(0) == status.path("readyReplicas").asInt(0)
                && current.path("availableReplicas").asInt(0) == status.path("availableReplicas").asInt(0)
                && generation == current.path("observedGeneration").asLong(0)
                && conditionsOf(current).equals(conditionsOf(status));
        if (same) return rs;
        ObjectNode target = rs;
        for (int attempt = 0; ; attempt++) {
            ObjectNode write = target.deepCopy();
            ObjectNode s = status.deepCopy();
            s.remove("observedGeneration");
            Trees.putNonZero(s, "observedGeneration", Meta.generation(target));
            write.set("status", reorder(s));
            try {
                return replicaSets.updateStatus(write).toNode();
            } catch (StatusException e) {
                if (e.code() == 404) return rs; // deleted meanwhile: its informer will say so
                if (attempt >= 1) throw e;
                target = replicaSets.find(Meta.namespace(rs), Meta.name(rs)).map(StoredObject::toNode).orElse(null);
                if (target == null) return rs;
            }
        }
    }

    /** Status fields in Go's struct order: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration, conditions. */
    private static ObjectNode reorder(ObjectNode s) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String f : List.of("replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas", "observedGeneration", "conditions")) {
            if (s.has(f)) out.set(f, s.get(f));
        }
        return out;
    }

    private static JsonNode conditionsOf(JsonNode status) {
        JsonNode c = status.get("conditions");
        return c == null || c.isNull() ? Json.MAPPER.createArrayNode() : c;
    }
}
