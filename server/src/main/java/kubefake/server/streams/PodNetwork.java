package kubefake.server.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.runtime.ContainerFiles;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.PodResolver;

import java.util.List;

/**
 * The pod network as a process exec'd in one pod's container reaches it: names through the container's own resolver
 * ({@link PodResolver}: its /etc/hosts, then the cluster's DNS), connections routed by the {@link NodeShell} as
 * kube-proxy and Calico route them, the loopback to the pod's own containers.
 */
final class PodNetwork implements ExecProcess.Network {
    private final NodeShell shell;
    private final ClusterDns dns;
    private final String node;
    private final ObjectNode pod;
    private final PodResolver resolver;

    PodNetwork(NodeShell shell, ClusterDns dns, String node, ObjectNode pod, ContainerFiles files) {
        this.shell = shell;
        this.dns = dns;
        this.node = node;
        this.pod = pod;
        this.resolver = new PodResolver(files, this);
    }

    @Override
    public Curl curl(List<String> args) {
        NodeShell.Result r = shell.curl(args, node, pod, resolver::resolve);
        return new Curl(r.stdout(), r.stderr(), r.exitCode(), r.took(), r.savedTo(), r.saved());
    }

    @Override
    public List<String> query(String fqdn) {
        return dns.query(fqdn);
    }

    @Override
    public Reach connect(String ip, int port) {
        return switch (shell.route(ip, port, node, pod).reach()) {
            case OPEN -> Reach.OPEN;
            case REFUSED -> Reach.REFUSED;
            case DROPPED -> Reach.DROPPED;
        };
    }

    @Override
    public byte[] http(String ip, int port, String requestHead) {
        NodeShell.Route route = shell.route(ip, port, node, pod);
        if (route.reach() != NodeShell.Reach.OPEN || !kubefake.nodesim.runtime.ContainerHttp.speaksHttp(route.process().timeline())) {
            return null;
        }
        return shell.respond(route, requestHead);
    }

    @Override
    public int echoTtl(String ip) {
        return shell.echoTtl(ip, node, pod);
    }

    @Override
    public List<Integer> listening() {
        return shell.listening(pod);
    }

    @Override
    public String podIp() {
        return pod.path("status").path("podIP").asText("");
    }
}
