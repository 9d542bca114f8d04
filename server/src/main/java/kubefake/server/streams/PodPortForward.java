package kubefake.server.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.server.http.ApiRequest;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * {@code pods/NAME/portforward}: over SPDY/3.1 ({@code portforward.k8s.io}, kubectl up to 1.30) or the WebSocket
 * tunnel ({@code SPDY/3.1+portforward.k8s.io}, kubectl 1.31+), the pod's ports as its running containers serve them.
 */
public final class PodPortForward {
    static final String PROTOCOL = "portforward.k8s.io";
    static final String TUNNEL = "SPDY/3.1+portforward.k8s.io";
    /** The kubelet's own WebSocket port-forward, which fabric8 and the Python client speak. */
    static final String CHANNEL_PROTOCOLS = "v4.channel.k8s.io,channel.k8s.io";

    private final SimulatedNodes nodes;
    private final Clock clock;

    public PodPortForward(SimulatedNodes nodes, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
    }

    /** The query's {@code ports} (repeated or comma-separated), as PodPortForwardOptions has them. */
    private static List<Integer> ports(ApiRequest req) {
        List<Integer> ports = new java.util.ArrayList<>();
        for (String v : req.query().getOrDefault("ports", List.of())) {
            for (String p : v.split(",")) {
                try {
                    ports.add(Integer.parseInt(p.trim()));
                } catch (NumberFormatException e) {
                    throw StatusException.badRequest("strconv.ParseInt: parsing " + kubefake.store.registry.errors.GoFormat.quote(p)
                            + ": invalid syntax");
                }
            }
        }
        return ports;
    }

    public void serve(ResourceStore pods, String namespace, String name, ApiRequest req, HttpExchange exchange) {
        ObjectNode pod = pods.get(namespace, name).toNode();
        if (Json.text(pod.path("spec"), "nodeName").isEmpty()) {
            throw StatusException.badRequest("pod " + name + " does not have a host assigned");
        }
        IntFunction<ContainerProcess> serving = port -> ContainerPorts.serving(pod, nodes.processes(), clock.instant()).apply(port);
        String sandbox = Json.text(Json.metadata(pod).path("annotations"), "cni.projectcalico.org/containerID");
        String podRef = sandbox.isEmpty() ? Json.text(Json.metadata(pod), "uid") : sandbox;
        PortForwardStreams streams = new PortForwardStreams(serving, nodes.processes(), name, podRef, clock);
        ChannelHandlerContext ctx = exchange.context();
        String upgrade = req.header("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.path(),
                    Unpooled.EMPTY_BUFFER, req.headers(), EmptyHttpHeaders.INSTANCE);
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("wss://" + req.header("Host") + req.path(),
                    TUNNEL + "," + CHANNEL_PROTOCOLS, false, 1 << 20).newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            List<Integer> ports = ports(req);
            handshaker.handshake(ctx.channel(), request).addListener(f -> {
                if (!f.isSuccess()) return;
                if (TUNNEL.equals(handshaker.selectedSubprotocol())) {
                    ctx.pipeline().addBefore(ctx.name(), "ws-tunnel", new WebSocketTunnel());
                    SpdyUpgrade.install(ctx, streams);
                } else {
                    WebSocketPortForward.start(ctx, ports, serving, nodes.processes(), name, podRef, clock);
                }
            });
            return;
        }
        if (upgrade == null || !upgrade.toLowerCase(Locale.ROOT).startsWith("spdy/")) {
            throw StatusException.badRequest("Upgrade request required");
        }
        if (!req.headers().getAll("X-Stream-Protocol-Version").contains(PROTOCOL)) {
            exchange.reply(Reply.of(403, "text/plain; charset=utf-8", ("unable to upgrade: unable to negotiate protocol: client supports "
                    + req.headers().getAll("X-Stream-Protocol-Version") + ", server accepts " + List.of(PROTOCOL))
                    .getBytes(StandardCharsets.UTF_8)).header("X-Accepted-Stream-Protocol-Versions", PROTOCOL));
            return;
        }
        SpdyUpgrade.switchTo(ctx, PROTOCOL, streams);
    }
}
