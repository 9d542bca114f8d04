package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.network.NetworkPolicies;
import kubefake.nodesim.runtime.ContainerHttp;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One command on a simulated node's shell ({@code kubefake ssh NODE -- CMD}), the lab's commands on its VMs:
 * {@code hostname}, {@code systemctl stop|start|status kubelet}, {@code modprobe [-r] br_netfilter},
 * {@code systemctl restart NetworkManager}, {@code reboot}, and {@code curl} to a pod IP or a ClusterIP through the
 * pod network as kube-proxy routes it (a random ready endpoint). Traffic to the pods of a node whose networking was
 * restarted without br_netfilter is dropped: curl waits until its timeout (its own, else the kernel's 130 s of SYN
 * retries) while the API still shows the pod Running. Nothing runs on the host.
 */
public final class NodeShell {
    /**
     * What the command printed, its status, how long it took (a dropped connection's wait), and a file it wrote
     * ({@code savedTo}, relative to the working directory, with {@code saved}: curl's {@code -o}), else nulls.
     */
    public record Result(String stdout, String stderr, int exitCode, Duration took, String savedTo, byte[] saved) {
        static Result of(String stdout, String stderr, int exitCode) {
            return new Result(stdout, stderr, exitCode, Duration.ZERO, null, null);
        }
    }

    /** Linux's default tcp_syn_retries (6): a connect to a host that never answers gives up after about 130 s. */
    private static final Duration KERNEL_CONNECT_TIMEOUT = Duration.ofMillis(130_000);

    private final SimulatedNodes nodes;
    private final Clock clock;
    private final ResourceStore pods;
    private final ResourceStore services;
    private final ResourceStore endpoints;
    private final Registry registry;

    /** @param registry where the NetworkPolicies, namespaces and Node objects the network consults are read */
    public NodeShell(SimulatedNodes nodes, Clock clock, ResourceStore pods, ResourceStore services, ResourceStore endpoints,
                     Registry registry) {
        this.nodes = nodes;
        this.clock = clock;
        this.pods = pods;
        this.services = services;
        this.endpoints = endpoints;
        this.registry = registry;
    }

    /** Runs {@code argv} on {@code node} (which must exist: {@link SimulatedNodes.NoSuchNodeException}). */
    public Result run(String node, List<String> argv) {
        nodes.kubeletRunning(node); // the node exists
        if (argv.isEmpty()) return Result.of("", "", 0);
        List<String> args = argv.subList(1, argv.size());
        return switch (argv.get(0)) {
            case "hostname" -> Result.of(node + "\n", "", 0);
            case "systemctl" -> systemctl(node, args);
            case "modprobe" -> modprobe(node, args);
            case "reboot" -> {
                nodes.restartNetwork(node, true);
                yield Result.of("", "Connection to " + node + " closed by remote host.\n", 255);
            }
            case "curl" -> curl(args, node, null);
            default -> Result.of("", "bash: " + argv.get(0) + ": command not found\n", 127);
        };
    }

    private Result systemctl(String node, List<String> args) {
        if (args.size() != 2) return Result.of("", "Too few arguments.\n", 1);
        String unit = args.get(1).replaceFirst("\\.service$", "");
        String verb = args.get(0);
        if (unit.equals("NetworkManager") && (verb.equals("restart") || verb.equals("reload"))) {
            nodes.restartNetwork(node, false);
            return Result.of("", "", 0);
        }
        if (!unit.equals("kubelet") && !unit.equals("NetworkManager")) {
            return Result.of("", "Failed to " + verb + " " + unit + ".service: Unit " + unit + ".service not found.\n", 5);
        }
        switch (verb) {
            case "stop" -> {
                if (unit.equals("kubelet")) nodes.stopKubelet(node);
                return Result.of("", "", 0);
            }
            case "start", "restart" -> {
                if (unit.equals("kubelet")) nodes.startKubelet(node);
                return Result.of("", "", 0);
            }
            case "status", "is-active" -> {
                boolean running = !unit.equals("kubelet") || nodes.kubeletRunning(node);
                if (verb.equals("is-active")) return Result.of(running ? "active\n" : "inactive\n", "", running ? 0 : 3);
                String description = unit.equals("kubelet") ? "kubelet: The Kubernetes Node Agent" : "Network Manager";
                return Result.of("● " + unit + ".service - " + description + "\n"
                        + "     Loaded: loaded (/usr/lib/systemd/system/" + unit + ".service; enabled; preset: disabled)\n"
                        + "     Active: " + (running ? "active (running)" : "inactive (dead)") + "\n", "", running ? 0 : 3);
            }
            default -> {
                return Result.of("", "Unknown command verb " + verb + ".\n", 1);
            }
        }
    }

    private Result modprobe(String node, List<String> args) {
        boolean remove = args.contains("-r") || args.contains("--remove");
        List<String> modules = args.stream().filter(a -> !a.startsWith("-")).toList();
        for (String m : modules) if (m.equals("br_netfilter")) nodes.brNetfilter(node, !remove);
        return Result.of("", "", 0);
    }

    /**
     * curl as a node ({@code pod} null: the node's resolver knows no Service names) or a pod sees the network: the
     * pod's resolver finds {@code svc}, {@code svc.ns}, {@code svc.ns.svc} and {@code svc.ns.svc.cluster.local} (its
     * search path), each the Service's ClusterIP. A connection the NetworkPolicies refuse is dropped, as Calico drops
     * it: curl waits for its timeout.
     */
    public Result curl(List<String> args, String node, ObjectNode pod) {
        String namespace = pod == null ? null : Json.metadata(pod).path("namespace").asText();
        return curl(args, node, pod, host -> namespace == null ? null : clusterIp(host, namespace));
    }

    /** curl with the names resolved by {@code resolver} (a pod's own resolver: its hosts file, then the cluster's DNS). */
    public Result curl(List<String> args, String node, ObjectNode pod, Function<String, String> resolver) {
        long begun = System.nanoTime();
        if (args.isEmpty()) return Result.of("", "curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
        CurlCommand cmd = CurlCommand.parse(args);
        if (cmd.error() != null) return Result.of("", cmd.error(), 2);
        String rest = cmd.url().replaceFirst("^http://", "");
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        String host = authority.contains(":") ? authority.substring(0, authority.indexOf(':')) : authority;
        int port;
        try {
            port = authority.contains(":") ? Integer.parseInt(authority.substring(authority.indexOf(':') + 1)) : 80;
        } catch (NumberFormatException e) {
            return Result.of("", cmd.showsErrors() ? "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n" : "", 3);
        }
        CurlOutput output = new CurlOutput(cmd, pod == null ? CurlOutput.Flavour.NODE : CurlOutput.Flavour.POD, host, port, path);
        String ip = host;
        if (!isAddress(host)) {
            ip = resolver.apply(host);
            if (ip == null) return output.failed(6, "Could not resolve host: " + host, null, Duration.ZERO);
        }
        Route route = route(ip, port, node, pod);
        if (route.reach() == Reach.DROPPED) {
            Duration wait = cmd.timeout() == null ? KERNEL_CONNECT_TIMEOUT : cmd.timeout();
            return cmd.timeout() == null
                    ? output.failed(7, "Failed to connect to " + host + " port " + port + ": Connection timed out", ip, wait)
                    : output.failed(28, "Connection timed out after " + (wait.toMillis() + 1) + " milliseconds", ip, wait);
        }
        if (route.reach() == Reach.REFUSED || !ContainerHttp.speaksHttp(route.process().timeline())) {
            return refused(output, host, ip, port);
        }
        byte[] response = respond(route, output.requestHead(authority));
        return output.answered(response, ip, authority, Duration.ofNanos(System.nanoTime() - begun));
    }

    static boolean isAddress(String host) {
        return host.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    /** What a TCP connection to an address meets: a listening process, a refusal (RST), or silence (dropped). */
    enum Reach { OPEN, REFUSED, DROPPED }

    /**
     * Where a TCP connection to {@code ip:port} from the pod (or, without one, the node) ends.
     *
     * @param process  the container process listening on the port (when {@code OPEN})
     * @param target   the pod it reached, else null
     * @param loopback whether it never left the pod (127.0.0.0/8: the pod's own containers share its network namespace)
     */
    record Route(Reach reach, ContainerProcess process, ObjectNode target, boolean loopback) {
    }

    /**
     * Routes a connection as kube-proxy and Calico do: a ClusterIP to a random ready endpoint, a pod IP to its pod,
     * the loopback to the pod itself; traffic to a node whose pod network is down, or that the NetworkPolicies refuse,
     * is dropped; a port nobody listens on is refused.
     */
    Route route(String ip, int port, String node, ObjectNode pod) {
        Instant now = clock.instant();
        boolean loopback = pod != null && ip.startsWith("127.");
        ObjectNode target;
        int podPort = port;
        if (loopback) {
            target = pod;
        } else {
            ObjectNode service = find(services, "spec", "clusterIP", ip);
            if (service != null) {
                JsonNode address = endpointFor(service, port);
                if (address == null) return new Route(Reach.REFUSED, null, null, false);
                JsonNode ref = address.path("address").path("targetRef");
                target = pods.get(ref.path("namespace").asText(), ref.path("name").asText()).toNode();
                podPort = address.path("port").asInt();
            } else {
                target = find(pods, "status", "podIP", ip);
            }
            String podNode = target == null ? "" : Json.text(target.path("spec"), "nodeName");
            if (target == null || nodes.podTrafficDropped(podNode) || !policiesAllow(node, pod, target, podPort)) {
                return new Route(Reach.DROPPED, null, target, false);
            }
        }
        ContainerProcess process = ContainerPorts.serving(target, nodes.processes(), now).apply(podPort);
        return new Route(process == null ? Reach.REFUSED : Reach.OPEN, process, target, loopback);
    }

    /** The HTTP response of the process a route reached, to a request with this head. */
    byte[] respond(Route route, String requestHead) {
        return ContainerHttp.respond(route.process().timeline(), requestHead,
                Json.metadata(route.target()).path("name").asText(), route.process().startedAt(), clock.instant(),
                nodes.processes().filesIfWritten(route.process().containerId()));
    }

    /** The cluster's DNS, answering from the Services and endpoints this shell routes to. */
    ClusterDns clusterDns() {
        return new ClusterDns(services, endpoints);
    }

    /** The ports the pod's containers listen on (netstat's view from inside it). */
    List<Integer> listening(ObjectNode pod) {
        return ContainerPorts.listening(pod, nodes.processes(), clock.instant());
    }

    /**
     * The TTL of the echo reply {@code ip} sends a ping from the pod, or 0 when none comes back: a pod answers (its
     * node's hops: 64 from itself, 63 from a pod on its node, 62 through Calico's IPIP tunnel), a ClusterIP never does
     * (kube-proxy's rules forward TCP and UDP ports only), nor a pod whose traffic is dropped.
     */
    int echoTtl(String ip, String node, ObjectNode pod) {
        if (ip.startsWith("127.") || ip.equals(pod.path("status").path("podIP").asText())) return 64;
        ObjectNode target = find(pods, "status", "podIP", ip);
        if (target == null || !target.path("status").path("phase").asText().equals("Running")) return 0;
        String podNode = Json.text(target.path("spec"), "nodeName");
        if (nodes.podTrafficDropped(podNode) || !policiesAllow(node, pod, target, 0)) return 0;
        return podNode.equals(node) ? 63 : 62;
    }

    /**
     * Whether the NetworkPolicies let a TCP connection from the pod (or, without one, from the node: its IPIP tunnel
     * address, the source Calico gives a node's packets to other nodes' pods) reach the target pod's port.
     */
    private boolean policiesAllow(String node, ObjectNode pod, ObjectNode target, int port) {
        NetworkPolicies.Peer from = pod != null ? NetworkPolicies.Peer.pod(pod) : NetworkPolicies.Peer.node(registry, node);
        return NetworkPolicies.current(registry).allows(from, NetworkPolicies.Peer.pod(target), port, "TCP");
    }

    /** A Service name as a pod's resolver (search path NS.svc.cluster.local svc.cluster.local cluster.local) finds it. */
    String clusterIp(String name, String namespace) {
        String[] parts = name.replaceFirst("\\.$", "").split("\\.");
        String svc = parts[0];
        String ns = parts.length >= 2 ? parts[1] : namespace;
        if (parts.length > 2 && !name.replaceFirst("\\.$", "").endsWith(".svc") && !name.replaceFirst("\\.$", "").endsWith(".svc.cluster.local")) {
            return null;
        }
        try {
            String ip = Json.text(services.get(ns, svc).toNode().path("spec"), "clusterIP");
            return ip.isEmpty() || ip.equals("None") ? null : ip;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Result refused(CurlOutput output, String host, String ip, int port) {
        return output.failed(7, "Failed to connect to " + host + " port " + port + output.refusal(), ip, Duration.ZERO);
    }

    /** A random ready endpoint of the service port {@code port}, as kube-proxy's rules pick one: the address and target port. */
    private JsonNode endpointFor(ObjectNode service, int port) {
        String portName = null;
        for (JsonNode p : service.path("spec").path("ports")) if (p.path("port").asInt() == port) portName = p.path("name").asText("");
        if (portName == null) return null;
        ObjectNode eps;
        try {
            eps = endpoints.get(Json.metadata(service).path("namespace").asText(), Json.metadata(service).path("name").asText()).toNode();
        } catch (RuntimeException e) {
            return null;
        }
        List<JsonNode> candidates = new ArrayList<>();
        for (JsonNode subset : eps.path("subsets")) {
            for (JsonNode p : subset.path("ports")) {
                if (!p.path("name").asText("").equals(portName)) continue;
                for (JsonNode a : subset.path("addresses")) {
                    candidates.add(Json.MAPPER.createObjectNode().put("port", p.path("port").asInt()).set("address", a));
                }
            }
        }
        return candidates.isEmpty() ? null : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
    }

    /** The object whose field has the value; of several pods (a finished one keeps its IP), the running one. */
    private static ObjectNode find(ResourceStore store, String section, String field, String value) {
        ObjectNode found = null;
        for (StoredObject o : store.list("", ListOptions.ALL).items()) {
            ObjectNode n = o.toNode();
            if (!Json.text(n.path(section), field).equals(value)) continue;
            if (found == null || n.path("status").path("phase").asText().equals("Running")) found = n;
        }
        return found;
    }
}
