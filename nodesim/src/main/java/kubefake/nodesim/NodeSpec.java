package kubefake.nodesim;

/**
 * One simulated machine of the cluster: its name, InternalIP, pod CIDR, size and whether it is the control plane.
 *
 * @param memoryKi memory capacity in KiB, as the kubelet reports it
 */
public record NodeSpec(String name, String internalIp, String podCidr, int cpus, long memoryKi, boolean controlPlane) {
}
