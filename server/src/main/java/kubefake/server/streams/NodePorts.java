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
import kubefake.nodesim.network.NetworkPolicies;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kube-proxy's NodePorts on the host: each node port of a NodePort or LoadBalancer Service is a real listening socket
 * on the server's bind address (loopback in tests), opened when the Service has it and closed when it goes. Each
 * connection goes to a random ready endpoint of that service port, as kube-proxy's rules pick one per connection, and
 * the simulated container serving the target port answers it (one HTTP answer per request); no ready endpoint, or
 * nothing serving the port, closes the connection (kube-proxy's reject). A port the host already uses is skipped with
 * a warning, as kube-proxy logs a port it cannot open.
 * <p>
 * The bind address stands for a load balancer in front of the nodes (the lab's MetalLB, a cloud's): with
 * {@code externalTrafficPolicy: Cluster} it hands the connections to the nodes in turn (the Ready ones kubeadm does
 * not exclude from external load balancers), and the entry node's kube-proxy DNATs each to a random endpoint,
 * SNATing it to the node when that endpoint runs on another node; with {@code Local} only nodes with a ready
 * endpoint of their own get connections (what the healthCheckNodePort tells the balancer), which keep the client's
 * address. The pod's NetworkPolicies judge the source its packets arrive with, as Calico does after kube-proxy's NAT;
 * a refused connection is dropped: the client waits for its timeout.
 */
public final class NodePorts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePorts.class);

    /** One open node port: the service port it leads to, and how many connections the balancer has handed out. */
    private record Opened(String namespace, String service, String portName, Channel channel, AtomicLong turns) {
    }

    /** kubeadm's label on the nodes a load balancer must not send traffic to (the control plane's). */
    private static final String EXCLUDED_FROM_BALANCERS = "node.kubernetes.io/exclude-from-external-load-balancers";

    private final SimulatedNodes nodes;
    private final Clock clock;
    private final String bindAddress;
    private final Informer services;
    private final Informer endpoints;
    private final Informer pods;
    private final Informer nodeObjects;
    private final Informer networkPolicies;
    private final Informer namespaces;
    /** The sockets' thread, started with the first node port (a cluster without one costs none). */
    private EventLoopGroup group;
    private final Map<Integer, Opened> open = new ConcurrentHashMap<>();
    private final Cancellable handler;

    public NodePorts(SimulatedNodes nodes, SharedInformers informers, Clock clock, String bindAddress) {
        this.nodes = nodes;
        // the node ports' event loop reads caches only, never the store (which may be a remote etcd)
        this.nodeObjects = informers.informer("", "nodes");
        this.networkPolicies = informers.informer("networking.k8s.io", "networkpolicies");
        this.namespaces = informers.informer("", "namespaces");
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
                open.put(port, new Opened(ns, name, portName, ch, new AtomicLong()));
            } catch (Exception e) {
                LOG.warn("can't open port \"nodePort for {}/{}\" ({}/TCP): {}", ns, name, port, e.getMessage());
            }
        });
    }

    /** The cluster's NetworkPolicies as the caches hold them now. */
    private NetworkPolicies policies() {
        List<JsonNode> all = new ArrayList<>();
        for (StoredObject p : networkPolicies.list()) all.add(p.tree());
        return new NetworkPolicies(all, ns -> namespaces.get("", ns).map(n -> n.tree().path("metadata").path("labels"))
                .orElse(null));
    }

    /** The nodes a load balancer sends connections to, by name: the Ready ones kubeadm does not exclude. */
    private List<String> balancedNodes() {
        List<String> names = new ArrayList<>();
        for (StoredObject o : nodeObjects.list()) {
            JsonNode node = o.tree();
            if (node.path("metadata").path("labels").has(EXCLUDED_FROM_BALANCERS)) continue;
            for (JsonNode c : node.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
                    names.add(node.path("metadata").path("name").asText());
                }
            }
        }
        names.sort(null);
        return names;
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
            int targetPort = chosen[1].path("port").asInt();
            ContainerProcess process = pod == null ? null
                    : ContainerPorts.serving(pod, nodes.processes(), clock.instant()).apply(targetPort);
            if (process == null) {
                ctx.close();
                return;
            }
            String podNode = Json.text(pod.path("spec"), "nodeName");
            NetworkPolicies.Peer source = source(ctx, podNode);
            // kube-proxy's rules bypassed on the pod's node, or a policy refusing the source: the packets go nowhere
            dropped = nodes.podTrafficDropped(podNode)
                    || !policies().allows(source, NetworkPolicies.Peer.pod(pod), targetPort, "TCP");
            target = new ForwardedConnection(process, nodes.processes(), Json.metadata(pod).path("name").asText(), clock,
                    bytes -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)), ctx::close);
        }

        /**
         * The address the pod sees the connection come from: the client's, unless the balancer handed it to another
         * node than the pod's (only with {@code externalTrafficPolicy: Cluster}), whose kube-proxy SNATs it.
         */
        private NetworkPolicies.Peer source(ChannelHandlerContext ctx, String podNode) {
            String client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
            NetworkPolicies.Peer external = NetworkPolicies.Peer.external(client);
            boolean local = services.get(namespace, service)
                    .map(s -> s.toNode().path("spec").path("externalTrafficPolicy").asText("Cluster").equals("Local"))
                    .orElse(false);
            Opened opened = open.get(((InetSocketAddress) ctx.channel().localAddress()).getPort());
            List<String> entries = balancedNodes();
            if (local || opened == null || entries.isEmpty()) return external;
            String entry = entries.get((int) (opened.turns().getAndIncrement() % entries.size()));
            if (entry.equals(podNode)) return external;
            return nodeObjects.get("", entry).map(n -> NetworkPolicies.Peer.node(n.tree()))
                    .orElse(NetworkPolicies.Peer.node(entry, ""));
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
