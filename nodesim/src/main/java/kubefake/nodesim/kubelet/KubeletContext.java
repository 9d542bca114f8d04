package kubefake.nodesim.kubelet;

import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.Informer;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.nodesim.lifecycle.LifecycleProfile;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.runtime.ImageCatalogue;
import kubefake.nodesim.runtime.ProcessTable;
import kubefake.store.registry.Registry;

import java.time.Duration;
import java.util.List;

/**
 * What every kubelet of a cluster shares: the registry and runtime, the pod informer, the lifecycle profile, the image
 * catalogue, Calico's address management, and the kubelet settings of a kubeadm 1.33 node.
 *
 * @param preloadedImages images every node has from the start (the pause image and kube-system's)
 * @param seed            where each kubelet's random numbers (delays' jitter, container IDs) start from
 * @param processes       the container runtime's processes on every node (for logs and exec)
 * @param containers      what a process started in a container's run sees of it (main processes, exec probes)
 */
public record KubeletContext(Registry registry, ClusterRuntime runtime, Informer pods, LifecycleProfile profile,
                             ImageCatalogue catalogue, CalicoIpam ipam, String kubernetesVersion,
                             List<String> preloadedImages, long seed, ProcessTable processes,
                             ContainerSetup containers) {
    /** How often the kubelet renews its Lease (a quarter of its 40 s duration). */
    public static final Duration LEASE_RENEW_INTERVAL = Duration.ofSeconds(10);
    public static final int LEASE_DURATION_SECONDS = 40;
    /** How often the kubelet computes its node's status (nodeStatusUpdateFrequency). */
    public static final Duration NODE_STATUS_UPDATE_FREQUENCY = Duration.ofSeconds(10);
    /** How often it writes the status when nothing changed (nodeStatusReportFrequency). */
    public static final Duration NODE_STATUS_REPORT_FREQUENCY = Duration.ofMinutes(5);
    /** The pod sandbox image of containerd 1.7 with kubeadm 1.33. */
    public static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

    /** Calico's CNI plugin, which writes the pod's cni.projectcalico.org annotations. */
    Client calico() {
        return new Client(registry, UserInfo.controllerServiceAccount("calico-cni-plugin"), "calico");
    }
}
