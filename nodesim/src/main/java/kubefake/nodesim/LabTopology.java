package kubefake.nodesim;

import java.util.List;

/**
 * The course's lab: a kubeadm cluster of Rocky Linux 9.5 VMs built with Vagrant — control plane m-k8s
 * (192.168.1.10, 2 CPUs, 2 GiB) and workers w1-k8s..w3-k8s (192.168.1.101-103, 1 CPU, 1 GiB), containerd,
 * Calico with the pod network 172.16.0.0/16.
 */
public final class LabTopology {
    public static final String OS_IMAGE = "Rocky Linux 9.5 (Blue Onyx)";
    public static final String KERNEL_VERSION = "5.14.0-503.14.1.el9_5.x86_64";
    public static final String CONTAINER_RUNTIME_VERSION = "containerd://1.7.27";

    private LabTopology() {
    }

    public static List<NodeSpec> nodes() {
        return List.of(
                new NodeSpec("m-k8s", "192.168.1.10", "172.16.0.0/24", 2, 1862124L, true),
                new NodeSpec("w1-k8s", "192.168.1.101", "172.16.1.0/24", 1, 838124L, false),
                new NodeSpec("w2-k8s", "192.168.1.102", "172.16.2.0/24", 1, 838124L, false),
                new NodeSpec("w3-k8s", "192.168.1.103", "172.16.3.0/24", 1, 838124L, false));
    }
}
