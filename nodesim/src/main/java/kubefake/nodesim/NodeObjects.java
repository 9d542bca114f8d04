package kubefake.nodesim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The Node object a kubeadm-joined kubelet registers for a {@link NodeSpec} (Ready, with Calico's annotations), and
 * the parts of its status the kubelet keeps writing.
 */
public final class NodeObjects {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What the kubelet keeps back from allocatable memory: the default hard eviction threshold memory.available<100Mi. */
    private static final long EVICTION_RESERVE_BYTES = 100L << 20;

    private NodeObjects() {
    }

    /**
     * The registered Node.
     *
     * @param tunnelAddress the IPIP tunnel address Calico gave it (the first address of its block)
     */
    public static ObjectNode node(NodeSpec spec, String kubeletVersion, String tunnelAddress, Instant now) {
        String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
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
        spec.labels().forEach(labels::put);
        ObjectNode annotations = meta.putObject("annotations");
        annotations.put("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/containerd/containerd.sock")
                .put("node.alpha.kubernetes.io/ttl", "0")
                .put("projectcalico.org/IPv4Address", spec.internalIp() + "/24")
                .put("projectcalico.org/IPv4IPIPTunnelAddr", tunnelAddress)
                .put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        ObjectNode s = node.putObject("spec");
        s.put("podCIDR", spec.podCidr());
        s.putArray("podCIDRs").add(spec.podCidr());
        if (!spec.taints().isEmpty()) {
            ArrayNode taints = s.putArray("taints");
            for (NodeSpec.Taint t : spec.taints()) {
                ObjectNode taint = taints.addObject().put("effect", t.effect()).put("key", t.key());
                if (t.value() != null && !t.value().isEmpty()) taint.put("value", t.value());
            }
        }
        ObjectNode status = node.putObject("status");
        status.set("addresses", addresses(spec));
        status.set("allocatable", allocatable(spec));
        status.set("capacity", capacity(spec));
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("lastHeartbeatTime", time).put("lastTransitionTime", time)
                .put("message", "Calico is running on this node").put("reason", "CalicoIsUp")
                .put("status", "False").put("type", "NetworkUnavailable");
        for (KubeletCondition c : KubeletCondition.values()) {
            conditions.addObject().put("lastHeartbeatTime", time).put("lastTransitionTime", time)
                    .put("message", c.healthyMessage).put("reason", c.healthyReason).put("status", c.healthyStatus)
                    .put("type", c.type);
        }
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        status.putArray("images");
        status.set("nodeInfo", nodeInfo(spec, kubeletVersion));
        return node;
    }

    /** The node conditions the kubelet owns, with what it writes while all is well. */
    public enum KubeletCondition {
        MEMORY_PRESSURE("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
        DISK_PRESSURE("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
        PID_PRESSURE("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"),
        READY("Ready", "True", "KubeletReady", "kubelet is posting ready status", "NodeReady");

        public final String type;
        public final String healthyStatus;
        public final String healthyReason;
        public final String healthyMessage;
        /** The node event the kubelet records when the condition turns to this state. */
        public final String event;

        KubeletCondition(String type, String status, String reason, String message, String event) {
            this.type = type;
            this.healthyStatus = status;
            this.healthyReason = reason;
            this.healthyMessage = message;
            this.event = event;
        }
    }

    public static ArrayNode addresses(NodeSpec spec) {
        ArrayNode addresses = MAPPER.createArrayNode();
        addresses.addObject().put("address", spec.internalIp()).put("type", "InternalIP");
        addresses.addObject().put("address", spec.name()).put("type", "Hostname");
        return addresses;
    }

    public static ObjectNode capacity(NodeSpec spec) {
        NodeSpec.Capacity c = spec.capacity();
        ObjectNode capacity = MAPPER.createObjectNode();
        capacity.put("cpu", c.cpu()).put("ephemeral-storage", c.ephemeralStorage())
                .put("hugepages-1Gi", "0").put("hugepages-2Mi", "0").put("memory", c.memory()).put("pods", Integer.toString(c.pods()));
        return capacity;
    }

    /** Capacity minus the kubelet's default eviction thresholds (memory 100Mi, nodefs 10%). */
    public static ObjectNode allocatable(NodeSpec spec) {
        NodeSpec.Capacity c = spec.capacity();
        long memory = Math.max(0, Quantities.bytes(c.memory()) - EVICTION_RESERVE_BYTES);
        long storage = Quantities.bytes(c.ephemeralStorage()) * 9 / 10;
        ObjectNode allocatable = MAPPER.createObjectNode();
        allocatable.put("cpu", c.cpu()).put("ephemeral-storage", Long.toString(storage))
                .put("hugepages-1Gi", "0").put("hugepages-2Mi", "0").put("memory", Quantities.kibibytes(memory))
                .put("pods", Integer.toString(c.pods()));
        return allocatable;
    }

    public static ObjectNode nodeInfo(NodeSpec spec, String kubeletVersion) {
        ObjectNode info = MAPPER.createObjectNode();
        UUID id = UUID.nameUUIDFromBytes(spec.name().getBytes(StandardCharsets.UTF_8));
        info.put("architecture", "amd64").put("bootID", UUID.randomUUID().toString())
                .put("containerRuntimeVersion", LabTopology.CONTAINER_RUNTIME_VERSION)
                .put("kernelVersion", LabTopology.KERNEL_VERSION).put("kubeProxyVersion", "")
                .put("kubeletVersion", kubeletVersion).put("machineID", id.toString().replace("-", ""))
                .put("operatingSystem", "linux").put("osImage", LabTopology.OS_IMAGE).put("systemUUID", id.toString());
        return info;
    }
}
