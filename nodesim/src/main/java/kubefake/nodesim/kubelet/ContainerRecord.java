package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.runtime.Cancellable;
import kubefake.nodesim.lifecycle.Step;
import kubefake.nodesim.runtime.Image;
import kubefake.nodesim.runtime.Timeline;
import kubefake.store.registry.Json;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;

/**
 * What a kubelet knows of one container of a pod: where it is in its lifecycle, its current and previous instances
 * (each a process of the image, with its containerd ID), its restarts and back-offs, and what its probes found.
 */
final class ContainerRecord {
    /** One run of the container that has ended. */
    record Terminated(int exitCode, String reason, Instant startedAt, Instant finishedAt, String containerId) {
    }

    final String name;
    final boolean init;
    /** An ephemeral container (kubectl debug): started in the running pod, never restarted. */
    boolean ephemeral;
    /** The container's spec as JSON: a kept tree is ~1.5 KB per container for a few reads per lifecycle step. */
    private byte[] spec;
    /** Its tree while readers use it (parsed again after a GC: a few µs). */
    private WeakReference<ObjectNode> specTree = new WeakReference<>(null);
    Image image;
    Step step = Step.Waiting;

    // timers, cancelled when the step changes or the kubelet stops
    Cancellable stageTimer;
    Cancellable repeatTimer;
    Cancellable exitTimer;
    /** one per probe kind: startup, readiness, liveness */
    final Cancellable[] probeTimers = new Cancellable[3];

    // the instance being created or running
    String containerId;
    Instant startedAt;
    Timeline process;
    Instant exitsAt;
    int exitCode;
    /** The instance that ended last (state terminated, or lastState while the next one is prepared). */
    Terminated current;
    /** The one before it (lastState while {@link #current} is the state). */
    Terminated previous;
    int restartCount;
    /** Whether an instance has run before: the next start is a restart. */
    boolean hasRun;

    // waiting with a reason other than ContainerCreating
    String waitingReason;
    String waitingMessage;

    // pulls: "Pulling image" recorded at pullStarted, the pull begun at pullBegan (its turn at the node's puller)
    Instant pullStarted;
    Instant pullBegan;
    Duration pullDuration = Duration.ZERO;
    Duration pullDurationWithWaiting = Duration.ZERO;
    BackOff pullBackOff;
    BackOff crashBackOff;

    // probes
    boolean started;
    boolean ready;
    int probeSuccesses;
    int readinessFailures;
    int livenessFailures;
    int startupFailures;

    ContainerRecord(String name, boolean init, JsonNode spec, Image image) {
        this.name = name;
        this.init = init;
        this.image = image;
        spec(spec);
    }

    /** The container's spec, for reading only. */
    ObjectNode spec() {
        ObjectNode tree = specTree.get();
        if (tree == null) {
            tree = Json.parseObject(spec);
            specTree = new WeakReference<>(tree);
        }
        return tree;
    }

    /** The container's spec from now on (a pod's update that changed its image). */
    void spec(JsonNode spec) {
        this.spec = Json.bytes(spec);
        this.specTree = new WeakReference<>(null);
    }

    boolean running() {
        return step == Step.Running;
    }

    /** Where events about this container point: {@code spec.containers{name}}, initContainers or ephemeralContainers. */
    String fieldPath() {
        return (init ? "spec.initContainers{" : ephemeral ? "spec.ephemeralContainers{" : "spec.containers{") + name + "}";
    }

    void cancelStageTimers() {
        if (stageTimer != null) stageTimer.cancel();
        if (repeatTimer != null) repeatTimer.cancel();
        stageTimer = null;
        repeatTimer = null;
    }

    void cancelAllTimers() {
        cancelStageTimers();
        if (exitTimer != null) exitTimer.cancel();
        exitTimer = null;
        cancelProbes();
    }

    void cancelProbes() {
        for (int i = 0; i < probeTimers.length; i++) {
            if (probeTimers[i] != null) probeTimers[i].cancel();
            probeTimers[i] = null;
        }
    }

    /** The reason a terminated state shows: Completed for exit code 0, Error otherwise. */
    static String reasonFor(int exitCode) {
        return exitCode == 0 ? "Completed" : "Error";
    }
}
