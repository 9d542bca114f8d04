package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.Cancellable;
import kubefake.nodesim.SimulatedNodes;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * kube-proxy's NodePorts on the host: each node port of a NodePort or LoadBalancer Service is a real listening socket
 * on the server's bind address (loopback in tests), opened when the Service has it and closed when it goes. Each
 * connection goes to a random ready endpoint of that service port, as kube-proxy's rules pick one per connection, and
 * the simulated container serving the target port answers it (one HTTP answer per request); no ready endpoint, or
 * nothing serving the port, closes the connection (kube-proxy's reject). A port the host already uses is skipped with
 * a warning, as kube-proxy logs a port it cannot open.
 */
public final class NodePorts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePorts.class);

    /** One open node port: the service port it leads to. */
    private record Opened(String namespace, String service, String portName, Channel channel) {
    }

    private final SimulatedNodes nodes;
    private final Clock clock;
    private final String bindAddress;
    private final Informer services;
    private final Informer endpoints;
    private final Informer pods;
    /** The sockets' thread, started with the first node port (a cluster without one costs none). */
    private EventLoopGroup group;
    private final Map<Integer, Opened> open = new ConcurrentHashMap<>();
    private final Cancellable handler;

    public NodePorts(SimulatedNodes nodes, SharedInformers informers, Clock clock, String bindAddress) {
        this.nodes = nodes;
        this.clock = clock;
        this.bindAddress = bindAddress;
        this.services = informers.informer("", "services");
        this.endpoints = informers.informer("", "endpoints");
        this.pods = informers.informer("", "pods");
        this.handler = services.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject service) {
                sync(service.toNode(), false);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject service) {
                sync(service.toNode(), false);
            }

            @Override
            public void onDelete(StoredObject service) {
                sync(service.toNode(), true);
            }
        });
    }

    /** The node ports this service has now opened, the ones it no longer has closed. */
    private synchronized void sync(ObjectNode service, boolean deleted) {
        String ns = Json.metadata(service).path("namespace").asText();
        String name = Json.metadata(service).path("name").asText();
        String type = service.path("spec").path("type").asText("ClusterIP");
        Map<Integer, String> wanted = new java.util.HashMap<>();
        if (!deleted && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            for (JsonNode p : service.path("spec").path("ports")) {
                if (p.path("nodePort").asInt() > 0) wanted.put(p.path("nodePort").asInt(), p.path("name").asText(""));
            }
        }
        for (var e : new ArrayList<>(open.entrySet())) {
            Opened o = e.getValue();
            if (o.namespace().equals(ns) && o.service().equals(name) && !o.portName().equals(wanted.get(e.getKey()))) {
                open.remove(e.getKey());
                o.channel().close();
            }
        }
        wanted.forEach((port, portName) -> {
            if (open.containsKey(port)) return;
            if (group == null) group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel c) {
                                c.pipeline().addLast(new Connection(ns, name, portName));
                            }
                        }).bind(bindAddress, port).sync().channel();
                open.put(port, new Opened(ns, name, portName, ch));
            } catch (Exception e) {
                LOG.warn("can't open port \"nodePort for {}/{}\" ({}/TCP): {}", ns, name, port, e.getMessage());
            }
        });
    }

    /** The node ports open now (for tests and the leak benchmark). */
    public Set<Integer> ports() {
        return Set.copyOf(open.keySet());
    }

    /** One client connection: its endpoint chosen when it opens, its bytes answered by that pod's container. */
    private final class Connection extends ChannelInboundHandlerAdapter {
        private final String namespace;
        private final String service;
        private final String portName;
        private ForwardedConnection target;
        private boolean dropped;

        Connection(String namespace, String service, String portName) {
            this.namespace = namespace;
            this.service = service;
            this.portName = portName;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            List<JsonNode[]> candidates = new ArrayList<>(); // {address, port}
            endpoints.get(namespace, service).ifPresent(eps -> {
                for (JsonNode subset : eps.toNode().path("subsets")) {
                    for (JsonNode p : subset.path("ports")) {
                        if (!p.path("name").asText("").equals(portName)) continue;
                        for (JsonNode a : subset.path("addresses")) candidates.add(new JsonNode[] {a, p});
                    }
                }
            });
            if (candidates.isEmpty()) {
                ctx.close();
                return;
            }
            JsonNode[] chosen = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
            JsonNode ref = chosen[0].path("targetRef");
            ObjectNode pod = pods.get(ref.path("namespace").asText(namespace), ref.path("name").asText())
                    .map(StoredObject::toNode).orElse(null);
            ContainerProcess process = pod == null ? null
                    : ContainerPorts.serving(pod, nodes.processes(), clock.instant()).apply(chosen[1].path("port").asInt());
            if (process == null) {
                ctx.close();
                return;
            }
            // kube-proxy's rules bypassed on the pod's node: the packets go nowhere, the client waits
            dropped = nodes.podTrafficDropped(Json.text(pod.path("spec"), "nodeName"));
            target = new ForwardedConnection(process, nodes.processes(), Json.metadata(pod).path("name").asText(), clock,
                    bytes -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)), ctx::close);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (target == null || dropped) return;
                ByteBuf b = (ByteBuf) msg;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                target.received(bytes);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public synchronized void close() {
        handler.cancel();
        open.values().forEach(o -> o.channel().close());
        open.clear();
        if (group != null) group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }
}
