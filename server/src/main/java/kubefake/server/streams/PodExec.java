package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.Image;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code pods/NAME/exec} and {@code pods/NAME/attach}: the API server's checks (the container, a node), the kubelet's (the container runs), then
 * the upgrade the client asked for (a WebSocket, or SPDY/3.1) and an {@link ExecSession} with a process started in
 * the container by the simulated runtime, or an {@link AttachSession} on its main process.
 */
public final class PodExec {
    private final SimulatedNodes nodes;
    private final Clock clock;

    /** @param network the pod network as exec'd processes reach it (curl, wget, nc, ping; its Services for the DNS) */
    public PodExec(SimulatedNodes nodes, Clock clock, NodeShell network) {
        this.nodes = nodes;
        this.clock = clock;
        ClusterDns dns = network.clusterDns();
        // exec'd processes and the containers' own (main processes, exec probes) reach the pod network through it
        nodes.podNetworks((node, pod, files) -> new PodNetwork(network, dns, node, (ObjectNode) pod, files));
    }

    /** Serves {@code subresource} exec or attach. */
    public void serve(String subresource, ResourceStore pods, String namespace, String name, ExecOptions options, ApiRequest req,
                      HttpExchange exchange) {
        ObjectNode pod = pods.get(namespace, name).toNode();
        String container = ContainerChoice.choose(pod, options.container());
        String node = Json.text(pod.path("spec"), "nodeName");
        if (node.isEmpty()) throw StatusException.badRequest("pod " + name + " does not have a host assigned");
        JsonNode status = ContainerChoice.status(pod, container);
        String containerId = status.path("state").path("running").isObject() ? status.path("containerID").asText("") : "";
        ContainerProcess run = nodes.processes().get(containerId).orElse(null);
        if (run == null || run.endedBy(clock.instant())) {
            // the kubelet's answer to the upgrade, passed on by the API server (kubectl: "unable to upgrade connection: ...")
            exchange.reply(Reply.of(500, "text/plain; charset=utf-8",
                    ("container not found (" + GoFormat.quote(container) + ")").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        ChannelHandlerContext ctx = exchange.context();
        Image image = nodes.image(spec(pod, container).path("image").asText());
        JsonNode containerSpec = spec(pod, container);
        ExecProcess.Container inside = nodes.container(node, pod, containerSpec, image, containerId, run.startedAt());
        StreamChannels.Listener session = subresource.equals("attach")
                ? new AttachSession(ctx.executor(), nodes.processes(), containerId, clock, options, inside,
                        code -> nodes.mainProcessExited(node, run.podUid(), container, containerId, code))
                : new ExecSession(ctx.executor(), inside, containerId, nodes.processes(), clock, options);
        String upgrade = req.header("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            WebSocketChannels.upgrade(ctx, req, options, session);
            return;
        }
        if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).startsWith("spdy/")) {
            throw StatusException.badRequest("Upgrade request required");
        }
        String protocol = SpdyChannels.negotiate(req);
        if (protocol == null) {
            exchange.reply(Reply.of(403, "text/plain; charset=utf-8", ("unable to upgrade: unable to negotiate protocol: client supports "
                    + req.headers().getAll("X-Stream-Protocol-Version") + ", server accepts " + SpdyChannels.PROTOCOLS)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .header("X-Accepted-Stream-Protocol-Versions", String.join(", ", SpdyChannels.PROTOCOLS)));
            return;
        }
        SpdyChannels.upgrade(ctx, protocol, options, session);
    }

    private static JsonNode spec(ObjectNode pod, String container) {
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (JsonNode c : pod.path("spec").path(field)) if (c.path("name").asText().equals(container)) return c;
        }
        return Json.MAPPER.createObjectNode();
    }

}
