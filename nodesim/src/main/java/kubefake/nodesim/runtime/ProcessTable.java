package kubefake.nodesim.runtime;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container runtime's processes on every node, by container ID: what the kubelets started (written on their
 * lanes) and what the API server reads for logs and exec (from any thread). Like containerd under the kubelet's
 * garbage collection, it keeps a container's current run and the one before it; a pod's runs go with the pod.
 */
public final class ProcessTable {
    private final Map<String, ContainerProcess> byId = new ConcurrentHashMap<>();

    public Optional<ContainerProcess> get(String containerId) {
        return Optional.ofNullable(containerId == null ? null : byId.get(containerId));
    }

    public void started(String containerId, String podUid, String container, Instant at, Timeline timeline) {
        Instant end = timeline.exits() ? at.plus(timeline.exitAfter()) : null;
        byId.put(containerId, new ContainerProcess(containerId, podUid, container, at, timeline, end, timeline.exitCode()));
    }

    /** The process ends (or is now planned to end) at {@code at} with {@code code}. */
    public void ending(String containerId, Instant at, int code) {
        byId.computeIfPresent(containerId, (id, p) -> p.ending(at, code));
    }

    /** A run the runtime no longer keeps (two runs ago). */
    public void removed(String containerId) {
        if (containerId != null) byId.remove(containerId);
    }
}
