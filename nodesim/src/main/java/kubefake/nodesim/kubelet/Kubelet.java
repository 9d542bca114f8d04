package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.events.EventRecorder;
import kubefake.client.events.ObjectReference;
import kubefake.client.informers.Informer;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.SerialExecutor;
import kubefake.nodesim.NodeObjects;
import kubefake.nodesim.NodeSpec;
import kubefake.nodesim.runtime.Image;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One node's kubelet, without a thread of its own: its work (the pods the shared informer hands it, its clock tasks)
 * runs in order on its own lane of the cluster's executor. It renews the node's Lease every 10 s, reports the node's
 * status (every 10 s it looks, it writes when something changed or 5 min passed), runs its pods through the lifecycle
 * profile's stages, and keeps the mirror pods of its static pods.
 *
 * <p>A stopped kubelet ({@code systemctl stop kubelet}) does nothing: no Lease renewal, no status, no pod work (its
 * containers keep running; what happens to them meanwhile is seen when it starts again).
 */
public final class Kubelet {
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    final NodeSpec node;
    final KubeletContext context;
    final Client client;
    final Client calico;
    final EventRecorder recorder;
    final SerialExecutor lane;
    final NodeImages images = new NodeImages();
    /** The node's image pulls, one at a time (the kubelet's serializeImagePulls, true by default). */
    final ImagePuller puller = new ImagePuller(this::after);
    final SplittableRandom random;
    private final StaticPods staticPods;
    private final NodeStatusReporter statusReporter;
    private final HeartbeatWheel heartbeats;
    /** Pod workers by pod uid (static pods by their file uid). */
    private final Map<String, PodWorker> workers = new HashMap<>();
    /** Static pod workers by mirror pod name. */
    private final Map<String, PodWorker> staticWorkers = new HashMap<>();
    /**
     * The newest revision of each pod the lane has yet to look at, by uid (guarded by itself): as the real kubelet's
     * pod workers keep one pending update per pod, revisions that come while an earlier one waits replace it, so a
     * kubelet behind the informer looks at each pod once, at its newest revision, instead of at every one between.
     */
    private final Map<String, StoredObject> pendingPods = new HashMap<>();

    // lane-confined
    /** Started: it renews its Lease and reports its node's status. */
    private boolean heartbeating;
    /** Its pods run (set once the start's pod part ran, after the node's part). */
    private boolean running;
    private Instant firstStart;
    private Cancellable heartbeat;
    private String nodeUid = "";

    Kubelet(NodeSpec node, KubeletContext context, StaticPods staticPods, HeartbeatWheel heartbeats) {
        this.node = node;
        this.heartbeats = heartbeats;
        this.context = context;
        this.client = new Client(context.registry(), UserInfo.node(node.name()), "kubelet");
        this.calico = context.calico();
        this.recorder = new EventRecorder(client, context.runtime(), "kubelet", node.name());
        this.lane = new SerialExecutor(context.runtime());
        this.random = new SplittableRandom(context.seed() ^ node.name().hashCode() * 0x9E3779B97F4A7C15L);
        this.staticPods = staticPods;
        this.statusReporter = new NodeStatusReporter(this);
        for (String image : context.preloadedImages()) images.add(context.catalogue().resolve(image));
        for (Image image : staticPods.images(context.catalogue())) images.add(image);
    }

    public String nodeName() {
        return node.name();
    }

    Instant now() {
        return context.runtime().clock().instant();
    }

    /** Whether the kubelet runs its pods (on the lane's view). */
    boolean isRunning() {
        return running;
    }

    /** Whether the kubelet is started: it renews its Lease and reports its node's status (on the lane's view). */
    boolean isHeartbeating() {
        return heartbeating;
    }

    // ---------------------------------------------------------------- start and stop (systemctl start|stop kubelet)

    /** Starts the kubelet (at boot, or again after {@link #stop}): heartbeats, node status, static and API pods. */
    void start() {
        // the node's own part first (urgent: a node's heartbeat runs on its own machine in a real cluster, behind no
        // other node's pods), then its pods in the lane's turn
        lane.executeUrgent(() -> {
            if (heartbeating) return;
            heartbeating = true;
            Instant now = now();
            if (firstStart == null) firstStart = now;
            registerNode();
            ObjectReference ref = nodeReference();
            recorder.event(ref, EventRecorder.NORMAL, "Starting", "Starting kubelet.");
            recorder.event(ref, EventRecorder.NORMAL, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
            renewLease();
            statusReporter.startedAgain();
            statusReporter.sync();
            // the Lease's and the node status's periods are both 10 s: one beat on the cluster's heartbeat wheel
            heartbeat = heartbeats.every(() -> lane.executeUrgent(() -> {
                renewLease();
                statusReporter.sync();
            }));
            lane.execute(this::startPods);
        });
    }

    /** The start's pod part: static pods' workers, and what happened to the node's pods while it was stopped. */
    private void startPods() {
        if (!heartbeating || running) return; // stopped meanwhile, or done by an earlier start's turn
        running = true;
        boolean firstTime = staticPods.workers() == null;
        if (firstTime) {
            for (PodWorker w : staticPods.createWorkers(this)) {
                staticWorkers.put(w.mirrorName(), w);
                workers.put(w.uid, w);
                w.admit();
            }
        }
        // what happened while it was stopped: pods deleted, bound or changed meanwhile
        List<StoredObject> current = context.pods().byIndex(Informer.NODE_NAME_INDEX, node.name());
        Set<String> seen = new HashSet<>();
        for (StoredObject o : current) seen.add(Json.text(Json.metadata(o.tree()), "uid"));
        if (!firstTime) {
            for (PodWorker w : new ArrayList<>(workers.values())) {
                if (w.isStatic()) {
                    w.resume();
                    w.ensureMirror();
                } else if (!seen.contains(w.uid)) {
                    w.forget();
                    workers.remove(w.uid);
                } else {
                    w.resume();
                }
            }
        }
        for (StoredObject o : current) podChanged(o.tree(), o);
    }

    /** Stops the kubelet: its timers are cancelled, pods and heartbeats wait until {@link #start}. */
    void stop() {
        lane.executeUrgent(() -> {
            if (!heartbeating) return;
            heartbeating = false;
            running = false;
            if (heartbeat != null) heartbeat.cancel();
            for (PodWorker w : workers.values()) w.suspend();
            puller.stop();
        });
    }

    /** Whether the kubelet found the pod at its first start (a cluster found running rather than booting). */
    boolean withinFoundRunningWindow() {
        return firstStart != null && !now().isAfter(firstStart.plus(context.profile().foundRunning().within()));
    }

    // ---------------------------------------------------------------- pods from the informer (on the lane)

    /** A pod of this node was added or changed (from the informer): the lane looks at its newest revision in turn. */
    void podUpdated(String uid, StoredObject stored) {
        synchronized (pendingPods) {
            if (pendingPods.put(uid, stored) != null) return; // the queued look takes this revision instead
        }
        lane.execute(() -> {
            StoredObject newest;
            synchronized (pendingPods) {
                newest = pendingPods.remove(uid);
            }
            podChanged(newest.tree(), newest);
        });
    }

    /** @param pod the shared tree of {@code stored}: only read */
    void podChanged(ObjectNode pod, StoredObject stored) {
        if (!running) return;
        ObjectNode meta = Json.metadata(pod);
        String uid = Json.text(meta, "uid");
        JsonNode annotations = meta.path("annotations");
        if (annotations.has(StaticPods.MIRROR_ANNOTATION)) {
            PodWorker w = staticWorkers.get(Json.text(meta, "name"));
            if (w != null) w.mirrorChanged(pod);
            else deleteOrphanMirror(pod);
            return;
        }
        PodWorker w = workers.get(uid);
        if (w == null) {
            String phase = stored.tree().path("status").path("phase").asText("");
            boolean finished = phase.equals("Succeeded") || phase.equals("Failed");
            if (finished && !meta.hasNonNull("deletionTimestamp")) return; // a pod that ended before this kubelet knew it
            w = new PodWorker(this, pod, stored, null);
            workers.put(uid, w);
            w.admit();
        } else {
            w.update(stored);
        }
    }

    void podDeleted(ObjectNode pod) {
        ObjectNode meta = Json.metadata(pod);
        if (meta.path("annotations").has(StaticPods.MIRROR_ANNOTATION)) {
            PodWorker w = staticWorkers.get(Json.text(meta, "name"));
            if (w != null && running) w.mirrorDeleted(Json.text(meta, "uid"));
            return;
        }
        PodWorker w = workers.remove(Json.text(meta, "uid"));
        if (w != null) w.forget();
    }

    /** {@code kill 1} inside a container of one of this node's pods (its run {@code containerId}). */
    void signalMainProcess(String podUid, String container, String containerId) {
        lane.execute(() -> {
            PodWorker w = workers.get(podUid);
            if (w != null) w.signalMainProcess(container, containerId);
        });
    }

    /** The main process of a container of one of this node's pods (its run {@code containerId}), reading stdin, exited. */
    void mainProcessExited(String podUid, String container, String containerId, int code) {
        lane.execute(() -> {
            PodWorker w = workers.get(podUid);
            if (w != null) w.mainProcessExited(container, containerId, code);
        });
    }

    /** A worker whose pod is gone (deleted by the kubelet after its termination). */
    void workerDone(PodWorker w) {
        workers.remove(w.uid, w);
    }

    /** A mirror pod of a static pod this kubelet does not have (its manifest went): the real kubelet deletes it. */
    private void deleteOrphanMirror(ObjectNode pod) {
        ObjectNode meta = Json.metadata(pod);
        try {
            client.resource("", "pods").delete(Json.text(meta, "namespace"), Json.text(meta, "name"),
                    new kubefake.store.registry.DeleteOptions(0L, Json.text(meta, "uid"), null, null, false));
        } catch (StatusException e) {
            if (e.code() != 404 && e.code() != 409) throw e;
        }
    }

    // ---------------------------------------------------------------- node registration and heartbeats

    /** Registers the Node when it is missing (the kubelet registers itself at start) and learns its uid. */
    private void registerNode() {
        ResourceClient nodes = client.resource("", "nodes");
        StoredObject existing = nodes.find("", node.name()).orElse(null);
        if (existing == null) {
            String tunnel = context.ipam().registerNode(node.name(), node.calicoBlock() == null ? null
                    : kubefake.nodesim.network.Ipv4Cidr.parse(node.calicoBlock()));
            try {
                existing = nodes.create(NodeObjects.node(node, context.kubernetesVersion(), tunnel, now()));
            } catch (StatusException e) {
                if (e.code() != 409) throw e;
                existing = nodes.get("", node.name());
            }
        }
        nodeUid = Json.text(Json.metadata(existing.tree()), "uid"); // read only
    }

    String nodeUid() {
        return nodeUid;
    }

    /**
     * The Lease in kube-node-lease, renewed with holderIdentity, 40 s and renewTime; created when missing (at the first
     * start, or after someone deleted it), and then not renewed again at once, as the real lease controller's
     * {@code ensureLease}.
     */
    private void renewLease() {
        if (!heartbeating) return;
        ResourceClient leases = client.resource("coordination.k8s.io", "leases");
        String renewTime = MICRO_TIME.format(now());
        if (leases.find("kube-node-lease", node.name()).isEmpty()) {
            try {
                leases.create(lease(renewTime));
                return;
            } catch (StatusException e) {
                if (e.code() != 409) {
                    LOG.warn("kubelet {}: lease creation failed: {}", node.name(), e.getMessage());
                    return;
                }
            }
        }
        try {
            leases.patch("kube-node-lease", node.name(), lease -> {
                ObjectNode spec = lease.with("spec");
                spec.put("holderIdentity", node.name());
                spec.put("leaseDurationSeconds", KubeletContext.LEASE_DURATION_SECONDS);
                spec.put("renewTime", renewTime);
                return lease;
            });
        } catch (StatusException e) {
            if (e.code() != 404) {
                LOG.warn("kubelet {}: lease renewal failed: {}", node.name(), e.getMessage());
                return;
            }
            try {
                leases.create(lease(renewTime));
            } catch (StatusException again) {
                LOG.warn("kubelet {}: lease creation failed: {}", node.name(), again.getMessage());
            }
        }
    }

    private ObjectNode lease(String renewTime) {
        ObjectNode lease = Json.MAPPER.createObjectNode();
        lease.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        ObjectNode meta = lease.putObject("metadata");
        meta.put("name", node.name()).put("namespace", "kube-node-lease");
        if (!nodeUid.isEmpty()) {
            meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
                    .put("name", node.name()).put("uid", nodeUid);
        }
        lease.putObject("spec").put("holderIdentity", node.name())
                .put("leaseDurationSeconds", KubeletContext.LEASE_DURATION_SECONDS).put("renewTime", renewTime);
        return lease;
    }

    /** What the kubelet's node events are about: the Node, by name (its uid is the name, as the kubelet writes it). */
    ObjectReference nodeReference() {
        return new ObjectReference("Node", "", node.name(), node.name(), "", "", "");
    }

    // ---------------------------------------------------------------- helpers for pod workers

    /** Runs {@code task} on this kubelet's lane after {@code delay} of cluster time. */
    Cancellable after(Duration delay, Runnable task) {
        if (delay.isZero() || delay.isNegative()) {
            boolean[] cancelled = new boolean[1];
            lane.execute(() -> {
                if (!cancelled[0]) task.run();
            });
            return () -> {
                boolean was = !cancelled[0];
                cancelled[0] = true;
                return was;
            };
        }
        return context.runtime().schedule(delay, lane, task);
    }

    /** A containerd ID: 64 hex digits. */
    String newContainerId() {
        StringBuilder b = new StringBuilder(64);
        while (b.length() < 64) {
            String h = Long.toHexString(random.nextLong());
            b.append("0".repeat(16 - h.length())).append(h);
        }
        return b.toString();
    }

    /** A pod sandbox ID (what Calico's containerID annotation names): 64 random hex digits, as containerd's. */
    String newSandboxId() {
        return newContainerId();
    }

    @Override
    public String toString() {
        return "Kubelet[" + node.name() + "]";
    }
}
