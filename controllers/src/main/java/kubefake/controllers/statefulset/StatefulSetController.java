package kubefake.controllers.statefulset;

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
import kubefake.controllers.common.Pods;
import kubefake.controllers.common.Trees;
import kubefake.controllers.history.ControllerHistory;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * kube-controller-manager's StatefulSet controller ({@code pkg/controller/statefulset}): pods {@code <name>-0} to
 * {@code <name>-(n-1)} with stable identities and claims.
 * <ul>
 *   <li>OrderedReady creates one pod at a time, the next only once the previous is Running and Ready, and scales down
 *   from the highest ordinal, one at a time; Parallel creates and deletes all at once;</li>
 *   <li>each template is a ControllerRevision ({@code <name>-<hash>}); pods carry their revision in
 *   {@code controller-revision-hash}; a RollingUpdate replaces pods from the highest ordinal down to the partition,
 *   one at a time, each once the others are healthy;</li>
 *   <li>claims are created from volumeClaimTemplates before their pod (they stay Pending: no provisioner);</li>
 *   <li>status: replicas, ready, available, current and updated replicas and revisions, collisionCount.</li>
 * </ul>
 */
public final class StatefulSetController implements AutoCloseable {
    public static final String NAME = "statefulset-controller";
    private static final int WORKERS = 5;

    private final ClusterRuntime runtime;
    private final ResourceClient sets;
    private final ResourceClient podClient;
    private final ResourceClient claims;
    private final Informer setInformer;
    private final Informer podInformer;
    private final Informer revisionInformer;
    private final ControllerHistory history;
    private final EventRecorder recorder;
    private final Controller<String> controller;

    /** @param client acting as the {@code statefulset-controller} service account */
    public StatefulSetController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.runtime = runtime;
        this.sets = client.resource("apps", "statefulsets");
        this.podClient = client.resource("", "pods");
        this.claims = client.resource("", "persistentvolumeclaims");
        this.setInformer = informers.informer("apps", "statefulsets");
        this.podInformer = informers.informer("", "pods");
        this.revisionInformer = informers.informer("apps", "controllerrevisions");
        this.history = new ControllerHistory(client);
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("statefulset", runtime), WORKERS, this::sync);
        setInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject set) {
                enqueue(set.toNode());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject set) {
                enqueue(set.toNode());
            }

            @Override
            public void onDelete(StoredObject set) {
                enqueue(set.toNode());
            }
        });
        podInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                podChanged(null, pod.tree()); // read only
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                podChanged(old.tree(), pod.tree());
            }

            @Override
            public void onDelete(StoredObject pod) {
                ObjectNode p = pod.toNode();
                OwnerReference ref = OwnerReference.controllerOf(p);
                if (ref == null) return;
                ObjectNode set = resolve(Meta.namespace(p), ref);
                if (set != null) enqueue(set);
            }
        });
    }

    public void start() {
        controller.start(setInformer.synced(), podInformer.synced(), revisionInformer.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    private void enqueue(JsonNode set) {
        controller.queue().add(ObjectKey.of(set));
    }

    private ObjectNode resolve(String namespace, OwnerReference ref) {
        if (!ref.kind().equals("StatefulSet") || !ref.group().equals("apps")) return null;
        StoredObject set = setInformer.get(namespace, ref.name()).orElse(null);
        if (set == null) return null;
        ObjectNode tree = set.toNode();
        return Meta.uid(tree).equals(ref.uid()) ? tree : null;
    }

    private void podChanged(ObjectNode old, ObjectNode pod) {
        if (old != null && Meta.resourceVersion(old).equals(Meta.resourceVersion(pod))) return;
        OwnerReference ref = OwnerReference.controllerOf(pod);
        OwnerReference oldRef = old == null ? null : OwnerReference.controllerOf(old);
        if (old != null && oldRef != null && !Objects.equals(ref, oldRef)) {
            ObjectNode set = resolve(Meta.namespace(old), oldRef);
            if (set != null) enqueue(set);
        }
        if (ref != null) {
            ObjectNode set = resolve(Meta.namespace(pod), ref);
            if (set != null) enqueue(set);
            return;
        }
        if (old == null || !Meta.labels(old).equals(Meta.labels(pod)) || oldRef != null) {
            for (StoredObject o : setInformer.list(Meta.namespace(pod))) {
                ObjectNode set = o.toNode();
                LabelSelector selector = selector(set);
                if (selector != null && !selector.isEverything() && selector.matches(Meta.labels(pod))) enqueue(set);
            }
        }
    }

    private static LabelSelector selector(JsonNode set) {
        try {
            return LabelSelector.fromJson(set.path("spec").get("selector"));
        } catch (StatusException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ sync

    Result sync(String key) {
        StoredObject stored = setInformer.get(key).orElse(null);
        if (stored == null) return Result.done();
        ObjectNode set = stored.toNode();
        LabelSelector selector = selector(set);
        if (selector == null) return Result.done();
        List<ObjectNode> candidates = new ArrayList<>();
        for (StoredObject o : podInformer.list(Meta.namespace(set))) candidates.add(o.toNode());
        ControllerRefManager refs = new ControllerRefManager(set, "apps/v1", "StatefulSet", podClient,
                pod -> selector.matches(Meta.labels(pod)) && StatefulPods.isMemberOf(set, pod),
                () -> sets.find(Meta.namespace(set), Meta.name(set)).map(StoredObject::toNode).orElse(null));
        List<ObjectNode> owned = refs.claim(candidates);
        return new Update(stored, set, owned, selector).run();
    }

    /** One sync of one StatefulSet ({@code defaultStatefulSetControl.UpdateStatefulSet}). */
    private final class Update {
        private final StoredObject stored;
        private final ObjectNode set;
        private final List<ObjectNode> pods;
        private final LabelSelector selector;
        private final Instant now = runtime.clock().instant();
        private final long minReadySeconds;
        private Duration requeue;

        Update(StoredObject stored, ObjectNode set, List<ObjectNode> pods, LabelSelector selector) {
            this.stored = stored;
            this.set = set;
            this.pods = pods;
            this.selector = selector;
            this.minReadySeconds = set.path("spec").path("minReadySeconds").asLong(0);
        }

        Result run() {
            List<ObjectNode> revisions = history.list(set, cr -> selector.matches(Meta.labels(cr)), revisionInformer.list(Meta.namespace(set)));
            ControllerHistory.sort(revisions);
            int[] collisionCount = {set.path("status").path("collisionCount").asInt(0)};
            ObjectNode updateRevision = updateRevision(revisions, collisionCount);
            String currentName = Json.text(set.path("status"), "currentRevision");
            ObjectNode currentRevision = updateRevision;
            for (ObjectNode r : revisions) if (Meta.name(r).equals(currentName)) currentRevision = r;

            ObjectNode status = updateReplicas(currentRevision, updateRevision, collisionCount[0]);
            writeStatus(status);
            truncateHistory(revisions, currentRevision, updateRevision);
            return requeue == null ? Result.done() : Result.requeueAfter(requeue);
        }

        /** The revision of the set's current template: an existing equal one (renumbered if older), or a new one. */
        private ObjectNode updateRevision(List<ObjectNode> revisions, int[] collisionCount) {
            long next = revisions.isEmpty() ? 1 : ControllerHistory.revisionNumber(revisions.get(revisions.size() - 1)) + 1;
            ObjectNode data = Json.MAPPER.createObjectNode();
            ObjectNode template = set.path("spec").path("template").deepCopy();
            template.put("$patch", "replace");
            data.putObject("spec").set("template", template);
            ObjectNode revision = ControllerHistory.newRevision(set, "apps/v1", "StatefulSet",
                    Meta.labels(set.path("spec").path("template")), data, next, collisionCount[0]);
            if (!Meta.annotations(set).isEmpty()) {
                ObjectNode annotations = Meta.annotationsNode(revision);
                Meta.annotations(set).forEach(annotations::put);
            }
            ObjectNode lastEqual = null;
            for (ObjectNode r : revisions) if (ControllerHistory.equal(r, revision)) lastEqual = r;
            if (lastEqual != null) {
                long lastNumber = ControllerHistory.revisionNumber(revisions.get(revisions.size() - 1));
                if (ControllerHistory.revisionNumber(lastEqual) == lastNumber) return lastEqual;
                return history.renumber(lastEqual, next);
            }
            return history.create(set, revision, collisionCount);
        }

        private ObjectNode templateOf(ObjectNode revision) {
            return (ObjectNode) revision.path("data").path("spec").path("template");
        }

        /** {@code updateStatefulSet}: creates, deletes and replaces pods; returns the status to write. */
        private ObjectNode updateReplicas(ObjectNode currentRevision, ObjectNode updateRevision, int collisionCount) {
            int replicaCount = set.path("spec").path("replicas").asInt(1);
            int start = StatefulPods.startOrdinal(set);
            int end = start + replicaCount;
            ObjectNode[] replicas = new ObjectNode[replicaCount];
            List<ObjectNode> condemned = new ArrayList<>();
            for (ObjectNode pod : pods) {
                int ord = StatefulPods.ordinal(pod);
                if (ord >= start && ord < end) replicas[ord - start] = pod;
                else if (ord >= 0) condemned.add(pod);
            }
            String currentName = Meta.name(currentRevision);
            String updateName = Meta.name(updateRevision);
            int partition = set.path("spec").path("updateStrategy").path("rollingUpdate").path("partition").asInt(0);
            boolean rolling = "RollingUpdate".equals(set.path("spec").path("updateStrategy").path("type").asText("RollingUpdate"));
            JsonNode rollingUpdate = set.path("spec").path("updateStrategy").get("rollingUpdate");
            int currentReplicas = set.path("status").path("currentReplicas").asInt(0);
            boolean[] created = new boolean[replicaCount];
            for (int i = 0; i < replicaCount; i++) {
                if (replicas[i] != null) continue;
                int ord = i + start;
                // pods below the partition (without one: below the current count) are made at the current revision
                boolean current = rollingUpdate != null && !rollingUpdate.isNull() ? ord < start + partition
                        : rolling && ord < start + currentReplicas;
                replicas[i] = current ? StatefulPods.newPod(set, templateOf(currentRevision), ord, currentName)
                        : StatefulPods.newPod(set, templateOf(updateRevision), ord, updateName);
                created[i] = true;
            }
            condemned.sort(Comparator.comparingInt(StatefulPods::ordinal).reversed());

            ObjectNode firstUnhealthy = null;
            for (ObjectNode p : replicas) {
                if (firstUnhealthy == null && !StatefulPods.isHealthy(p)) firstUnhealthy = p;
            }
            for (int i = condemned.size() - 1; i >= 0 && firstUnhealthy == null; i--) {
                if (!StatefulPods.isHealthy(condemned.get(i))) firstUnhealthy = condemned.get(i);
            }

            List<ObjectNode> createdPods = new ArrayList<>();
            if (!Meta.isDeleting(set)) {
                boolean monotonic = !"Parallel".equals(set.path("spec").path("podManagementPolicy").asText("OrderedReady"));
                boolean stop = false;
                for (int i = 0; i < replicaCount && !stop; i++) {
                    stop = processReplica(replicas[i], created[i], monotonic, createdPods);
                }
                for (int i = 0; i < condemned.size() && !stop; i++) {
                    stop = processCondemned(condemned.get(i), firstUnhealthy, monotonic);
                }
                if (!stop && rolling) rollingUpdate(replicas, created, updateName, partition, start);
            }
            return status(currentName, updateName, collisionCount, createdPods);
        }

        /** True to stop here (in OrderedReady, wait for this pod). */
        private boolean processReplica(ObjectNode pod, boolean toCreate, boolean monotonic, List<ObjectNode> createdPods) {
            if (!toCreate && StatefulPods.hasFinished(pod)) {
                // a pod that ran to completion or failed is deleted, to be created again
                deletePod(pod);
                return monotonic;
            }
            if (toCreate) {
                createClaims(pod);
                createPod(pod);
                createdPods.add(pod);
                return monotonic;
            }
            if (Pods.phase(pod).equals("Pending")) createClaims(pod); // claims deleted meanwhile come back
            if (StatefulPods.isTerminating(pod) && monotonic) return true;
            if (!StatefulPods.isRunningAndReady(pod) && monotonic) return true;
            if (!StatefulPods.isRunningAndAvailable(pod, minReadySeconds, now) && monotonic) {
                requeueAfter(Duration.ofSeconds(minReadySeconds));
                return true;
            }
            return false;
        }

        private boolean processCondemned(ObjectNode pod, ObjectNode firstUnhealthy, boolean monotonic) {
            if (StatefulPods.isTerminating(pod)) return monotonic;
            if (!StatefulPods.isRunningAndReady(pod) && monotonic && pod != firstUnhealthy) return true;
            if (!StatefulPods.isRunningAndAvailable(pod, minReadySeconds, now) && monotonic && pod != firstUnhealthy) return true;
            deletePod(pod);
            return monotonic;
        }

        /** Replaces the highest-ordinal pod not at the update revision, down to the partition, once all are healthy. */
        private void rollingUpdate(ObjectNode[] replicas, boolean[] created, String updateName, int partition, int start) {
            for (int target = replicas.length - 1; target >= partition - start && target >= 0; target--) {
                ObjectNode pod = replicas[target];
                if (created[target]) return; // created in this sync: wait for it
                if (!StatefulPods.revision(pod).equals(updateName) && !StatefulPods.isTerminating(pod)) {
                    deletePod(pod);
                    return;
                }
                if (!StatefulPods.isHealthy(pod)) return;
            }
        }

        private void requeueAfter(Duration d) {
            if (d.isZero()) return;
            requeue = requeue == null || d.compareTo(requeue) < 0 ? d : requeue;
        }

        // -------------------------------------------------------------- writes and events

        private void createPod(ObjectNode pod) {
            try {
                podClient.create(pod);
            } catch (StatusException e) {
                if (e.code() == 409 && "AlreadyExists".equals(e.reason())) return; // the informer will show it
                recorder.event(stored, EventRecorder.WARNING, "FailedCreate", "create Pod " + Meta.name(pod) + " in StatefulSet "
                        + Meta.name(set) + " failed error: " + e.getMessage());
                throw e;
            }
            recorder.event(stored, EventRecorder.NORMAL, "SuccessfulCreate", "create Pod " + Meta.name(pod) + " in StatefulSet "
                    + Meta.name(set) + " successful");
        }

        private void deletePod(ObjectNode pod) {
            try {
                podClient.delete(Meta.namespace(pod), Meta.name(pod));
            } catch (StatusException e) {
                if (e.code() == 404) return;
                recorder.event(stored, EventRecorder.WARNING, "FailedDelete", "delete Pod " + Meta.name(pod) + " in StatefulSet "
                        + Meta.name(set) + " failed error: " + e.getMessage());
                throw e;
            }
            recorder.event(stored, EventRecorder.NORMAL, "SuccessfulDelete", "delete Pod " + Meta.name(pod) + " in StatefulSet "
                    + Meta.name(set) + " successful");
        }

        private void createClaims(ObjectNode pod) {
            int ordinal = StatefulPods.ordinal(pod);
            for (ObjectNode claim : StatefulPods.claims(set, ordinal)) {
                if (claims.find(Meta.namespace(claim), Meta.name(claim)).isPresent()) continue;
                try {
                    claims.create(claim);
                } catch (StatusException e) {
                    if (e.code() == 409 && "AlreadyExists".equals(e.reason())) continue;
                    recorder.event(stored, EventRecorder.WARNING, "FailedCreate", "create Claim " + Meta.name(claim) + " for Pod "
                            + Meta.name(pod) + " in StatefulSet " + Meta.name(set) + " failed error: " + e.getMessage());
                    throw e;
                }
                recorder.event(stored, EventRecorder.NORMAL, "SuccessfulCreate", "create Claim " + Meta.name(claim) + " Pod "
                        + Meta.name(pod) + " in StatefulSet " + Meta.name(set) + " success");
            }
        }

        // -------------------------------------------------------------- status and history

        private ObjectNode status(String currentName, String updateName, int collisionCount, List<ObjectNode> createdPods) {
            int replicas = 0;
            int ready = 0;
            int available = 0;
            int current = 0;
            int updated = 0;
            List<ObjectNode> all = new ArrayList<>(pods);
            all.addAll(createdPods);
            for (ObjectNode p : all) {
                replicas++;
                if (StatefulPods.isRunningAndReady(p)) {
                    ready++;
                    if (StatefulPods.isRunningAndAvailable(p, minReadySeconds, now)) available++;
                }
                if (!StatefulPods.isTerminating(p)) {
                    if (StatefulPods.revision(p).equals(currentName)) current++;
                    if (StatefulPods.revision(p).equals(updateName)) updated++;
                }
            }
            String currentRevision = currentName;
            boolean rolling = "RollingUpdate".equals(set.path("spec").path("updateStrategy").path("type").asText("RollingUpdate"));
            if (rolling && updated == replicas && ready == replicas) {
                // the rolling update is complete: the update revision is current
                current = updated;
                currentRevision = updateName;
            }
            ObjectNode s = Json.MAPPER.createObjectNode();
            Trees.putNonZero(s, "observedGeneration", Meta.generation(set));
            s.put("replicas", replicas);
            Trees.putNonZero(s, "readyReplicas", ready);
            Trees.putNonZero(s, "currentReplicas", current);
            Trees.putNonZero(s, "updatedReplicas", updated);
            if (!currentRevision.isEmpty()) s.put("currentRevision", currentRevision);
            if (!updateName.isEmpty()) s.put("updateRevision", updateName);
            s.put("collisionCount", collisionCount);
            JsonNode conditions = set.path("status").get("conditions");
            if (conditions != null && conditions.isArray() && !conditions.isEmpty()) s.set("conditions", conditions);
            s.put("availableReplicas", available);
            return s;
        }

        private void writeStatus(ObjectNode status) {
            JsonNode current = set.get("status");
            if (current != null && current.equals(status)) return;
            ObjectNode write = set.deepCopy();
            write.set("status", status);
            try {
                sets.updateStatus(write);
            } catch (StatusException e) {
                if (e.code() == 404) return;
                throw e;
            }
        }

        /** Deletes the oldest revisions no pod uses beyond revisionHistoryLimit. */
        private void truncateHistory(List<ObjectNode> revisions, ObjectNode current, ObjectNode update) {
            Set<String> live = new HashSet<>();
            live.add(Meta.name(current));
            live.add(Meta.name(update));
            for (ObjectNode p : pods) live.add(StatefulPods.revision(p));
            List<ObjectNode> old = new ArrayList<>();
            for (ObjectNode r : revisions) if (!live.contains(Meta.name(r))) old.add(r);
            int limit = set.path("spec").path("revisionHistoryLimit").asInt(10);
            for (int i = 0; i < old.size() - limit; i++) history.delete(old.get(i));
        }
    }
}
