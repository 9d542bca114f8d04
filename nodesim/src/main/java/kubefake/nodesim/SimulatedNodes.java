package kubefake.nodesim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.nodesim.kubelet.ContainerEnvironment;
import kubefake.nodesim.kubelet.ContainerSetup;
import kubefake.nodesim.kubelet.ContainerVolumes;
import kubefake.nodesim.kubelet.KubeletContext;
import kubefake.nodesim.kubelet.Kubelets;
import kubefake.nodesim.kubelet.PodNetworkFiles;
import kubefake.nodesim.kubelet.TokenRequests;
import kubefake.nodesim.lifecycle.LifecycleProfile;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.network.Ipv4Cidr;
import kubefake.nodesim.runtime.ContainerFiles;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.Image;
import kubefake.nodesim.runtime.ImageCatalogue;
import kubefake.nodesim.runtime.ProcessTable;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated machines of a cluster: one kubelet per node (all driven by the cluster's one runtime and one shared
 * pod informer, no thread of their own), Calico's address management, the container runtime's image catalogue and
 * the lifecycle profile. Faults are switches on a node: {@link #stopKubelet} is {@code systemctl stop kubelet}.
 */
public final class SimulatedNodes implements AutoCloseable {

    /**
     * What the nodes run with.
     *
     * @param preloadedImages images every node has from the start (kube-system's; the pause image is always there)
     * @param seed            where the random parts (delays' jitter, IDs) start from: the same seed, the same run
     */
    public record Config(ClusterShape shape, LifecycleProfile profile, ImageCatalogue catalogue, String kubernetesVersion,
                         List<String> preloadedImages, long seed) {
        /** The shape's profile and catalogue (a file that cannot be read is an IOException). */
        public static Config of(ClusterShape shape, String kubernetesVersion, List<String> preloadedImages) throws java.io.IOException {
            return new Config(shape, LifecycleProfile.named(shape.profile()),
                    shape.images() == null ? ImageCatalogue.builtIn() : ImageCatalogue.withOverrides(shape.images()),
                    kubernetesVersion, preloadedImages, System.nanoTime());
        }
    }

    private final Kubelets kubelets;
    private final Informer pods;
    private final Cancellable handler;
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final ClusterRuntime runtime;
    private final Set<String> brNetfilterUnloaded = ConcurrentHashMap.newKeySet();
    private final Set<String> podTrafficDropped = ConcurrentHashMap.newKeySet();
    private final ProcessTable processes = new ProcessTable();
    private final kubefake.nodesim.runtime.ImageCatalogue catalogue;
    private final ContainerEnvironment environment;
    private final ContainerVolumes volumes;
    /** The pod network as processes in containers reach it (the API server's view of Services and pods). */
    private volatile PodNetworks networks = (node, pod, files) -> ExecProcess.Network.NONE;

    /** The pod network a container of {@code pod} on {@code node} reaches (its resolver reads {@code files}). */
    @FunctionalInterface
    public interface PodNetworks {
        ExecProcess.Network of(String node, JsonNode pod, ContainerFiles files);
    }

    /** Nodes whose pods get no service account token files (a cluster that issues none). */
    public SimulatedNodes(Registry registry, SharedInformers informers, ClusterRuntime runtime, CalicoIpam ipam, Config config) {
        this(registry, informers, runtime, ipam, config, TokenRequests.NONE);
    }

    /**
     * @param ipam   the cluster's Calico pool, the one the nodes were registered with ({@link #register})
     * @param tokens the API's TokenRequest, for the token in each pod's projected volume
     */
    public SimulatedNodes(Registry registry, SharedInformers informers, ClusterRuntime runtime, CalicoIpam ipam, Config config,
                          TokenRequests tokens) {
        this.environment = new ContainerEnvironment(registry);
        this.volumes = new ContainerVolumes(registry, tokens);
        this.pods = informers.informer("", "pods");
        this.catalogue = config.catalogue();
        List<String> preloaded = new ArrayList<>(config.preloadedImages());
        preloaded.add(0, KubeletContext.PAUSE_IMAGE);
        KubeletContext context = new KubeletContext(registry, runtime, pods, config.profile(), config.catalogue(), ipam,
                config.kubernetesVersion(), List.copyOf(preloaded), config.seed(), processes, new ContainerSetup() {
                    @Override
                    public Map<String, String> environment(JsonNode pod, JsonNode spec, Instant startedAt) {
                        return SimulatedNodes.this.environment(pod, spec, startedAt);
                    }

                    @Override
                    public ExecProcess.Container container(String node, JsonNode pod, JsonNode spec, Image image,
                                                           String containerId, Instant startedAt) {
                        return SimulatedNodes.this.container(node, pod, spec, image, containerId, startedAt);
                    }
                });
        this.runtime = runtime;
        this.kubelets = new Kubelets(context, config.shape(), runtime.clock().instant());
        this.handler = pods.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                kubelets.podChanged(pod);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                kubelets.podChanged(pod);
            }

            @Override
            public void onDelete(StoredObject pod) {
                kubelets.podDeleted(pod.tree()); // read only
            }
        });
    }

    /**
     * Gives each node its Calico block and returns the Node objects their kubelets register (with the IPIP tunnel
     * address of that block), for the cluster's bootstrap.
     */
    public static List<ObjectNode> register(ClusterShape shape, CalicoIpam ipam, String kubeletVersion, Instant now) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (NodeSpec n : shape.nodes()) {
            String tunnel = ipam.registerNode(n.name(), n.calicoBlock() == null ? null : Ipv4Cidr.parse(n.calicoBlock()));
            nodes.add(NodeObjects.node(n, kubeletVersion, tunnel, now));
        }
        return nodes;
    }

    /** Starts every kubelet not switched off. */
    public void start() {
        // handed out at once by one urgent pool task: from the caller's thread, which the busy pool preempts, thousands
        // of kubelets' starts trickled in over seconds, and the pool wrote their events in between
        runtime.urgentExecutor().execute(() -> {
            for (String name : kubelets.names()) if (!stopped.contains(name)) kubelets.start(name);
        });
    }

    /** The containers' processes on every node, by container ID: what logs and exec read. */
    public ProcessTable processes() {
        return processes;
    }

    /** What the container runtime knows of an image (as a pod spec names it). */
    public kubefake.nodesim.runtime.Image image(String reference) {
        return catalogue.resolve(reference);
    }

    /**
     * A container run's file system as it starts: the image's files, the hosts and resolv.conf files the kubelet
     * and the runtime write, and the volumes the container mounts.
     *
     * @param container the container's spec in {@code pod}
     */
    public ContainerFiles newContainerFiles(JsonNode pod, JsonNode container, kubefake.nodesim.runtime.Image image, Instant startedAt) {
        ContainerFiles files = new ContainerFiles(image, pod.path("metadata").path("name").asText(), startedAt);
        PodNetworkFiles.write(files, pod, startedAt);
        volumes.mount(files, pod, container, startedAt);
        return files;
    }

    /** The pod network processes in containers reach, once the server that routes it is up. */
    public void podNetworks(PodNetworks networks) {
        this.networks = networks;
    }

    /**
     * The run {@code containerId} of the container {@code spec} of {@code pod} on {@code node} as a process started in
     * it sees it: its command line (after the kubelet's {@code $(VAR)} expansion), environment, files (the run's, made
     * when first used), pod network, and its PID 1 to signal.
     */
    public ExecProcess.Container container(String node, JsonNode pod, JsonNode spec, Image image, String containerId,
                                           Instant startedAt) {
        ContainerFiles files = processes.files(containerId, () -> newContainerFiles(pod, spec, image, startedAt));
        Map<String, String> env = environment(pod, spec, startedAt);
        String podUid = pod.path("metadata").path("uid").asText();
        String name = spec.path("name").asText();
        return new ExecProcess.Container(pod.path("metadata").path("name").asText(), image,
                ContainerEnvironment.command(spec, env), env, startedAt,
                () -> signalMainProcess(node, podUid, name, containerId), files, networks.of(node, pod, files));
    }

    /** The environment the kubelet gives a container run started at {@code startedAt} (its spec in {@code pod}). */
    public Map<String, String> environment(JsonNode pod, JsonNode container, Instant startedAt) {
        return environment.of(pod, container, startedAt);
    }

    /** The main process of a container's run, reading its stdin, exited with {@code code} (the shell's {@code exit}). */
    public void mainProcessExited(String node, String podUid, String container, String containerId, int code) {
        kubelets.mainProcessExited(node, podUid, container, containerId, code);
    }

    /** SIGTERM to PID 1 of a container's run, sent from inside it ({@code kill 1} in an exec shell). */
    public void signalMainProcess(String node, String podUid, String container, String containerId) {
        kubelets.signalMainProcess(node, podUid, container, containerId);
    }

    public List<String> names() {
        return kubelets.names();
    }

    /** {@code systemctl stop kubelet} on the node: no heartbeats, no pod work until {@link #startKubelet}. */
    public void stopKubelet(String node) {
        requireNode(node);
        stopped.add(node);
        kubelets.stop(node);
    }

    /** {@code systemctl start kubelet} on the node: it reports again and catches up with its pods. */
    public void startKubelet(String node) {
        requireNode(node);
        stopped.remove(node);
        kubelets.start(node);
    }

    public boolean kubeletRunning(String node) {
        requireNode(node);
        return !stopped.contains(node);
    }

    /** {@code modprobe -r br_netfilter} (false) or {@code modprobe br_netfilter} (true) on the node. */
    public void brNetfilter(String node, boolean loaded) {
        requireNode(node);
        if (loaded) brNetfilterUnloaded.remove(node);
        else brNetfilterUnloaded.add(node);
    }

    /**
     * The node's networking restarted ({@code systemctl restart NetworkManager}, or a reboot, which loads br_netfilter
     * again from modules-load.d): without br_netfilter, bridged pod traffic no longer passes kube-proxy's iptables
     * rules, and traffic to the node's pods is dropped (it times out) until the next restart with the module loaded.
     */
    public void restartNetwork(String node, boolean reboot) {
        requireNode(node);
        if (reboot) brNetfilterUnloaded.remove(node);
        if (brNetfilterUnloaded.contains(node)) podTrafficDropped.add(node);
        else podTrafficDropped.remove(node);
    }

    /** Whether traffic to the node's pods is dropped (kube-proxy's rules bypassed). */
    public boolean podTrafficDropped(String node) {
        return podTrafficDropped.contains(node);
    }

    private void requireNode(String node) {
        if (!kubelets.names().contains(node)) throw new NoSuchNodeException(node);
    }

    /** A node this cluster does not have. */
    public static final class NoSuchNodeException extends IllegalArgumentException {
        public NoSuchNodeException(String node) {
            super("node \"" + node + "\" not found");
        }
    }

    @Override
    public void close() {
        handler.cancel();
        for (String name : kubelets.names()) kubelets.stop(name);
    }
}
