package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.NodeSpec;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The cluster's kubelets by node name, and the dispatch of pod changes to the kubelet of the pod's node. */
public final class Kubelets {
    /** How finely the kubelets' heartbeats are spread over their 10 s period. */
    static final Duration HEARTBEAT_TICK = Duration.ofMillis(100);
    private final Map<String, Kubelet> byNode = new LinkedHashMap<>();
    private final List<String> names;

    public Kubelets(KubeletContext context, ClusterShape shape, Instant boot) {
        // the Lease renewal interval and the node status's frequency are the same
        assert KubeletContext.LEASE_RENEW_INTERVAL.equals(KubeletContext.NODE_STATUS_UPDATE_FREQUENCY);
        HeartbeatWheel heartbeats = new HeartbeatWheel(context.runtime(), KubeletContext.LEASE_RENEW_INTERVAL, HEARTBEAT_TICK);
        for (NodeSpec n : shape.nodes()) {
            StaticPods staticPods = n.controlPlane()
                    ? StaticPods.kubeadmControlPlane(n.name(), n.internalIp(), context.kubernetesVersion(), shape.podCidr(),
                    shape.serviceCidr(), boot)
                    : StaticPods.none();
            byNode.put(n.name(), new Kubelet(n, context, staticPods, heartbeats));
        }
        this.names = List.copyOf(byNode.keySet());
    }

    public List<String> names() {
        return names;
    }

    public void start(String node) {
        byNode.get(node).start();
    }

    public void stop(String node) {
        byNode.get(node).stop();
    }

    /** A pod was added or changed: its kubelet (if it is on one of these nodes) looks at it, on its lane. */
    public void podChanged(StoredObject stored) {
        ObjectNode pod = stored.tree(); // read only
        Kubelet k = byNode.get(Json.text(pod.path("spec"), "nodeName"));
        if (k == null) return;
        k.podUpdated(Json.text(Json.metadata(pod), "uid"), stored);
    }

    /** A container's process reading stdin exited: its node's kubelet ends the container. */
    public void mainProcessExited(String node, String podUid, String container, String containerId, int code) {
        Kubelet k = byNode.get(node);
        if (k != null) k.mainProcessExited(podUid, container, containerId, code);
    }

    /** {@code kill 1} inside a container: its node's kubelet sees the process take the signal. */
    public void signalMainProcess(String node, String podUid, String container, String containerId) {
        Kubelet k = byNode.get(node);
        if (k != null) k.signalMainProcess(podUid, container, containerId);
    }

    public void podDeleted(ObjectNode pod) {
        Kubelet k = byNode.get(Json.text(pod.path("spec"), "nodeName"));
        if (k != null) k.lane.execute(() -> k.podDeleted(pod));
    }
}
