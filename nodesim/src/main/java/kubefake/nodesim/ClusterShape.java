package kubefake.nodesim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import kubefake.nodesim.network.Ipv4Cidr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a simulated cluster: its nodes, the pod network (Calico's pool, and the /24 each node gets as
 * spec.podCIDR), the service network, and the lifecycle profile and image catalogue its kubelets use. The default is
 * the course's lab; {@code kubefake up --workers N} and {@code --config FILE} make others.
 *
 * @param profile a shipped profile's name ({@code lab}, {@code fast}) or a profile file
 * @param images  a catalogue file put in front of the shipped one, or null
 */
public record ClusterShape(List<NodeSpec> nodes, String podCidr, String serviceCidr, String profile, Path images) {
    public static final String SERVICE_CIDR = LabTopology.SERVICE_CIDR;
    private static final java.util.regex.Pattern DNS_SUBDOMAIN =
            java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public ClusterShape {
        nodes = List.copyOf(nodes);
        validate(nodes, podCidr, serviceCidr);
    }

    /** The course's lab: m-k8s and three workers, the lab profile. */
    public static ClusterShape lab() {
        return new ClusterShape(LabTopology.nodes(), LabTopology.POD_CIDR, SERVICE_CIDR, "lab", null);
    }

    /** The lab with another number of workers (0 to {@link LabTopology#MAX_WORKERS}). */
    public static ClusterShape labWithWorkers(int workers) {
        return new ClusterShape(LabTopology.withWorkers(workers), LabTopology.POD_CIDR, SERVICE_CIDR, "lab", null);
    }

    public ClusterShape withProfile(String nameOrFile) {
        return new ClusterShape(nodes, podCidr, serviceCidr, nameOrFile, images);
    }

    public ClusterShape withImages(Path catalogue) {
        return new ClusterShape(nodes, podCidr, serviceCidr, profile, catalogue);
    }

    /** The control-plane nodes (kubeadm's static pods run on each). */
    public List<NodeSpec> controlPlanes() {
        return nodes.stream().filter(NodeSpec::controlPlane).toList();
    }

    private static void validate(List<NodeSpec> nodes, String podCidr, String serviceCidr) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("a cluster needs at least one node");
        if (nodes.stream().noneMatch(NodeSpec::controlPlane)) throw new IllegalArgumentException("a cluster needs a control-plane node (controlPlane: true)");
        Ipv4Cidr pool = Ipv4Cidr.parse(podCidr);
        if (!SERVICE_CIDR.equals(serviceCidr)) {
            throw new IllegalArgumentException("serviceCIDR: only kubeadm's default " + SERVICE_CIDR + " is supported for now");
        }
        if (pool.contains(Ipv4Cidr.parse(serviceCidr).base())) throw new IllegalArgumentException("podCIDR " + podCidr + " overlaps the service network " + serviceCidr);
        Set<String> names = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (NodeSpec n : nodes) {
            if (!DNS_SUBDOMAIN.matcher(n.name()).matches() || n.name().length() > 253) {
                throw new IllegalArgumentException("node name " + n.name() + " is not a DNS subdomain (lower case letters, digits, '-' and '.')");
            }
            if (!names.add(n.name())) throw new IllegalArgumentException("two nodes named " + n.name());
            Ipv4Cidr.parseAddress(n.internalIp());
            if (!ips.add(n.internalIp())) throw new IllegalArgumentException("two nodes with the address " + n.internalIp());
            if (pool.contains(Ipv4Cidr.parseAddress(n.internalIp()))) {
                throw new IllegalArgumentException("node " + n.name() + "'s address " + n.internalIp() + " is inside the pod network " + podCidr);
            }
            if (n.calicoBlock() != null) {
                Ipv4Cidr block = Ipv4Cidr.parse(n.calicoBlock());
                if (block.prefix() != kubefake.nodesim.network.CalicoIpam.BLOCK_PREFIX || !pool.contains(block)) {
                    throw new IllegalArgumentException("node " + n.name() + "'s calicoBlock " + block + " is not a /26 of the pod network " + podCidr);
                }
            }
            Quantities.bytes(n.capacity().memory());
            Quantities.bytes(n.capacity().ephemeralStorage());
        }
    }

    // ---------------------------------------------------------------- the --config file


    /** A node of the file. */
    record NodeEntry(String name, String ip, boolean controlPlane, CapacityEntry capacity, Map<String, String> labels,
                     List<TaintEntry> taints, String calicoBlock) {
        @JsonCreator
        static NodeEntry fromYaml(@JsonProperty(value = "name", required = true) String name,
                                  @JsonProperty(value = "ip", required = true) String ip,
                                  @JsonProperty("controlPlane") Boolean controlPlane,
                                  @JsonProperty("capacity") CapacityEntry capacity,
                                  @JsonProperty("labels") Map<String, String> labels,
                                  @JsonProperty("taints") List<TaintEntry> taints,
                                  @JsonProperty("calicoBlock") String calicoBlock) {
            return new NodeEntry(name, ip, controlPlane != null && controlPlane, capacity, labels, taints, calicoBlock);
        }
    }

    /** Many workers at once: {@code <prefix>1<suffix>} .. {@code <prefix>N<suffix>} at consecutive addresses. */
    record WorkersEntry(int count, String namePrefix, String nameSuffix, String firstIp, CapacityEntry capacity,
                        Map<String, String> labels, List<TaintEntry> taints) {
        @JsonCreator
        static WorkersEntry fromYaml(@JsonProperty(value = "count", required = true) int count,
                                     @JsonProperty("namePrefix") String namePrefix, @JsonProperty("nameSuffix") String nameSuffix,
                                     @JsonProperty(value = "firstIP", required = true) String firstIp,
                                     @JsonProperty("capacity") CapacityEntry capacity,
                                     @JsonProperty("labels") Map<String, String> labels,
                                     @JsonProperty("taints") List<TaintEntry> taints) {
            if (count < 0) throw new IllegalArgumentException("workers.count must not be negative");
            return new WorkersEntry(count, namePrefix == null ? "w" : namePrefix, nameSuffix == null ? "-k8s" : nameSuffix,
                    firstIp, capacity, labels, taints);
        }
    }

    record CapacityEntry(String cpu, String memory, String ephemeralStorage, Integer pods) {
        @JsonCreator
        static CapacityEntry fromYaml(@JsonProperty("cpu") String cpu, @JsonProperty("memory") String memory,
                                      @JsonProperty("ephemeralStorage") String ephemeralStorage, @JsonProperty("pods") Integer pods) {
            return new CapacityEntry(cpu, memory, ephemeralStorage, pods);
        }

        NodeSpec.Capacity over(NodeSpec.Capacity base) {
            return new NodeSpec.Capacity(cpu != null ? cpu : base.cpu(),
                    memory != null ? Quantities.kibibytes(Quantities.bytes(memory)) : base.memory(),
                    ephemeralStorage != null ? Quantities.kibibytes(Quantities.bytes(ephemeralStorage)) : base.ephemeralStorage(),
                    pods != null ? pods : base.pods());
        }
    }

    record TaintEntry(String key, String value, String effect) {
        @JsonCreator
        static TaintEntry fromYaml(@JsonProperty(value = "key", required = true) String key, @JsonProperty("value") String value,
                                   @JsonProperty(value = "effect", required = true) String effect) {
            if (!Set.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(effect)) {
                throw new IllegalArgumentException("taint " + key + ": effect must be NoSchedule, PreferNoSchedule or NoExecute, not " + effect);
            }
            return new TaintEntry(key, value, effect);
        }
    }

    record File(String apiVersion, String kind, String podCidr, String serviceCidr, String profile, String images,
                List<NodeEntry> nodes, WorkersEntry workers) {
        @JsonCreator
        static File fromYaml(@JsonProperty("apiVersion") String apiVersion, @JsonProperty("kind") String kind,
                             @JsonProperty("podCIDR") String podCidr, @JsonProperty("serviceCIDR") String serviceCidr,
                             @JsonProperty("profile") String profile, @JsonProperty("images") String images,
                             @JsonProperty("nodes") List<NodeEntry> nodes, @JsonProperty("workers") WorkersEntry workers) {
            if (kind != null && !kind.equals("ClusterShape")) throw new IllegalArgumentException("kind is " + kind + ", not ClusterShape");
            return new File(apiVersion, kind, podCidr, serviceCidr, profile, images, nodes == null ? List.of() : nodes, workers);
        }
    }

    /**
     * A {@code --config} file. Relative paths in it ({@code profile}, {@code images}) are relative to the file. Nodes
     * without a capacity get the lab's (a control plane 2 CPUs and 2 GiB, a worker 1 CPU and 1 GiB); each node's
     * spec.podCIDR is the next /24 of the pod network, as kube-controller-manager allocates them.
     */
    public static ClusterShape load(Path file) throws IOException {
        File f = YamlFiles.load(file, File.class);
        try {
            return of(f, file.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw YamlFiles.problem(file, e);
        }
    }

    private static ClusterShape of(File f, Path dir) {
        String podCidr = f.podCidr() == null ? LabTopology.POD_CIDR : f.podCidr();
        Ipv4Cidr pool = Ipv4Cidr.parse(podCidr);
        if (pool.prefix() > 24) throw new IllegalArgumentException("podCIDR " + podCidr + " must be a /24 or larger");
        List<NodeSpec> nodes = new ArrayList<>();
        for (NodeEntry n : f.nodes()) {
            NodeSpec.Capacity base = n.controlPlane() ? LabTopology.CONTROL_PLANE_CAPACITY : LabTopology.WORKER_CAPACITY;
            List<NodeSpec.Taint> taints = n.taints() != null ? taints(n.taints())
                    : n.controlPlane() ? List.of(NodeSpec.Taint.CONTROL_PLANE) : List.of();
            nodes.add(new NodeSpec(n.name(), n.ip(), nodeCidr(pool, nodes.size()), n.calicoBlock(),
                    n.capacity() == null ? base : n.capacity().over(base), n.controlPlane(), n.labels(), taints));
        }
        WorkersEntry w = f.workers();
        if (w != null) {
            long ip = Ipv4Cidr.parseAddress(w.firstIp());
            for (int i = 1; i <= w.count(); i++, ip++) {
                if (ip > 0xFFFFFFFFL) throw new IllegalArgumentException("workers: addresses run past 255.255.255.255");
                NodeSpec.Capacity base = LabTopology.WORKER_CAPACITY;
                nodes.add(new NodeSpec(w.namePrefix() + i + w.nameSuffix(), Ipv4Cidr.format(ip), nodeCidr(pool, nodes.size()), null,
                        w.capacity() == null ? base : w.capacity().over(base), false, w.labels(),
                        w.taints() == null ? List.of() : taints(w.taints())));
            }
        }
        String profile = f.profile() == null ? "lab" : f.profile();
        if (!kubefake.nodesim.lifecycle.LifecycleProfile.SHIPPED.contains(profile)) profile = dir.resolve(profile).toString();
        Path images = f.images() == null ? null : dir.resolve(f.images());
        return new ClusterShape(nodes, podCidr, f.serviceCidr() == null ? SERVICE_CIDR : f.serviceCidr(), profile, images);
    }

    private static List<NodeSpec.Taint> taints(List<TaintEntry> entries) {
        return entries.stream().map(t -> new NodeSpec.Taint(t.key(), t.value(), t.effect())).toList();
    }

    /** The i-th /24 of the pod network: the spec.podCIDR kube-controller-manager gives the i-th node. */
    private static String nodeCidr(Ipv4Cidr pool, int i) {
        long perNode = 256;
        if ((long) (i + 1) * perNode > pool.size()) {
            throw new IllegalArgumentException("podCIDR " + pool + " has room for " + pool.size() / perNode
                    + " nodes (each gets a /24): make it larger");
        }
        return new Ipv4Cidr(pool.base() + i * perNode, 24).toString();
    }
}
