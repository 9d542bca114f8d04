package kubefake.nodesim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** The Node object a kubeadm-joined kubelet registers for a {@link NodeSpec}, Ready, with Calico's annotations. */
public final class NodeObjects {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NodeObjects() {
    }

    public static ObjectNode node(NodeSpec spec, String kubeletVersion, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", "Node").put("apiVersion", "v1");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", spec.name());
        ObjectNode labels = meta.putObject("labels");
        labels.put("beta.kubernetes.io/arch", "amd64").put("beta.kubernetes.io/os", "linux")
                .put("kubernetes.io/arch", "amd64").put("kubernetes.io/hostname", spec.name())
                .put("kubernetes.io/os", "linux");
        if (spec.controlPlane()) {
            labels.put("node-role.kubernetes.io/control-plane", "")
                    .put("node.kubernetes.io/exclude-from-external-load-balancers", "");
        }
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/containerd/containerd.sock")
                .put("node.alpha.kubernetes.io/ttl", "0")
                .put("projectcalico.org/IPv4Address", spec.internalIp() + "/24")
                .put("projectcalico.org/IPv4IPIPTunnelAddr", tunnelAddress(spec.podCidr()))
                .put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        ObjectNode s = node.putObject("spec");
        s.put("podCIDR", spec.podCidr());
        s.putArray("podCIDRs").add(spec.podCidr());
        if (spec.controlPlane()) {
            s.putArray("taints").addObject().put("effect", "NoSchedule").put("key", "node-role.kubernetes.io/control-plane");
        }
        ObjectNode status = node.putObject("status");
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("address", spec.internalIp()).put("type", "InternalIP");
        addresses.addObject().put("address", spec.name()).put("type", "Hostname");
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", Integer.toString(spec.cpus())).put("ephemeral-storage", "64194248Ki")
                .put("hugepages-1Gi", "0").put("hugepages-2Mi", "0").put("memory", spec.memoryKi() + "Ki").put("pods", "110");
        ObjectNode allocatable = status.putObject("allocatable");
        allocatable.put("cpu", Integer.toString(spec.cpus())).put("ephemeral-storage", "59161170592")
                .put("hugepages-1Gi", "0").put("hugepages-2Mi", "0")
                .put("memory", (spec.memoryKi() - 102400) + "Ki").put("pods", "110");
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("lastHeartbeatTime", time).put("lastTransitionTime", time)
                .put("message", "Calico is running on this node").put("reason", "CalicoIsUp")
                .put("status", "False").put("type", "NetworkUnavailable");
        condition(conditions, time, "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available");
        condition(conditions, time, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure");
        condition(conditions, time, "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available");
        condition(conditions, time, "Ready", "True", "KubeletReady", "kubelet is posting ready status");
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        status.putArray("images");
        ObjectNode info = status.putObject("nodeInfo");
        UUID id = UUID.nameUUIDFromBytes(spec.name().getBytes(StandardCharsets.UTF_8));
        info.put("architecture", "amd64").put("bootID", UUID.randomUUID().toString())
                .put("containerRuntimeVersion", LabTopology.CONTAINER_RUNTIME_VERSION)
                .put("kernelVersion", LabTopology.KERNEL_VERSION).put("kubeProxyVersion", "")
                .put("kubeletVersion", kubeletVersion).put("machineID", id.toString().replace("-", ""))
                .put("operatingSystem", "linux").put("osImage", LabTopology.OS_IMAGE).put("systemUUID", id.toString());
        return node;
    }

    private static void condition(ArrayNode conditions, String time, String type, String status, String reason, String message) {
        conditions.addObject().put("lastHeartbeatTime", time).put("lastTransitionTime", time).put("message", message)
                .put("reason", reason).put("status", status).put("type", type);
    }

    /** An address inside the node's pod block, like the IPIP tunnel address Calico gives each node. */
    private static String tunnelAddress(String podCidr) {
        String base = podCidr.substring(0, podCidr.indexOf('/'));
        String prefix = base.substring(0, base.lastIndexOf('.'));
        return prefix + ".64";
    }
}
