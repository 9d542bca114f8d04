package kubefake.nodesim;

import java.util.List;
import java.util.Map;

/**
 * One simulated machine of the cluster.
 *
 * @param internalIp   its InternalIP
 * @param podCidr      the node's spec.podCIDR (kube-controller-manager's --allocate-node-cidrs share of the pod network)
 * @param calicoBlock  the /26 block Calico gives the node first (null: chosen from its name)
 * @param capacity     what it reports as capacity (allocatable is capacity minus kubelet's eviction reserve)
 * @param controlPlane whether kubeadm made it the control plane (its labels, taint and static pods)
 * @param labels       labels beyond the ones every node has (kubernetes.io/hostname, os, arch; the control plane's)
 * @param taints       its taints (the control plane has node-role.kubernetes.io/control-plane:NoSchedule by default)
 */
public record NodeSpec(String name, String internalIp, String podCidr, String calicoBlock, Capacity capacity,
                       boolean controlPlane, Map<String, String> labels, List<Taint> taints) {
    public NodeSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /** A node's resources as the kubelet reports them (Kubernetes quantities). */
    public record Capacity(String cpu, String memory, String ephemeralStorage, int pods) {
    }

    /** A node taint. */
    public record Taint(String key, String value, String effect) {
        /** The taint kubeadm puts on the control plane. */
        public static final Taint CONTROL_PLANE = new Taint("node-role.kubernetes.io/control-plane", null, "NoSchedule");
    }
}
