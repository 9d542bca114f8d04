package kubefake.nodesim.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;

import java.util.List;
import java.util.function.Function;

/**
 * Which connections the cluster's NetworkPolicies let through, as a policy-enforcing network plugin (the lab's
 * Calico) decides: a pod selected by a policy with {@code Ingress} among its policyTypes accepts only what one of
 * those policies' ingress rules allows, a pod selected by one with {@code Egress} opens only what an egress rule
 * allows, and a connection needs both ends' consent. A rule allows a peer (every peer when it lists none: pods by
 * podSelector in the policy's namespace, by namespaceSelector, both together, or addresses in an ipBlock but not
 * its excepts) on a port (every port when it lists none: a number, a range up to endPort, or a container port's
 * name, with its protocol). Traffic from a node to the pods on that same node is always allowed (the kubelet's
 * probes), as Kubernetes documents; from another node only an ipBlock with its address can allow it.
 */
public final class NetworkPolicies {
    /**
     * One end of a connection.
     *
     * @param ip   its address
     * @param pod  the pod, or null for a node's own address
     * @param node the node the pod runs on, or the node itself
     */
    public record Peer(String ip, JsonNode pod, String node) {
        public static Peer pod(JsonNode pod) {
            return new Peer(pod.path("status").path("podIP").asText(""), pod, pod.path("spec").path("nodeName").asText(""));
        }

        public static Peer node(String name, String ip) {
            return new Peer(ip, null, name);
        }

        /**
         * A node as other nodes' pods see it: its IPIP tunnel address, the source Calico gives the packets a node
         * sends (or forwards after kube-proxy's SNAT) to another node's pods.
         */
        public static Peer node(Registry registry, String name) {
            StoredObject node = registry.resource("", "nodes").find("", name);
            return node == null ? node(name, "") : node(node.tree());
        }

        /** The same, from the Node object. */
        public static Peer node(JsonNode node) {
            return node(node.path("metadata").path("name").asText(""),
                    node.path("metadata").path("annotations").path("projectcalico.org/IPv4IPIPTunnelAddr").asText(""));
        }

        /** A client outside the cluster, seen at its own address where no SNAT hides it. */
        public static Peer external(String ip) {
            return new Peer(ip, null, "");
        }

        String namespace() {
            return pod == null ? "" : pod.path("metadata").path("namespace").asText("");
        }
    }

    private final List<? extends JsonNode> policies;
    private final Function<String, JsonNode> namespaceLabels;

    /**
     * @param policies        every NetworkPolicy of the cluster
     * @param namespaceLabels a namespace's {@code metadata.labels} by its name (missing when it has none)
     */
    public NetworkPolicies(List<? extends JsonNode> policies, Function<String, JsonNode> namespaceLabels) {
        this.policies = policies;
        this.namespaceLabels = namespaceLabels;
    }

    /** The policies the cluster has now, with its namespaces' labels: what the network enforces at this moment. */
    public static NetworkPolicies current(Registry registry) {
        List<JsonNode> policies = new ArrayList<>();
        registry.resource("networking.k8s.io", "networkpolicies").list("", ListOptions.ALL).items()
                .forEach(p -> policies.add(p.tree()));
        ResourceStore namespaces = registry.resource("", "namespaces");
        return new NetworkPolicies(policies, ns -> {
            StoredObject o = namespaces.find("", ns);
            return o == null ? null : o.tree().path("metadata").path("labels");
        });
    }

    /** Whether a connection from {@code from} to the pod {@code to} on {@code port}/{@code protocol} gets through. */
    public boolean allows(Peer from, Peer to, int port, String protocol) {
        if (from.pod() == null && !from.node().isEmpty() && from.node().equals(to.node())) return true;
        if (from.pod() != null && from.ip().equals(to.ip())) return true; // a pod to itself never leaves it
        return admitted(to, from, to, port, protocol, "Ingress", "ingress", "from")
                && (from.pod() == null || admitted(from, to, to, port, protocol, "Egress", "egress", "to"));
    }

    /**
     * Whether the policies selecting {@code subject} for this direction let {@code other} through: a subject no such
     * policy selects is not isolated.
     */
    private boolean admitted(Peer subject, Peer other, Peer destination, int port, String protocol,
                             String type, String rulesField, String peersField) {
        boolean isolated = false;
        for (JsonNode policy : policies) {
            if (!selects(policy, subject, type)) continue;
            isolated = true;
            String policyNamespace = policy.path("metadata").path("namespace").asText("");
            for (JsonNode rule : policy.path("spec").path(rulesField)) {
                if (portsMatch(rule.path("ports"), destination, port, protocol)
                        && peersMatch(rule.path(peersField), other, policyNamespace)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static boolean selects(JsonNode policy, Peer subject, String type) {
        if (subject.pod() == null || !policy.path("metadata").path("namespace").asText("").equals(subject.namespace())) {
            return false;
        }
        boolean ofType = false;
        for (JsonNode t : policy.path("spec").path("policyTypes")) ofType |= t.asText().equals(type);
        if (policy.path("spec").path("policyTypes").isEmpty()) {
            // as the defaults make it: Ingress always, Egress when there are egress rules
            ofType = type.equals("Ingress") || !policy.path("spec").path("egress").isEmpty();
        }
        return ofType && labelsMatch(policy.path("spec").path("podSelector"), subject.pod().path("metadata").path("labels"));
    }

    private boolean peersMatch(JsonNode peers, Peer other, String policyNamespace) {
        if (peers.isEmpty()) return true;
        for (JsonNode peer : peers) if (peerMatches(peer, other, policyNamespace)) return true;
        return false;
    }

    private boolean peerMatches(JsonNode peer, Peer other, String policyNamespace) {
        JsonNode block = peer.get("ipBlock");
        if (block != null && !block.isNull()) return inBlock(block, other.ip());
        JsonNode podSelector = peer.get("podSelector");
        JsonNode namespaceSelector = peer.get("namespaceSelector");
        boolean hasPods = podSelector != null && !podSelector.isNull();
        boolean hasNamespaces = namespaceSelector != null && !namespaceSelector.isNull();
        if (other.pod() == null || (!hasPods && !hasNamespaces)) return false;
        boolean namespaceOk = hasNamespaces
                ? labelsMatch(namespaceSelector, labelsOrMissing(namespaceLabels.apply(other.namespace())))
                : other.namespace().equals(policyNamespace);
        return namespaceOk && (!hasPods || labelsMatch(podSelector, other.pod().path("metadata").path("labels")));
    }

    private static JsonNode labelsOrMissing(JsonNode labels) {
        return labels == null ? MissingNode.getInstance() : labels;
    }

    private static boolean inBlock(JsonNode block, String ip) {
        long address;
        try {
            address = Ipv4Cidr.parseAddress(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!contains(block.path("cidr").asText(""), address)) return false;
        for (JsonNode except : block.path("except")) if (contains(except.asText(), address)) return false;
        return true;
    }

    /** Whether the address is in the CIDR (written with host bits or not); an IPv6 one holds no IPv4 address. */
    private static boolean contains(String cidr, long address) {
        int slash = cidr.indexOf('/');
        if (slash < 0) return false;
        try {
            int prefix = Integer.parseInt(cidr.substring(slash + 1));
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            return (Ipv4Cidr.parseAddress(cidr.substring(0, slash)) & mask) == (address & mask);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean portsMatch(JsonNode ports, Peer destination, int port, String protocol) {
        if (ports.isEmpty()) return true;
        for (JsonNode p : ports) {
            if (!p.path("protocol").asText("TCP").equals(protocol)) continue;
            JsonNode number = p.get("port");
            if (number == null || number.isNull()) return true; // every port of the protocol
            if (number.isNumber()) {
                int first = number.asInt();
                int last = p.hasNonNull("endPort") ? p.path("endPort").asInt() : first;
                if (port >= first && port <= last) return true;
            } else if (namedPort(destination.pod(), number.asText(), protocol) == port) {
                return true;
            }
        }
        return false;
    }

    /** The number of the destination pod's container port of that name and protocol, or -1. */
    private static int namedPort(JsonNode pod, String name, String protocol) {
        if (pod == null) return -1;
        for (JsonNode c : pod.path("spec").path("containers")) {
            for (JsonNode p : c.path("ports")) {
                if (p.path("name").asText("").equals(name) && p.path("protocol").asText("TCP").equals(protocol)) {
                    return p.path("containerPort").asInt(-1);
                }
            }
        }
        return -1;
    }

    private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) return true; // podSelector: {} or absent
        return LabelSelector.fromJson(selector).matches(labels);
    }
}
