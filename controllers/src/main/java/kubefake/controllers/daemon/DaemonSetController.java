package kubefake.controllers.daemon;

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
import kubefake.client.workqueue.SyncException;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.ControllerExpectations;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.PodTemplateHash;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's DaemonSet controller ({@code pkg/controller/daemon}): one pod per eligible node (node
 * affinity and nodeSelector match, taints tolerated with the daemon tolerations), created with a node affinity on the
 * node's name and left to the scheduler, as since 1.12; pods on nodes that no longer qualify, failed or surplus pods
 * are deleted. The template's revisions are kept as ControllerRevisions ({@code <ds>-<hash>}, their hash on the pods'
 * {@code controller-revision-hash} label); a RollingUpdate replaces old pods while at most {@code maxUnavailable} are
 * unavailable (maxSurge is not simulated); the status counts what {@code kubectl rollout status} waits for.
 * Pods are claimed by their controller reference (orphans are not adopted).
 */
public final class DaemonSetController implements AutoCloseable {
    public static final String NAME = "daemonset-controller";
    /** At most this many pods created or deleted in one sync ({@code BurstReplicas}). */
    static final int BURST_REPLICAS = 250;
    private static final Duration FAILED_POD_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_FAILED_POD_BACKOFF = Duration.ofMinutes(15);

    private final ResourceClient daemonSets;
    private final ResourceClient pods;
    private final ResourceClient revisions;
    private final ClusterRuntime runtime;
    private final Informer dsInformer;
    private final Informer podInformer;
    private final Informer nodeInformer;
    private final Informer revisionInformer;
    private final EventRecorder recorder;
    private final ControllerExpectations expectations;
    private final Controller<String> controller;
    /** Failed pods' deletion back-off per DaemonSet and node ({@code failedPodsBackoff}). */
    private final Map<String, Duration> failedBackoff = new HashMap<>();
    private final Map<String, Instant> failedBackoffSince = new HashMap<>();
    /** Each node's name, labels and taints by the revision they were read from (syncs run on several workers). */
    private final Map<Long, DaemonNode> nodesByRevision = new ConcurrentHashMap<>();
    /** Each DaemonSet's pods by revision, as of its last look (one worker at a time syncs a DaemonSet). */
    private final Map<String, Map<Long, DaemonPod>> podsByRevision = new ConcurrentHashMap<>();

    /** @param client acting as {@code system:serviceaccount:kube-system:daemon-set-controller} */
    public DaemonSetController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.daemonSets = client.resource("apps", "daemonsets");
        this.pods = client.resource("", "pods");
        this.revisions = client.resource("apps", "controllerrevisions");
        this.runtime = runtime;
        this.dsInformer = informers.informer("apps", "daemonsets");
        this.podInformer = informers.informer("", "pods");
        this.nodeInformer = informers.informer("", "nodes");
        this.revisionInformer = informers.informer("apps", "controllerrevisions");
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.expectations = new ControllerExpectations(runtime.clock());
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("daemonset", runtime), 2, this::sync);
        dsInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject ds) {
                enqueue(ds.tree());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject ds) {
                enqueue(ds.tree());
            }

            @Override
            public void onDelete(StoredObject last) {
                String key = ObjectKey.of(last.tree());
                expectations.delete(key);
                controller.queue().add(key);
            }
        });
        podInformer.addHandler(new PodHandler());
        nodeInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject node) {
                enqueueAll();
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject node) {
                if (mattersToDaemons(old.tree(), node.tree())) enqueueAll();
            }

            @Override
            public void onDelete(StoredObject last) {
                enqueueAll();
            }
        });
        revisionInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject r) {
                enqueueOwner(r.tree());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject r) {
                enqueueOwner(r.tree());
            }

            @Override
            public void onDelete(StoredObject r) {
                enqueueOwner(r.tree());
            }
        });
    }

    public void start() {
        controller.start(dsInformer.synced(), podInformer.synced(), nodeInformer.synced(), revisionInformer.synced());
    }

    // ------------------------------------------------------------------ what queues a DaemonSet

    private void enqueue(JsonNode ds) {
        controller.queue().add(ObjectKey.of(ds));
    }

    private void enqueueAll() {
        for (String key : dsInformer.keys()) controller.queue().add(key);
    }

    /** The DaemonSet controlling the object (pod or revision), or null. */
    private String ownerKey(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (!ref.path("controller").asBoolean(false) || !"DaemonSet".equals(Json.text(ref, "kind"))
                    || !"apps/v1".equals(Json.text(ref, "apiVersion"))) continue;
            String namespace = Json.text(object.path("metadata"), "namespace");
            String key = ObjectKey.of(namespace, Json.text(ref, "name"));
            return dsInformer.get(key).filter(ds -> Json.text(ds.tree().path("metadata"), "uid").equals(Json.text(ref, "uid")))
                    .map(ds -> key).orElse(null);
        }
        return null;
    }

    private void enqueueOwner(JsonNode object) {
        String key = ownerKey(object);
        if (key != null) controller.queue().add(key);
    }

    /** {@code shouldIgnoreNodeUpdate}'s complement: labels, taints, spec or a condition's status changed. */
    private static boolean mattersToDaemons(JsonNode old, JsonNode node) {
        if (!old.path("metadata").path("labels").equals(node.path("metadata").path("labels"))) return true;
        if (!old.path("spec").equals(node.path("spec"))) return true;
        Map<String, String> before = new HashMap<>();
        for (JsonNode c : old.path("status").path("conditions")) before.put(Json.text(c, "type"), Json.text(c, "status"));
        Map<String, String> after = new HashMap<>();
        for (JsonNode c : node.path("status").path("conditions")) after.put(Json.text(c, "type"), Json.text(c, "status"));
        return !before.equals(after);
    }

    private final class PodHandler implements ResourceEventHandler {
        @Override
        public void onAdd(StoredObject object) {
            ObjectNode pod = object.tree(); // read only
            String key = ownerKey(pod);
            if (key == null) return;
            expectations.creationObserved(key);
            controller.queue().add(key);
        }

        @Override
        public void onUpdate(StoredObject oldObject, StoredObject object) {
            ObjectNode old = oldObject.tree();
            ObjectNode pod = object.tree();
            String oldKey = ownerKey(old);
            String key = ownerKey(pod);
            if (oldKey != null && !oldKey.equals(key)) controller.queue().add(oldKey);
            if (key == null) return;
            // a pod being deleted counts as deleted: the kubelet finishes it, the controller need not wait
            if (pod.path("metadata").hasNonNull("deletionTimestamp")) expectations.deletionObserved(key, ObjectKey.of(pod));
            controller.queue().add(key);
        }

        @Override
        public void onDelete(StoredObject last) {
            ObjectNode pod = last.tree();
            String key = ownerKey(pod);
            if (key == null) return;
            expectations.deletionObserved(key, ObjectKey.of(pod));
            controller.queue().add(key);
        }
    }

    // ------------------------------------------------------------------ the sync

    private Result sync(String key) {
        StoredObject stored = dsInformer.get(key).orElse(null);
        if (stored == null) {
            expectations.delete(key);
            podsByRevision.remove(key);
            return Result.done();
        }
        ObjectNode ds = stored.toNode();
        if (ds.path("metadata").hasNonNull("deletionTimestamp")) return Result.done();
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(ds.path("spec").get("selector"));
        } catch (StatusException e) {
            recorder.event(stored, EventRecorder.WARNING, "InvalidSelector", "Invalid label selector: " + e.getMessage());
            return Result.done();
        }
        if (selector.isEverything()) {
            recorder.event(stored, EventRecorder.WARNING, "SelectingAll",
                    "This daemon set is selecting all pods. A non-empty selector is required.");
            return Result.done();
        }
        List<DaemonNode> nodes = nodes();
        DaemonPods.Placement placement = DaemonPods.Placement.of(ds);

        History history = constructHistory(ds);
        String hash = Json.text(history.current().path("metadata").path("labels"), ControllerHistory.POD_REVISION_LABEL);
        if (!expectations.satisfied(key)) {
            updateStatus(ds, placement, nodes, hash, false);
            return Result.done();
        }
        manage(key, stored, ds, placement, nodes, hash);
        if (expectations.satisfied(key) && "RollingUpdate".equals(Json.text(ds.path("spec").path("updateStrategy"), "type"))) {
            rollingUpdate(key, stored, ds, placement, nodes, hash);
        }
        cleanupHistory(ds, history.old());
        return updateStatus(ds, placement, nodes, hash, true);
    }

    /** Every node by name, each node revision read once. */
    private List<DaemonNode> nodes() {
        List<StoredObject> stored = nodeInformer.list();
        List<DaemonNode> nodes = new ArrayList<>(stored.size());
        for (StoredObject n : stored) nodes.add(nodesByRevision.computeIfAbsent(n.resourceVersion(), rv -> DaemonNode.of(n)));
        if (nodesByRevision.size() > stored.size()) { // revisions replaced or deleted since
            Set<Long> current = new HashSet<>();
            for (StoredObject n : stored) current.add(n.resourceVersion());
            nodesByRevision.keySet().retainAll(current);
        }
        nodes.sort(Comparator.comparing(DaemonNode::name));
        return nodes;
    }

    /** The DaemonSet's pods by the node they are for (scheduled or not), oldest and scheduled first. */
    private Map<String, List<DaemonPod>> podsByNode(ObjectNode ds, boolean includeDeletedTerminal) {
        String namespace = Json.text(ds.path("metadata"), "namespace");
        String key = ObjectKey.of(ds);
        Map<Long, DaemonPod> before = podsByRevision.getOrDefault(key, Map.of());
        Map<Long, DaemonPod> seen = new HashMap<>();
        Map<String, List<DaemonPod>> out = new TreeMap<>();
        for (StoredObject o : podInformer.byIndex(Informer.CONTROLLER_INDEX, Json.text(ds.path("metadata"), "uid"))) {
            DaemonPod pod = before.get(o.resourceVersion());
            if (pod == null) pod = DaemonPod.of(o);
            seen.put(o.resourceVersion(), pod);
            if (!pod.namespace().equals(namespace)) continue;
            if (!includeDeletedTerminal && pod.isTerminal() && pod.deleting()) continue;
            if (pod.targetNode().isEmpty()) continue;
            out.computeIfAbsent(pod.targetNode(), n -> new ArrayList<>()).add(pod);
        }
        podsByRevision.put(key, seen);
        out.values().forEach(list -> list.sort(BY_SCHEDULED_THEN_AGE));
        return out;
    }

    /** {@code podByCreationTimestampAndPhase}. */
    private static final Comparator<DaemonPod> BY_SCHEDULED_THEN_AGE = Comparator
            .comparing((DaemonPod p) -> p.nodeName().isEmpty())
            .thenComparing(DaemonPod::creationTimestamp)
            .thenComparing(DaemonPod::name);

    private void manage(String key, StoredObject stored, ObjectNode ds, DaemonPods.Placement placement, List<DaemonNode> nodes, String hash) {
        Map<String, List<DaemonPod>> byNode = podsByNode(ds, true);
        List<String> nodesNeedingPods = new ArrayList<>();
        List<String> podsToDelete = new ArrayList<>();
        Set<String> existing = new HashSet<>(); // looked up for each node with pods: a list made a sync quadratic in nodes
        for (DaemonNode node : nodes) {
            String name = node.name();
            existing.add(name);
            podsShouldBeOnNode(stored, ds, placement.eligibility(node), name, byNode.getOrDefault(name, List.of()), nodesNeedingPods,
                    podsToDelete);
        }
        // pods the scheduler never placed, for nodes that are gone
        byNode.forEach((node, list) -> {
            if (existing.contains(node)) return;
            for (DaemonPod p : list) {
                if (p.nodeName().isEmpty()) podsToDelete.add(p.name());
            }
        });
        syncNodes(key, stored, ds, podsToDelete, nodesNeedingPods, hash);
    }

    /** {@code podsShouldBeOnNode}. */
    private void podsShouldBeOnNode(StoredObject stored, ObjectNode ds, DaemonPods.Eligibility e, String nodeName,
                                    List<DaemonPod> daemonPods, List<String> nodesNeedingPods, List<String> podsToDelete) {
        boolean exists = !daemonPods.isEmpty();
        if (e.shouldRun() && !exists) {
            nodesNeedingPods.add(nodeName);
        } else if (e.shouldContinueRunning()) {
            List<DaemonPod> running = new ArrayList<>();
            for (DaemonPod pod : daemonPods) {
                if (pod.deleting()) continue;
                String phase = pod.phase();
                String podName = pod.name();
                if (phase.equals("Failed")) {
                    Duration wait = failedPodBackoff(ObjectKey.of(ds) + "/" + nodeName);
                    if (wait != null) {
                        controller.queue().addAfter(ObjectKey.of(ds), wait);
                        continue;
                    }
                    recorder.event(stored, EventRecorder.WARNING, "FailedDaemonPod", "Found failed daemon pod "
                            + pod.namespace() + "/" + podName + " on node " + nodeName + ", will try to kill it");
                    podsToDelete.add(podName);
                } else if (phase.equals("Succeeded")) {
                    podsToDelete.add(podName);
                } else {
                    running.add(pod);
                }
            }
            // without surge, only the oldest of several pods on a node stays
            for (int i = 1; i < running.size(); i++) podsToDelete.add(running.get(i).name());
        } else if (exists) {
            for (DaemonPod pod : daemonPods) {
                if (!pod.deleting()) podsToDelete.add(pod.name());
            }
        }
    }

    /**
     * How long deleting a failed pod on that node must wait ({@code IsInBackOffSinceUpdate}), or null when it may go
     * now (and the back-off grows for the next one).
     */
    private synchronized Duration failedPodBackoff(String key) {
        Instant now = runtime.clock().instant();
        Instant since = failedBackoffSince.get(key);
        Duration current = failedBackoff.get(key);
        if (since != null && Duration.between(since, now).compareTo(current) < 0) return current;
        Duration next = current == null ? FAILED_POD_BACKOFF : current.multipliedBy(2);
        failedBackoff.put(key, next.compareTo(MAX_FAILED_POD_BACKOFF) > 0 ? MAX_FAILED_POD_BACKOFF : next);
        failedBackoffSince.put(key, now);
        return null;
    }

    /** {@code syncNodes}: creates the missing pods and deletes the others, with expectations and events. */
    private void syncNodes(String key, StoredObject stored, ObjectNode ds, List<String> podsToDelete, List<String> nodesNeedingPods, String hash) {
        int creates = Math.min(nodesNeedingPods.size(), BURST_REPLICAS);
        int deletes = Math.min(podsToDelete.size(), BURST_REPLICAS);
        if (creates == 0 && deletes == 0) return;
        String namespace = Json.text(ds.path("metadata"), "namespace");
        List<String> deletedKeys = new ArrayList<>();
        for (String pod : podsToDelete.subList(0, deletes)) deletedKeys.add(ObjectKey.of(namespace, pod));
        expectations.expect(key, creates, deletedKeys);
        ObjectNode template = DaemonPods.podTemplate(ds, hash);
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            try {
                StoredObject created = pods.create(DaemonPods.pod(ds, template, nodesNeedingPods.get(i)));
                recorder.event(stored, EventRecorder.NORMAL, "SuccessfulCreate",
                        "Created pod: " + Json.text(created.toNode().path("metadata"), "name"));
            } catch (StatusException e) {
                if (!PodControl.isNamespaceTerminating(e)) {
                    recorder.event(stored, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
                }
                for (int j = i; j < creates; j++) expectations.creationObserved(key); // this one and the ones not tried
                errors.add(e.getMessage());
                break;
            }
        }
        for (int i = 0; i < deletes; i++) {
            String pod = podsToDelete.get(i);
            try {
                pods.delete(namespace, pod);
                recorder.event(stored, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod);
            } catch (StatusException e) {
                expectations.deletionObserved(key, ObjectKey.of(namespace, pod));
                if (e.code() == 404) continue;
                recorder.event(stored, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) throw new SyncException("syncing daemon set " + key + ": " + String.join("; ", errors));
    }

    // ------------------------------------------------------------------ rolling update

    /** {@code rollingUpdate} without surge: old pods go while no more than maxUnavailable are unavailable. */
    private void rollingUpdate(String key, StoredObject stored, ObjectNode ds, DaemonPods.Placement placement, List<DaemonNode> nodes,
                               String hash) {
        Map<String, List<DaemonPod>> byNode = podsByNode(ds, false);
        int desired = 0;
        for (DaemonNode node : nodes) {
            if (!placement.eligibility(node).shouldRun()) continue;
            desired++;
            byNode.putIfAbsent(node.name(), List.of());
        }
        int maxUnavailable = scaled(ds.path("spec").path("updateStrategy").path("rollingUpdate").get("maxUnavailable"), desired, 1);
        if (desired > 0 && maxUnavailable == 0) maxUnavailable = 1;
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Instant now = runtime.clock().instant();
        int unavailable = 0;
        List<String> allowed = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, List<DaemonPod>> e : byNode.entrySet()) {
            DaemonPod newPod = null;
            DaemonPod oldPod = null;
            boolean ok = true;
            for (DaemonPod pod : e.getValue()) {
                if (pod.deleting()) continue;
                if (pod.isUpdated(hash, ds)) {
                    if (newPod != null) ok = false;
                    newPod = pod;
                } else {
                    if (oldPod != null) ok = false;
                    oldPod = pod;
                }
            }
            if (!ok || (newPod == null) == (oldPod == null)) {
                unavailable++;
            } else if (newPod != null) {
                if (!newPod.isAvailable(minReady, now)) unavailable++;
            } else if (!oldPod.isAvailable(minReady, now)) {
                allowed.add(oldPod.name());
            } else if (unavailable < maxUnavailable) {
                candidates.add(oldPod.name());
            }
        }
        int remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.size());
        List<String> toDelete = new ArrayList<>(allowed);
        toDelete.addAll(candidates.subList(0, remaining));
        syncNodes(key, stored, ds, toDelete, List.of(), hash);
    }

    /** {@code GetScaledValueFromIntOrPercent} rounding up; {@code fallback} when unset. */
    static int scaled(JsonNode value, int total, int fallback) {
        if (value == null || value.isNull()) return fallback;
        if (value.isNumber()) return value.asInt();
        String s = value.asText();
        if (s.endsWith("%")) {
            try {
                return (int) Math.ceil(Integer.parseInt(s.substring(0, s.length() - 1)) * total / 100.0);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    // ------------------------------------------------------------------ history

    private record History(JsonNode current, List<JsonNode> old) {
    }

    /** The patch a revision holds: the template, replacing the whole of it ({@code getPatch}). */
    private static JsonNode revisionData(ObjectNode ds) {
        ObjectNode template = ds.path("spec").path("template").deepCopy();
        template.put("$patch", "replace");
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.putObject("spec").set("template", template);
        return Trees.sortedKeys(data);
    }

    /** {@code constructHistory}: the revision matching the current template (created when missing) and the others. */
    private History constructHistory(ObjectNode ds) {
        JsonNode data = revisionData(ds);
        String namespace = Json.text(ds.path("metadata"), "namespace");
        List<JsonNode> current = new ArrayList<>();
        List<JsonNode> old = new ArrayList<>();
        for (StoredObject r : revisionInformer.byIndex(Informer.CONTROLLER_INDEX, Json.text(ds.path("metadata"), "uid"))) {
            ObjectNode rev = r.toNode();
            if (!Json.text(rev.path("metadata"), "namespace").equals(namespace)) continue;
            if (rev.path("data").equals(data)) current.add(rev);
            else old.add(rev);
        }
        long next = old.stream().mapToLong(ControllerHistory::revisionNumber).max().orElse(0) + 1;
        if (current.isEmpty()) return new History(snapshot(ds, data, next), old);
        JsonNode cur = current.stream().max(Comparator.comparingLong(ControllerHistory::revisionNumber)).orElseThrow();
        if (ControllerHistory.revisionNumber(cur) < next) {
            String name = Json.text(cur.path("metadata"), "name");
            cur = revisions.patch(namespace, name, r -> r.put("revision", next)).toNode();
        }
        return new History(cur, old);
    }

    /** {@code snapshot}: a new revision; a name taken by another template bumps the collision count and retries. */
    private JsonNode snapshot(ObjectNode ds, JsonNode data, long number) {
        JsonNode collision = ds.path("status").get("collisionCount");
        Integer count = collision == null || collision.isNull() ? null : collision.asInt();
        String hash = PodTemplateHash.compute(ds.path("spec").path("template"), count);
        ObjectNode revision = revision(ds, hash, ds.path("spec").path("template").path("metadata").path("labels"), data, number);
        try {
            return revisions.create(revision).toNode();
        } catch (StatusException e) {
            if (!"AlreadyExists".equals(e.reason())) throw e;
        }
        String namespace = Json.text(ds.path("metadata"), "namespace");
        ObjectNode existing = revisions.get(namespace, Json.text(revision.path("metadata"), "name")).toNode();
        if (existing.path("data").equals(data)) return existing;
        int bumped = count == null ? 1 : count + 1;
        daemonSets.patchStatus(namespace, Json.text(ds.path("metadata"), "name"), d -> {
            d.with("status").put("collisionCount", bumped);
            return d;
        });
        throw new SyncException("found a hash collision for DaemonSet " + ObjectKey.of(ds) + " - bumping collisionCount to " + bumped);
    }

    /**
     * A new revision of the DaemonSet holding {@code data} ({@code snapshot}): named {@code <ds>-<template hash>}, the
     * template's labels plus the hash, the DaemonSet's annotations, the DaemonSet its controller.
     */
    private static ObjectNode revision(ObjectNode ds, String hash, JsonNode templateLabels, JsonNode data, long number) {
        JsonNode meta = ds.path("metadata");
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
        ObjectNode m = r.putObject("metadata");
        m.put("name", Json.text(meta, "name") + "-" + hash).put("namespace", Json.text(meta, "namespace"));
        ObjectNode labels = m.putObject("labels");
        if (templateLabels != null && templateLabels.isObject()) labels.setAll((ObjectNode) templateLabels.deepCopy());
        labels.put(ControllerHistory.POD_REVISION_LABEL, hash);
        if (meta.path("annotations").isObject() && !meta.path("annotations").isEmpty()) m.set("annotations", meta.path("annotations").deepCopy());
        m.putArray("ownerReferences").add(OwnerReference.controllerRef(ds, "apps/v1", "DaemonSet").toJson());
        r.set("data", data);
        r.put("revision", number);
        return r;
    }

    /** {@code cleanupHistory}: old revisions beyond revisionHistoryLimit go, oldest first, unless a pod still runs them. */
    private void cleanupHistory(ObjectNode ds, List<JsonNode> old) {
        int keep = ds.path("spec").path("revisionHistoryLimit").asInt(10);
        int kill = old.size() - keep;
        if (kill <= 0) return;
        List<String> live = new ArrayList<>();
        podsByNode(ds, true).values().forEach(list -> list.forEach(p -> live.add(p.revisionHash())));
        List<JsonNode> sorted = new ArrayList<>(old);
        sorted.sort(Comparator.comparingLong(ControllerHistory::revisionNumber));
        String namespace = Json.text(ds.path("metadata"), "namespace");
        for (JsonNode r : sorted) {
            if (kill <= 0) break;
            if (live.contains(Json.text(r.path("metadata").path("labels"), ControllerHistory.POD_REVISION_LABEL))) continue;
            try {
                revisions.delete(namespace, Json.text(r.path("metadata"), "name"));
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
            kill--;
        }
    }

    // ------------------------------------------------------------------ status

    /** {@code updateDaemonSetStatus}: what is scheduled, ready, available and up to date, per eligible node. */
    private Result updateStatus(ObjectNode ds, DaemonPods.Placement placement, List<DaemonNode> nodes, String hash,
                                boolean updateObservedGeneration) {
        Map<String, List<DaemonPod>> byNode = podsByNode(ds, false);
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Instant now = runtime.clock().instant();
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        for (DaemonNode node : nodes) {
            List<DaemonPod> onNode = byNode.getOrDefault(node.name(), List.of());
            boolean scheduled = !onNode.isEmpty();
            if (placement.eligibility(node).shouldRun()) {
                desired++;
                if (!scheduled) continue;
                current++;
                DaemonPod pod = onNode.get(0);
                if (pod.isAvailable(0, now)) {
                    ready++;
                    if (pod.isAvailable(minReady, now)) available++;
                }
                if (pod.isUpdated(hash, ds)) updated++;
            } else if (scheduled) {
                misscheduled++;
            }
        }
        int unavailable = desired - available;
        JsonNode status = ds.path("status");
        long generation = ds.path("metadata").path("generation").asLong();
        boolean same = status.path("desiredNumberScheduled").asInt() == desired && status.path("currentNumberScheduled").asInt() == current
                && status.path("numberMisscheduled").asInt() == misscheduled && status.path("numberReady").asInt() == ready
                && status.path("updatedNumberScheduled").asInt() == updated && status.path("numberAvailable").asInt() == available
                && status.path("numberUnavailable").asInt() == unavailable && status.path("observedGeneration").asLong() >= generation
                && status.has("desiredNumberScheduled");
        if (!same) {
            int[] counts = {current, misscheduled, desired, ready, updated, available, unavailable};
            String namespace = Json.text(ds.path("metadata"), "namespace");
            String name = Json.text(ds.path("metadata"), "name");
            String uid = Json.text(ds.path("metadata"), "uid");
            try {
                daemonSets.patchStatus(namespace, name, d -> {
                    if (!Json.text(d.path("metadata"), "uid").equals(uid)) return null;
                    d.set("status", statusJson(d.path("status"), counts, updateObservedGeneration ? generation : -1));
                    return d;
                });
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
        }
        // a pod ready but not yet available for minReadySeconds: look again when it will be
        if (minReady > 0 && ready != available) return Result.requeueAfter(Duration.ofSeconds(minReady));
        return Result.done();
    }

    /** The status in the API's field order, zero counts left out where Go leaves them out. */
    private static ObjectNode statusJson(JsonNode old, int[] c, long observedGeneration) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("currentNumberScheduled", c[0]).put("numberMisscheduled", c[1]).put("desiredNumberScheduled", c[2]).put("numberReady", c[3]);
        long observed = observedGeneration >= 0 ? observedGeneration : old.path("observedGeneration").asLong(0);
        if (observed != 0) s.put("observedGeneration", observed);
        if (c[4] != 0) s.put("updatedNumberScheduled", c[4]);
        if (c[5] != 0) s.put("numberAvailable", c[5]);
        if (c[6] != 0) s.put("numberUnavailable", c[6]);
        if (old.hasNonNull("collisionCount")) s.set("collisionCount", old.get("collisionCount"));
        if (old.has("conditions")) s.set("conditions", old.get("conditions"));
        return s;
    }

    @Override
    public void close() {
        controller.close();
    }
}
