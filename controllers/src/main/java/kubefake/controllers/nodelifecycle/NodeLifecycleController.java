package kubefake.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.events.EventRecorder;
import kubefake.client.events.ObjectReference;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.runtime.SerialExecutor;
import kubefake.client.scheduling.Taint;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.resources.PodConditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * kube-controller-manager's node lifecycle controller ({@code pkg/controller/nodelifecycle}) in taint-based mode:
 * every monitor period it checks that each node's kubelet was heard from (its Lease renewed, or its Ready heartbeat
 * changed) within the grace period; if not, the node's Ready, MemoryPressure, DiskPressure and PIDPressure
 * conditions become {@code Unknown} ({@code NodeStatusUnknown}, "Kubelet stopped posting node status."), its pods
 * {@code Ready=False}, and it gets the {@code node.kubernetes.io/unreachable} NoExecute taint (not-ready when Ready is
 * False), at the zone's eviction rate; the taint eviction controller then evicts what does not tolerate it. Node
 * conditions are also mirrored as NoSchedule taints (and {@code spec.unschedulable} as the unschedulable taint), which
 * is what keeps the scheduler away. When the node is back, the taints go.
 */
public final class NodeLifecycleController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);
    public static final String NAME = "node-lifecycle-controller";
    /** The events' source, as kube-controller-manager's node controller names itself. */
    static final String COMPONENT = "node-controller";
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    static final String EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption";
    private static final List<String> KUBELET_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
    /** Node conditions and the NoSchedule taint each status means ({@code nodeConditionToTaintKeyStatusMap}). */
    private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
            "Ready", Map.of("False", Taint.NOT_READY, "Unknown", Taint.UNREACHABLE),
            "MemoryPressure", Map.of("True", Taint.MEMORY_PRESSURE),
            "DiskPressure", Map.of("True", Taint.DISK_PRESSURE),
            "NetworkUnavailable", Map.of("True", Taint.NETWORK_UNAVAILABLE),
            "PIDPressure", Map.of("True", Taint.PID_PRESSURE));
    private static final Taint UNREACHABLE_NO_EXECUTE = Taint.of(Taint.UNREACHABLE, Taint.NO_EXECUTE);
    private static final Taint NOT_READY_NO_EXECUTE = Taint.of(Taint.NOT_READY, Taint.NO_EXECUTE);

    /**
     * kube-controller-manager's flags and constants, 1.33 defaults: {@code --node-monitor-period=5s},
     * {@code --node-monitor-grace-period=50s} (40s before 1.32), {@code --node-startup-grace-period=1m},
     * {@code --node-eviction-rate=0.1}, {@code --secondary-node-eviction-rate=0.01},
     * {@code --large-cluster-size-threshold=50}, {@code --unhealthy-zone-threshold=0.55}.
     */
    public record Settings(Duration monitorPeriod, Duration gracePeriod, Duration startupGracePeriod, double evictionQps,
                           double secondaryEvictionQps, int largeClusterThreshold, double unhealthyZoneThreshold) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(50), Duration.ofMinutes(1),
                0.1, 0.01, 50, 0.55);
    }

    private enum ZoneState { INITIAL, NORMAL, PARTIAL_DISRUPTION, FULL_DISRUPTION }

    private final ResourceClient nodes;
    private final ResourceClient pods;
    private final ClusterRuntime runtime;
    private final Settings settings;
    private final Informer nodeInformer;
    private final Informer leaseInformer;
    private final Informer podInformer;
    private final EventRecorder recorder;
    private final Controller<String> noScheduleTainting;
    private final SerialExecutor lane;
    // lane-confined
    private final Map<String, NodeHealth> health = new HashMap<>();
    private final Map<String, LeaseSeen> leasesSeen = new HashMap<>();
    /** Each node's facts by the revision they were read from (kept for the revisions of the last pass). */
    private Map<Long, NodeFacts> factsByRevision = new HashMap<>();
    private final Map<String, String> knownNodes = new HashMap<>(); // name → uid
    private final Map<String, NoExecuteTainter> tainters = new HashMap<>();
    private final Map<String, ZoneState> zoneStates = new HashMap<>();
    private final Map<String, Boolean> podsToRetry = new HashMap<>();
    private Cancellable monitor;
    private Cancellable taintRetry;
    private volatile boolean closed;

    /** @param client acting as {@code system:serviceaccount:kube-system:node-controller} */
    public NodeLifecycleController(Client client, SharedInformers informers, ClusterRuntime runtime, Settings settings) {
        this.nodes = client.resource("", "nodes");
        this.pods = client.resource("", "pods");
        this.runtime = runtime;
        this.settings = settings;
        this.nodeInformer = informers.informer("", "nodes");
        this.leaseInformer = informers.informer("coordination.k8s.io", "leases");
        this.podInformer = informers.informer("", "pods");
        this.recorder = new EventRecorder(client, runtime, COMPONENT, "");
        this.lane = new SerialExecutor(runtime);
        this.noScheduleTainting = new Controller<>(NAME, runtime, new WorkQueue<>("node-lifecycle", runtime), 1, this::syncNoScheduleTaints);
        nodeInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject node) {
                noScheduleTainting.queue().add(nameOf(node.tree())); // read only
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject node) {
                noScheduleTainting.queue().add(nameOf(node.tree())); // read only
            }
        });
    }

    /** Starts the monitor (at once, then every monitor period) once the informers have synced. */
    public void start() {
        noScheduleTainting.start(nodeInformer.synced(), leaseInformer.synced(), podInformer.synced());
        CompletableFuture.allOf(nodeInformer.synced().toCompletableFuture(), leaseInformer.synced().toCompletableFuture(),
                podInformer.synced().toCompletableFuture()).thenRun(() -> {
            if (closed) return;
            lane.execute(this::monitorNodeHealth);
            monitor = runtime.every(settings.monitorPeriod(), () -> lane.execute(this::monitorNodeHealth));
        });
    }

    // ------------------------------------------------------------------ NoSchedule taints from conditions

    /** {@code doNoScheduleTaintingPass}: the node's condition and cordon taints match its conditions and spec. */
    private Result syncNoScheduleTaints(String name) {
        if (nodeInformer.get("", name).isEmpty()) return Result.done();
        try {
            nodes.patch("", name, node -> {
                List<Taint> wanted = new ArrayList<>();
                for (JsonNode c : node.path("status").path("conditions")) {
                    String key = CONDITION_TAINTS.getOrDefault(Json.text(c, "type"), Map.of()).get(Json.text(c, "status"));
                    if (key != null) wanted.add(Taint.of(key, Taint.NO_SCHEDULE));
                }
                if (node.path("spec").path("unschedulable").asBoolean(false)) wanted.add(Taint.of(Taint.UNSCHEDULABLE, Taint.NO_SCHEDULE));
                List<Taint> current = new ArrayList<>();
                for (Taint t : Taint.ofNode(node)) {
                    if (t.effect().equals(Taint.NO_SCHEDULE) && isConditionOrCordonTaint(t.key())) current.add(t);
                }
                List<Taint> add = new ArrayList<>();
                for (Taint w : wanted) if (current.stream().noneMatch(w::matches)) add.add(w);
                List<Taint> remove = new ArrayList<>();
                for (Taint c : current) if (wanted.stream().noneMatch(c::matches)) remove.add(c);
                return swapTaints(node, add, remove) ? node : null;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
        return Result.done();
    }

    private static boolean isConditionOrCordonTaint(String key) {
        if (key.equals(Taint.UNSCHEDULABLE)) return true;
        for (Map<String, String> byStatus : CONDITION_TAINTS.values()) if (byStatus.containsValue(key)) return true;
        return false;
    }

    /**
     * {@code SwapNodeControllerTaint} on a node tree: adds (with {@code timeAdded} now) or replaces taints of the same
     * key and effect, removes others; true when the taints changed.
     */
    private boolean swapTaints(ObjectNode node, List<Taint> add, List<Taint> remove) {
        List<Taint> taints = Taint.ofNode(node);
        List<Taint> result = new ArrayList<>(taints);
        String now = time(runtime.clock().instant());
        for (Taint a : add) {
            Taint stamped = a.withTimeAdded(now);
            boolean replaced = false;
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i).matches(stamped)) {
                    result.set(i, stamped);
                    replaced = true;
                }
            }
            if (!replaced) result.add(stamped);
        }
        result.removeIf(t -> remove.stream().anyMatch(t::matches));
        if (result.equals(taints)) return false;
        ObjectNode spec = node.with("spec");
        if (result.isEmpty()) {
            spec.remove("taints");
        } else {
            ArrayNode out = spec.putArray("taints");
            result.forEach(t -> out.add(t.toJson()));
        }
        return true;
    }

    /** Changes the node's taints; false when the write failed (tried again later). */
    private boolean swapTaints(String name, List<Taint> add, List<Taint> remove) {
        try {
            nodes.patch("", name, node -> swapTaints(node, add, remove) ? node : null);
            return true;
        } catch (StatusException e) {
            LOG.warn("could not change the taints of node {}: {}", name, e.getMessage());
            return false;
        }
    }

    // ------------------------------------------------------------------ the monitor pass (on the lane)

    private void monitorNodeHealth() {
        if (closed) return;
        // each node revision is read once (NodeFacts), not at every pass: a pass looks at 5,000 nodes every 5 s
        List<NodeFacts> all = new ArrayList<>();
        Map<Long, NodeFacts> seen = new HashMap<>();
        for (StoredObject o : nodeInformer.list()) {
            NodeFacts f = factsByRevision.get(o.resourceVersion());
            if (f == null) f = NodeFacts.of(o);
            seen.put(o.resourceVersion(), f);
            all.add(f);
        }
        factsByRevision = seen;
        all.sort(Comparator.comparing(NodeFacts::name));
        classifyNodes(all);
        Map<String, List<String>> zoneReadiness = new LinkedHashMap<>();
        for (NodeFacts node : all) {
            String name = node.name();
            Observation o = tryUpdateNodeHealth(node);
            if (!node.excludedFromDisruption()) {
                zoneReadiness.computeIfAbsent(node.zone(), z -> new ArrayList<>()).add(o.currentReady());
            }
            if (o.currentReady() == null) continue;
            processTaintBasedEviction(node, o.observedReady());
            boolean retry = podsToRetry.containsKey(name);
            boolean becameNotReady = !"True".equals(o.currentReady()) && "True".equals(o.observedReady());
            if (becameNotReady) {
                recorder.event(new ObjectReference("Node", "", name, node.uid(), "v1", "", ""), EventRecorder.NORMAL,
                        "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
            }
            if (becameNotReady || retry && !"True".equals(o.currentReady())) {
                if (!markPodsNotReady(name)) {
                    podsToRetry.put(name, true);
                    continue;
                }
            }
            podsToRetry.remove(name);
        }
        handleDisruption(zoneReadiness, all);
        doNoExecuteTaintingPass();
    }

    /** New nodes get a RegisteredNode event and a clean start; deleted ones are forgotten. */
    private void classifyNodes(List<NodeFacts> all) {
        Map<String, String> present = new HashMap<>();
        for (NodeFacts node : all) {
            String name = node.name();
            present.put(name, node.uid());
            tainters.computeIfAbsent(node.zone(), z -> new NoExecuteTainter(runtime.clock(), settings.evictionQps()));
            zoneStates.putIfAbsent(node.zone(), ZoneState.INITIAL);
            if (!knownNodes.containsKey(name)) {
                recorder.event(new ObjectReference("Node", "", name, node.uid(), "v1", "", ""), EventRecorder.NORMAL,
                        "RegisteredNode", "Node " + name + " event: Registered Node " + name + " in Controller");
                knownNodes.put(name, node.uid());
                markNodeAsReachable(node);
            }
        }
        for (String name : new ArrayList<>(knownNodes.keySet())) {
            if (present.containsKey(name)) continue;
            recorder.event(new ObjectReference("Node", "", name, knownNodes.get(name), "v1", "", ""), EventRecorder.NORMAL,
                    "RemovingNode", "Node " + name + " event: Removing Node " + name + " from Controller");
            knownNodes.remove(name);
            health.remove(name);
            leasesSeen.remove(name);
            podsToRetry.remove(name);
            tainters.values().forEach(t -> t.remove(name));
        }
    }

    /** The Ready condition's status before and after this pass ({@code observedReadyCondition}, {@code currentReadyCondition}). */
    private record Observation(String observedReady, String currentReady) {
    }

    /** {@code tryUpdateNodeHealth}. */
    private Observation tryUpdateNodeHealth(NodeFacts facts) {
        String name = facts.name();
        Instant now = runtime.clock().instant();
        boolean hasReady = facts.readyStatus() != null;
        NodeHealth h = health.get(name);
        Duration grace;
        String observed;
        if (!hasReady) {
            // the kubelet never posted: as if Unknown since the node was created, with the startup grace period
            observed = "Unknown";
            grace = settings.startupGracePeriod();
            if (h == null) {
                Instant created = Instant.parse(facts.creationTimestamp());
                h = new NodeHealth(created, created, null, null, null);
            }
        } else {
            observed = facts.readyStatus();
            grace = settings.gracePeriod();
        }
        String heartbeat = facts.readyHeartbeat();
        String transition = facts.readyTransition();
        if (h == null || h.readyHeartbeat() == null && hasReady || h.readyHeartbeat() != null && !hasReady) {
            h = new NodeHealth(now, now, heartbeat, transition, h == null ? null : h.leaseRenewTime());
        } else if (hasReady && !Objects.equals(h.readyHeartbeat(), heartbeat)) {
            Instant transitionTime = Objects.equals(h.readyTransition(), transition) ? h.readyTransitionTimestamp() : now;
            h = new NodeHealth(now, transitionTime, heartbeat, transition, h.leaseRenewTime());
        }
        Instant renew = leaseRenewTime(name);
        if (renew != null && (h.leaseRenewTime() == null || h.leaseRenewTime().isBefore(renew))) h = h.withLease(renew, now);
        health.put(name, h);

        String current = hasReady ? observed : null;
        if (now.isAfter(h.probeTimestamp().plus(grace))) {
            String stamp = time(now);
            ObjectNode updated = facts.stored().toNode();
            String resourceVersion = Json.text(updated.path("metadata"), "resourceVersion");
            JsonNode ready = hasReady ? condition(updated, "Ready").deepCopy() : null;
            markConditionsUnknown(updated, stamp);
            JsonNode newReady = condition(updated, "Ready");
            current = Json.text(newReady, "status");
            if (!newReady.equals(ready)) {
                try {
                    nodes.patchStatus("", name, fresh -> {
                        // the informer's copy is what was judged: a node that changed meanwhile is looked at again next pass
                        if (!Json.text(fresh.path("metadata"), "resourceVersion").equals(resourceVersion)) {
                            throw StatusException.conflictModified("", "nodes", name);
                        }
                        markConditionsUnknown(fresh, stamp);
                        return fresh;
                    });
                    health.put(name, new NodeHealth(h.probeTimestamp(), now, Json.text(newReady, "lastHeartbeatTime"),
                            Json.text(newReady, "lastTransitionTime"), h.leaseRenewTime()));
                } catch (StatusException e) {
                    LOG.debug("could not mark node {} Unknown: {}", name, e.getMessage());
                    return new Observation(observed, hasReady ? observed : null);
                }
            }
        }
        return new Observation(observed, current);
    }

    /** Every condition the kubelet owns becomes Unknown ({@code NodeStatusUnknown}), or is added if never posted. */
    private static void markConditionsUnknown(ObjectNode node, String now) {
        ArrayNode conditions = node.with("status").withArray("conditions");
        String created = Json.text(node.path("metadata"), "creationTimestamp");
        for (String type : KUBELET_CONDITIONS) {
            ObjectNode c = (ObjectNode) condition(node, type);
            if (c == null) {
                conditions.addObject().put("type", type).put("status", "Unknown").put("lastHeartbeatTime", created)
                        .put("lastTransitionTime", now).put("reason", "NodeStatusNeverUpdated")
                        .put("message", "Kubelet never posted node status.");
            } else if (!"Unknown".equals(Json.text(c, "status"))) {
                c.put("status", "Unknown").put("lastTransitionTime", now).put("reason", "NodeStatusUnknown")
                        .put("message", "Kubelet stopped posting node status.");
            }
        }
    }

    private Instant leaseRenewTime(String node) {
        StoredObject lease = leaseInformer.get(NODE_LEASE_NAMESPACE, node).orElse(null);
        if (lease == null) return null;
        // a pass looks at every node's Lease every 5 s; each revision's renewTime is read once
        LeaseSeen seen = leasesSeen.get(node);
        if (seen != null && seen.revision() == lease.resourceVersion()) return seen.renewTime();
        String renew = Json.text(lease.tree().path("spec"), "renewTime"); // read only
        Instant renewTime = renew.isEmpty() ? null : Instant.parse(renew);
        leasesSeen.put(node, new LeaseSeen(lease.resourceVersion(), renewTime));
        return renewTime;
    }

    /** A node Lease's renewTime as of one of its revisions. */
    private record LeaseSeen(long revision, Instant renewTime) {
    }

    /** {@code processTaintBaseEviction}: by the Ready status seen at the start of the pass. */
    private void processTaintBasedEviction(NodeFacts node, String observedReady) {
        String name = node.name();
        NoExecuteTainter tainter = tainters.get(node.zone());
        switch (observedReady) {
            case "False" -> {
                if (node.unreachableNoExecute()) {
                    swapTaints(name, List.of(NOT_READY_NO_EXECUTE), List.of(UNREACHABLE_NO_EXECUTE));
                } else {
                    if (!node.notReadyNoExecute()) tainter.remove(name);
                    tainter.add(name);
                }
            }
            case "Unknown" -> {
                if (node.notReadyNoExecute()) {
                    swapTaints(name, List.of(UNREACHABLE_NO_EXECUTE), List.of(NOT_READY_NO_EXECUTE));
                } else {
                    if (!node.unreachableNoExecute()) tainter.remove(name);
                    tainter.add(name);
                }
            }
            case "True" -> markNodeAsReachable(node);
            default -> { }
        }
    }

    /** The node's NoExecute taints go and it leaves the taint queue ({@code markNodeAsReachable}). */
    private void markNodeAsReachable(NodeFacts node) {
        String name = node.name();
        NoExecuteTainter tainter = tainters.get(node.zone());
        if (tainter != null) tainter.remove(name);
        if (node.unreachableNoExecute() || node.notReadyNoExecute()) {
            swapTaints(name, List.of(), List.of(UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE));
        }
    }

    /** {@code doNoExecuteTaintingPass}: queued nodes get the taint their Ready status calls for, at the zones' rates. */
    private void doNoExecuteTaintingPass() {
        Duration next = null;
        for (NoExecuteTainter tainter : tainters.values()) {
            Duration wait = tainter.process(name -> {
                ObjectNode node = nodeInformer.get("", name).map(StoredObject::tree).orElse(null); // read only
                if (node == null) return true;
                JsonNode ready = condition(node, "Ready");
                String status = ready == null ? "" : Json.text(ready, "status");
                return switch (status) {
                    case "False" -> swapTaints(name, List.of(NOT_READY_NO_EXECUTE), List.of(UNREACHABLE_NO_EXECUTE));
                    case "Unknown" -> swapTaints(name, List.of(UNREACHABLE_NO_EXECUTE), List.of(NOT_READY_NO_EXECUTE));
                    default -> true; // ready again: nothing to do
                };
            });
            if (wait != null && (next == null || wait.compareTo(next) < 0)) next = wait;
        }
        if (next != null && (taintRetry == null)) {
            taintRetry = runtime.schedule(next, () -> lane.execute(() -> {
                taintRetry = null;
                doNoExecuteTaintingPass();
            }));
        }
    }

    // ------------------------------------------------------------------ zones

    /** {@code handleDisruption}: a zone mostly down is tainted slowly or not at all; all zones down stops evictions. */
    private void handleDisruption(Map<String, List<String>> zoneReadiness, List<NodeFacts> all) {
        Map<String, ZoneState> newStates = new HashMap<>();
        boolean allFullyDisrupted = true;
        for (Map.Entry<String, List<String>> e : zoneReadiness.entrySet()) {
            ZoneState s = zoneState(e.getValue());
            if (s != ZoneState.FULL_DISRUPTION) allFullyDisrupted = false;
            newStates.put(e.getKey(), s);
            zoneStates.putIfAbsent(e.getKey(), ZoneState.INITIAL);
        }
        boolean allWereFullyDisrupted = true;
        for (String zone : new ArrayList<>(zoneStates.keySet())) {
            if (!zoneReadiness.containsKey(zone)) {
                zoneStates.remove(zone);
                continue;
            }
            if (zoneStates.get(zone) != ZoneState.FULL_DISRUPTION) allWereFullyDisrupted = false;
        }
        if (allFullyDisrupted && allWereFullyDisrupted) return;
        if (allFullyDisrupted) {
            LOG.info("Controller detected that all Nodes are not-Ready. Entering master disruption mode");
            all.forEach(this::markNodeAsReachable);
            zoneStates.replaceAll((z, s) -> ZoneState.FULL_DISRUPTION);
            tainters.values().forEach(t -> t.swapLimiter(0));
            return;
        }
        if (allWereFullyDisrupted) {
            LOG.info("Controller detected that some Nodes are Ready. Exiting master disruption mode");
            Instant now = runtime.clock().instant();
            health.replaceAll((n, h) -> new NodeHealth(now, now, h.readyHeartbeat(), h.readyTransition(), h.leaseRenewTime()));
            for (String zone : zoneStates.keySet()) setZoneState(zone, newStates.get(zone), zoneReadiness.get(zone).size());
            return;
        }
        for (String zone : zoneStates.keySet()) {
            ZoneState s = newStates.get(zone);
            if (zoneStates.get(zone) != s) setZoneState(zone, s, zoneReadiness.get(zone).size());
        }
    }

    private void setZoneState(String zone, ZoneState state, int size) {
        zoneStates.put(zone, state);
        double qps = switch (state) {
            case PARTIAL_DISRUPTION -> size > settings.largeClusterThreshold() ? settings.secondaryEvictionQps() : 0;
            default -> settings.evictionQps();
        };
        NoExecuteTainter t = tainters.get(zone);
        if (t != null) t.swapLimiter(qps);
    }

    /** {@code ComputeZoneState}. */
    private ZoneState zoneState(List<String> readiness) {
        int ready = 0;
        int notReady = 0;
        for (String r : readiness) {
            if ("True".equals(r)) ready++;
            else notReady++;
        }
        if (ready == 0 && notReady > 0) return ZoneState.FULL_DISRUPTION;
        if (notReady > 2 && (double) notReady / (notReady + ready) >= settings.unhealthyZoneThreshold()) {
            return ZoneState.PARTIAL_DISRUPTION;
        }
        return ZoneState.NORMAL;
    }

    // ------------------------------------------------------------------ pods

    /**
     * {@code MarkPodsNotReady}: the Ready condition of each pod on the node turns False, with a NodeNotReady event.
     * False when a write failed (retried next pass).
     */
    private boolean markPodsNotReady(String node) {
        boolean ok = true;
        Instant now = runtime.clock().instant();
        for (StoredObject o : podInformer.byIndex(Informer.NODE_NAME_INDEX, node)) {
            ObjectNode pod = o.toNode();
            JsonNode ready = PodConditions.get(pod, "Ready");
            if (ready == null || "False".equals(Json.text(ready, "status"))) continue;
            JsonNode meta = pod.path("metadata");
            String namespace = Json.text(meta, "namespace");
            String name = Json.text(meta, "name");
            String uid = Json.text(meta, "uid");
            try {
                StoredObject updated = pods.patchStatus(namespace, name, p -> {
                    if (!Json.text(p.path("metadata"), "uid").equals(uid)) return null;
                    JsonNode r = PodConditions.get(p, "Ready");
                    if (r == null) return null;
                    boolean changed = PodConditions.update(p, "Ready", "False", Json.text(r, "reason"), Json.text(r, "message"), now);
                    return changed ? p : null;
                });
                recorder.event(updated, EventRecorder.WARNING, "NodeNotReady", "Node is not ready");
            } catch (StatusException e) {
                if (e.code() == 404) continue;
                LOG.info("could not mark pod {}/{} not ready: {}", namespace, name, e.getMessage());
                ok = false;
            }
        }
        return ok;
    }

    // ------------------------------------------------------------------ helpers

    static JsonNode condition(JsonNode node, String type) {
        for (JsonNode c : node.path("status").path("conditions")) if (type.equals(Json.text(c, "type"))) return c;
        return null;
    }

    private static String nameOf(JsonNode node) {
        return Json.text(node.path("metadata"), "name");
    }

    /** {@code GetZoneKey}: region and zone labels (or their beta forms), "" without either. */
    static String zoneKey(JsonNode node) {
        JsonNode labels = node.path("metadata").path("labels");
        String zone = labels.has("topology.kubernetes.io/zone") ? labels.path("topology.kubernetes.io/zone").asText()
                : labels.path("failure-domain.beta.kubernetes.io/zone").asText("");
        String region = labels.has("topology.kubernetes.io/region") ? labels.path("topology.kubernetes.io/region").asText()
                : labels.path("failure-domain.beta.kubernetes.io/region").asText("");
        return region.isEmpty() && zone.isEmpty() ? "" : region + ":\u0000:" + zone;
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public void close() {
        closed = true;
        if (monitor != null) monitor.cancel();
        if (taintRetry != null) taintRetry.cancel();
        noScheduleTainting.close();
    }
}
