package kubefake.nodesim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The course's lab: a kubeadm cluster of Rocky Linux 9.5 VMs built with Vagrant — control plane m-k8s
 * (192.168.1.10, 2 CPUs, 2 GiB) and workers w1-k8s..w3-k8s (192.168.1.101-103, 1 CPU, 1 GiB), containerd,
 * Calico with the pod network 172.16.0.0/16.
 */
public final class LabTopology {
    public static final String OS_IMAGE = "Rocky Linux 9.5 (Blue Onyx)";
    public static final String KERNEL_VERSION = "5.14.0-503.14.1.el9_5.x86_64";
    public static final String CONTAINER_RUNTIME_VERSION = "containerd://1.7.27";
    public static final String POD_CIDR = "172.16.0.0/16";
    public static final String SERVICE_CIDR = "10.96.0.0/12";
    /** The most workers `up --workers` makes: their addresses are 192.168.1.101 up to 192.168.1.254, as the lab's. */
    public static final int MAX_WORKERS = 154;

    static final NodeSpec.Capacity CONTROL_PLANE_CAPACITY = new NodeSpec.Capacity("2", "1862124Ki", "64194248Ki", 110);
    static final NodeSpec.Capacity WORKER_CAPACITY = new NodeSpec.Capacity("1", "838124Ki", "64194248Ki", 110);
    /** The Calico blocks the lab's nodes hold (w2-k8s's pods get 172.16.103.129, .130..., as in the course's notes). */
    private static final List<String> BLOCKS = List.of("172.16.171.64/26", "172.16.221.128/26", "172.16.103.128/26",
            "172.16.132.0/26");

    private LabTopology() {
    }

    /** The lab: m-k8s and w1-k8s..w3-k8s. */
    public static List<NodeSpec> nodes() {
        return withWorkers(3);
    }

    /**
     * The lab's control plane and {@code workers} workers w1-k8s..wN-k8s at 192.168.1.101.. — at most
     * {@link #MAX_WORKERS}, as the lab's 192.168.1.0/24 network leaves room for no more.
     */
    public static List<NodeSpec> withWorkers(int workers) {
        if (workers < 0 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be between 0 and " + MAX_WORKERS
                    + " (the lab's workers take 192.168.1.101-254); use --config for larger clusters");
        }
        List<NodeSpec> nodes = new ArrayList<>();
        nodes.add(new NodeSpec("m-k8s", "192.168.1.10", "172.16.0.0/24", BLOCKS.get(0), CONTROL_PLANE_CAPACITY, true,
                Map.of(), List.of(NodeSpec.Taint.CONTROL_PLANE)));
        for (int i = 1; i <= workers; i++) {
            nodes.add(new NodeSpec("w" + i + "-k8s", "192.168.1." + (100 + i), "172.16." + i + ".0/24",
                    i < BLOCKS.size() ? BLOCKS.get(i) : null, WORKER_CAPACITY, false, Map.of(), List.of()));
        }
        return nodes;
    }
}
