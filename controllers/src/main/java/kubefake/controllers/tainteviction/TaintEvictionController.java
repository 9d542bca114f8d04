package kubefake.controllers.tainteviction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
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
import kubefake.client.scheduling.Toleration;
import kubefake.client.scheduling.Tolerations;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.resources.PodConditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-controller-manager's taint eviction controller ({@code pkg/controller/tainteviction}): a pod on a node with
 * NoExecute taints is deleted at once when it does not tolerate one of them, or when the shortest
 * {@code tolerationSeconds} of the tolerations it uses runs out (counted from when the controller saw the taint);
 * tolerations without seconds keep it forever. Before deleting, the pod gets {@code DisruptionTarget=True}
 * ({@code DeletionByTaintManager}); the events are {@code TaintManagerEviction} "Marking for deletion Pod ns/name"
 * and, when the taint goes in time, "Cancelling deletion of Pod ns/name".
 */
public final class TaintEvictionController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaintEvictionController.class);
    public static final String NAME = "taint-eviction-controller";

    /** A scheduled deletion ({@code TimedWorker}); after it ran it stays, so the pod is not scheduled again. */
    private static final class Work {
        final Instant createdAt;
        final Instant fireAt;
        Cancellable timer;
        boolean done;

        Work(Instant createdAt, Instant fireAt) {
            this.createdAt = createdAt;
            this.fireAt = fireAt;
        }
    }

    private final ResourceClient pods;
    private final ClusterRuntime runtime;
    private final Informer podInformer;
    private final Informer nodeInformer;
    private final EventRecorder recorder;
    private final SerialExecutor lane;
    // lane-confined
    private final Map<String, List<Taint>> taintedNodes = new HashMap<>();
    private final Map<String, Work> work = new HashMap<>();
    private volatile boolean closed;

    /** @param client acting as {@code system:serviceaccount:kube-system:taint-eviction-controller} */
    public TaintEvictionController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.pods = client.resource("", "pods");
        this.runtime = runtime;
        this.podInformer = informers.informer("", "pods");
        this.nodeInformer = informers.informer("", "nodes");
        this.recorder = new EventRecorder(client, runtime, NAME, "");
        this.lane = new SerialExecutor(runtime);
        nodeInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject node) {
                nodeChanged(null, node.toNode());
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject node) {
                nodeChanged(old.toNode(), node.toNode());
            }

            @Override
            public void onDelete(StoredObject last) {
                String name = Json.text(last.toNode().path("metadata"), "name");
                lane.execute(() -> taintedNodes.remove(name));
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
            public void onDelete(StoredObject last) {
                String key = ObjectKey.of(last.toNode());
                lane.execute(() -> cancelWork(key, true));
            }
        });
    }

    /** Nothing to start: the handlers act once the informers deliver. */
    public void start() {
    }

    private static List<Taint> noExecuteTaints(JsonNode node) {
        List<Taint> out = new ArrayList<>();
        for (Taint t : Taint.ofNode(node)) if (t.effect().equals(Taint.NO_EXECUTE)) out.add(t);
        return out;
    }

    private void nodeChanged(ObjectNode old, ObjectNode node) {
        List<Taint> taints = noExecuteTaints(node);
        if (old != null && noExecuteTaints(old).equals(taints)) return;
        String name = Json.text(node.path("metadata"), "name");
        lane.execute(() -> handleNodeUpdate(name, taints));
    }

    /** {@code handleNodeUpdate}: every pod on the node is looked at against the node's NoExecute taints. */
    private void handleNodeUpdate(String node, List<Taint> taints) {
        if (closed) return;
        if (taints.isEmpty()) taintedNodes.remove(node);
        else taintedNodes.put(node, taints);
        Instant now = runtime.clock().instant();
        for (StoredObject o : podInformer.byIndex(Informer.NODE_NAME_INDEX, node)) {
            ObjectNode pod = o.tree(); // read only
            String key = ObjectKey.of(pod);
            if (taints.isEmpty()) cancelWork(key, true);
            else processPodOnNode(key, Toleration.ofPod(pod), taints, now);
        }
    }

    private void podChanged(ObjectNode old, ObjectNode pod) {
        String node = Json.text(pod.path("spec"), "nodeName");
        if (old != null && Json.text(old.path("spec"), "nodeName").equals(node)
                && old.path("spec").path("tolerations").equals(pod.path("spec").path("tolerations"))) {
            return;
        }
        if (node.isEmpty()) return;
        String key = ObjectKey.of(pod);
        List<Toleration> tolerations = Toleration.ofPod(pod);
        lane.execute(() -> {
            List<Taint> taints = taintedNodes.get(node);
            if (taints != null) processPodOnNode(key, tolerations, taints, runtime.clock().instant());
        });
    }

    /** {@code processPodOnNode}. */
    private void processPodOnNode(String key, List<Toleration> tolerations, List<Taint> taints, Instant now) {
        if (closed) return;
        Tolerations.Matching matching = Tolerations.matching(taints, tolerations);
        if (!matching.allTolerated()) {
            cancelWork(key, true);
            addWork(key, now, now);
            return;
        }
        Long seconds = matching.minTolerationSeconds();
        if (seconds == null) {
            cancelWork(key, true);
            return;
        }
        Instant start = now;
        Instant trigger = now.plusSeconds(seconds);
        Work scheduled = work.get(key);
        if (scheduled != null && !scheduled.done) {
            start = scheduled.createdAt;
            if (start.plusSeconds(seconds).isBefore(trigger)) return;
            cancelWork(key, true);
        }
        addWork(key, start, start.plusSeconds(seconds));
    }

    private void addWork(String key, Instant createdAt, Instant fireAt) {
        if (work.containsKey(key)) return; // already scheduled, or already done
        Work w = new Work(createdAt, fireAt);
        work.put(key, w);
        Duration delay = Duration.between(runtime.clock().instant(), fireAt);
        Runnable fire = () -> lane.execute(() -> evict(key, w));
        if (delay.isNegative() || delay.isZero()) fire.run();
        else w.timer = runtime.schedule(delay, fire);
    }

    /** Stops a scheduled deletion; the "Cancelling deletion" event when one was pending. */
    private void cancelWork(String key, boolean emitEvent) {
        Work w = work.remove(key);
        if (w == null || w.done) return;
        if (w.timer != null) w.timer.cancel();
        if (emitEvent) recorder.event(podReference(key), EventRecorder.NORMAL, "TaintManagerEviction", "Cancelling deletion of Pod " + key);
    }

    /** {@code deletePodHandler}: the event, the DisruptionTarget condition, then the delete. */
    private void evict(String key, Work w) {
        if (closed || work.get(key) != w || w.done) return;
        w.done = true;
        recorder.event(podReference(key), EventRecorder.NORMAL, "TaintManagerEviction", "Marking for deletion Pod " + key);
        String namespace = ObjectKey.namespace(key);
        String name = ObjectKey.name(key);
        Instant now = runtime.clock().instant();
        try {
            pods.patchStatus(namespace, name, pod -> PodConditions.update(pod, "DisruptionTarget", "True", "DeletionByTaintManager",
                    "Taint manager: deleting due to NoExecute taint", now) ? pod : null);
            pods.delete(namespace, name);
        } catch (StatusException e) {
            if (e.code() != 404) LOG.warn("could not evict pod {}: {}", key, e.getMessage());
        }
    }

    /** The reference the real controller builds for its events: no uid. */
    private static ObjectReference podReference(String key) {
        return new ObjectReference("Pod", ObjectKey.namespace(key), ObjectKey.name(key), "", "v1", "", "");
    }

    @Override
    public void close() {
        closed = true;
        lane.execute(() -> {
            work.values().forEach(w -> {
                if (w.timer != null) w.timer.cancel();
            });
            work.clear();
        });
    }
}
