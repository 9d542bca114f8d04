package kubefake.controllers.podgc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.runtime.SerialExecutor;
import kubefake.client.scheduling.Taint;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.resources.PodConditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-controller-manager's pod garbage collector ({@code pkg/controller/podgc}), every 20 s: finished pods beyond
 * {@code --terminated-pod-gc-threshold} (12,500; evicted ones first, then the oldest), pods on nodes that have been
 * gone for the 40 s quarantine, terminating pods on a NotReady node with the {@code node.kubernetes.io/out-of-service}
 * taint, and terminating pods never scheduled are marked Failed (orphans with {@code DisruptionTarget}) and deleted at
 * once.
 */
public final class PodGCController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodGCController.class);
    public static final String NAME = "pod-garbage-collector";
    public static final int DEFAULT_TERMINATED_POD_THRESHOLD = 12_500;
    static final Duration GC_PERIOD = Duration.ofSeconds(20);
    static final Duration QUARANTINE = Duration.ofSeconds(40);
    private static final DeleteOptions FORCE = new DeleteOptions(0L, null, null, null, false);
    /**
     * The pods informer's index of what the collector looks for: finished pods and pods being deleted. Kept as each
     * change arrives, so a pass reads only those pods, not every pod's tree (which the store keeps weakly: a pass over
     * all of them parsed each one again, every 20 s, a cost that grew with the cluster).
     */
    static final String INDEX = "podgc";
    private static final String TERMINATED = "terminated";
    private static final String DELETING = "deleting";

    private final ResourceClient pods;
    private final ResourceClient nodes;
    private final ClusterRuntime runtime;
    private final int terminatedPodThreshold;
    private final Informer podInformer;
    private final Informer nodeInformer;
    private final SerialExecutor lane;
    /** Nodes pods name that did not exist, and when the quarantine ends (lane-confined). */
    private final Map<String, Instant> quarantine = new HashMap<>();
    private Cancellable timer;

    /**
     * @param client                 acting as {@code system:serviceaccount:kube-system:pod-garbage-collector}
     * @param terminatedPodThreshold how many finished pods may stay; 0 keeps them all
     */
    public PodGCController(Client client, SharedInformers informers, ClusterRuntime runtime, int terminatedPodThreshold) {
        this.pods = client.resource("", "pods");
        this.nodes = client.resource("", "nodes");
        this.runtime = runtime;
        this.terminatedPodThreshold = terminatedPodThreshold;
        this.podInformer = informers.informer("", "pods");
        podInformer.addIndexer(INDEX, PodGCController::indexValues);
        this.nodeInformer = informers.informer("", "nodes");
        this.lane = new SerialExecutor(runtime);
    }

    public void start() {
        timer = runtime.every(GC_PERIOD, () -> lane.execute(this::gc));
    }

    private static List<String> indexValues(ObjectNode pod) {
        String phase = phase(pod);
        boolean terminated = !phase.equals("Pending") && !phase.equals("Running") && !phase.equals("Unknown");
        if (deleting(pod)) return terminated ? List.of(TERMINATED, DELETING) : List.of(DELETING);
        return terminated ? List.of(TERMINATED) : List.of();
    }

    private void gc() {
        if (!podInformer.hasSynced() || !nodeInformer.hasSynced()) return;
        if (terminatedPodThreshold > 0) {
            List<StoredObject> terminated = podInformer.byIndex(INDEX, TERMINATED);
            if (terminated.size() > terminatedPodThreshold) gcTerminated(trees(terminated)); // else nothing to parse
        }
        List<ObjectNode> deleting = trees(podInformer.byIndex(INDEX, DELETING));
        gcTerminating(deleting);
        gcOrphaned();
        gcUnscheduledTerminating(deleting);
    }

    /** The revisions' shared trees: read only. */
    private static List<ObjectNode> trees(List<StoredObject> pods) {
        List<ObjectNode> out = new ArrayList<>(pods.size());
        for (StoredObject o : pods) out.add(o.tree());
        return out;
    }

    private static String phase(JsonNode pod) {
        return Json.text(pod.path("status"), "phase");
    }

    private static boolean deleting(JsonNode pod) {
        return pod.path("metadata").hasNonNull("deletionTimestamp");
    }

    private static String nodeName(JsonNode pod) {
        return Json.text(pod.path("spec"), "nodeName");
    }

    /** Evicted pods first, then by creation time, then name ({@code byEvictionAndCreationTimestamp}). */
    private static final Comparator<ObjectNode> EVICTED_THEN_OLDEST = Comparator
            .comparing((ObjectNode p) -> !(phase(p).equals("Failed") && "Evicted".equals(Json.text(p.path("status"), "reason"))))
            .thenComparing(p -> Json.text(p.path("metadata"), "creationTimestamp"))
            .thenComparing(p -> Json.text(p.path("metadata"), "name"));

    private void gcTerminated(List<ObjectNode> terminated) {
        int excess = terminated.size() - terminatedPodThreshold;
        if (excess <= 0) return;
        LOG.info("Garbage collecting {} pods", excess);
        terminated.sort(EVICTED_THEN_OLDEST);
        for (ObjectNode p : terminated.subList(0, excess)) markFailedAndDelete(p, null);
    }

    private void gcTerminating(List<ObjectNode> deleting) {
        List<ObjectNode> terminating = new ArrayList<>();
        for (ObjectNode p : deleting) {
            JsonNode node = nodeInformer.get("", nodeName(p)).map(StoredObject::tree).orElse(null);
            if (node == null) continue;
            if (!isReady(node) && Taint.ofNode(node).stream().anyMatch(t -> t.key().equals(Taint.OUT_OF_SERVICE))) terminating.add(p);
        }
        terminating.sort(EVICTED_THEN_OLDEST);
        for (ObjectNode p : terminating) markFailedAndDelete(p, null);
    }

    private static boolean isReady(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if ("Ready".equals(Json.text(c, "type"))) return "True".equals(Json.text(c, "status"));
        }
        return false;
    }

    /** Pods on nodes that stayed missing for the quarantine (and are confirmed missing by a read) go. */
    private void gcOrphaned() {
        Set<String> existing = new HashSet<>(nodeInformer.keys());
        Instant now = runtime.clock().instant();
        for (String node : podInformer.indexValues(Informer.NODE_NAME_INDEX)) {
            if (!existing.contains(node)) quarantine.putIfAbsent(node, now.plus(QUARANTINE));
        }
        Set<String> deleted = new HashSet<>();
        for (Iterator<Map.Entry<String, Instant>> it = quarantine.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (e.getValue().isAfter(now)) continue;
            it.remove();
            if (!existing.contains(e.getKey()) && nodes.find("", e.getKey()).isEmpty()) deleted.add(e.getKey());
        }
        for (String node : deleted) {
            for (StoredObject o : podInformer.byIndex(Informer.NODE_NAME_INDEX, node)) {
                ObjectNode p = o.tree(); // read only
                LOG.info("Found orphaned Pod {}/{} assigned to the Node {}, deleting", Json.text(p.path("metadata"), "namespace"),
                        Json.text(p.path("metadata"), "name"), nodeName(p));
                markFailedAndDelete(p, new String[] {"DeletionByPodGC", "PodGC: node no longer exists"});
            }
        }
    }

    private void gcUnscheduledTerminating(List<ObjectNode> deleting) {
        for (ObjectNode p : deleting) {
            if (nodeName(p).isEmpty()) markFailedAndDelete(p, null);
        }
    }

    /**
     * {@code markFailedAndDeletePodWithCondition}: an unfinished pod is marked Failed first (no kubelet will), with a
     * DisruptionTarget condition when given (reason, message); then deleted without grace.
     */
    private void markFailedAndDelete(ObjectNode pod, String[] disruption) {
        JsonNode meta = pod.path("metadata");
        String namespace = Json.text(meta, "namespace");
        String name = Json.text(meta, "name");
        String uid = Json.text(meta, "uid");
        Instant now = runtime.clock().instant();
        try {
            String phase = phase(pod);
            if (!phase.equals("Succeeded") && !phase.equals("Failed")) {
                pods.patchStatus(namespace, name, p -> {
                    if (!Json.text(p.path("metadata"), "uid").equals(uid)) return null;
                    p.with("status").put("phase", "Failed");
                    if (disruption != null) PodConditions.update(p, "DisruptionTarget", "True", disruption[0], disruption[1], now);
                    return p;
                });
            }
            pods.delete(namespace, name, FORCE);
        } catch (StatusException e) {
            if (e.code() != 404) LOG.warn("could not delete pod {}/{}: {}", namespace, name, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (timer != null) timer.cancel();
    }
}
