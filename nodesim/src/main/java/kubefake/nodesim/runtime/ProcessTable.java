package kubefake.nodesim.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The container runtime's processes on every node, by container ID: what the kubelets started (written on their
 * lanes) and what the API server reads for logs and exec (from any thread). Like containerd under the kubelet's
 * garbage collection, it keeps a container's current run and the one before it; a pod's runs go with the pod. Each
 * run's file system is made when first used (an exec) and goes with the run.
 */
public final class ProcessTable {
    private final Map<String, ContainerProcess> byId = new ConcurrentHashMap<>();
    private final Map<String, ContainerFiles> files = new ConcurrentHashMap<>();

    public Optional<ContainerProcess> get(String containerId) {
        return Optional.ofNullable(containerId == null ? null : byId.get(containerId));
    }

    public void started(String containerId, String podUid, String container, Instant at, Timeline timeline) {
        Instant end = timeline.exits() ? at.plus(timeline.exitAfter()) : null;
        LiveProcess live = timeline.live() == null ? null : new LiveProcess(timeline.live());
        byId.put(containerId, new ContainerProcess(containerId, podUid, container, at, timeline, end, timeline.exitCode(), live));
    }

    /** The process ends (or is now planned to end) at {@code at} with {@code code}. */
    public void ending(String containerId, Instant at, int code) {
        byId.computeIfPresent(containerId, (id, p) -> p.ending(at, code));
    }

    /** A run the runtime no longer keeps (two runs ago). */
    public void removed(String containerId) {
        if (containerId == null) return;
        byId.remove(containerId);
        files.remove(containerId);
    }

    /** The run's file system if an exec has used it, else null: the image's files, unchanged. */
    public ContainerFiles filesIfWritten(String containerId) {
        return containerId == null ? null : files.get(containerId);
    }

    /** The run's file system, the image's ({@code seed}) until something writes to it. */
    public ContainerFiles files(String containerId, Supplier<ContainerFiles> seed) {
        if (!byId.containsKey(containerId)) return seed.get(); // a run already gone: nothing keeps what is written
        return files.computeIfAbsent(containerId, id -> seed.get());
    }
}
