package kubefake.server.streams;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import kubefake.nodesim.runtime.ContainerProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A port-forward session's SPDY streams, as the kubelet serves {@code portforward.k8s.io}: for each connection the
 * client opens an error stream and a data stream with the same {@code requestid} and a {@code port}; the data stream
 * carries the TCP bytes to and from the pod's port, here answered by the simulated container's HTTP server (one
 * answer per request, keep-alive as HTTP/1.1 has it). A port no container of the pod serves gets the kubelet's
 * refusal on the error stream. Several connections share the session.
 */
final class PortForwardStreams extends ChannelInboundHandlerAdapter {
    /** One forwarded connection. */
    private static final class Connection {
        int port;
        Integer errorStream;
        Integer dataStream;
        ForwardedConnection target;
        boolean closed;
    }

    private final IntFunction<ContainerProcess> serving;
    private final kubefake.nodesim.runtime.ProcessTable processes;
    private final String hostname;
    private final String podRef;
    private final Clock clock;
    private final Map<String, Connection> byRequest = new HashMap<>();
    private final Map<Integer, Connection> byStream = new HashMap<>();

    /**
     * @param serving the running container process that listens on a port, or null
     * @param podRef  how the kubelet names the pod in its errors (sandbox ID)
     */
    PortForwardStreams(IntFunction<ContainerProcess> serving, kubefake.nodesim.runtime.ProcessTable processes, String hostname,
                       String podRef, Clock clock) {
        this.processes = processes;
        this.serving = serving;
        this.hostname = hostname;
        this.podRef = podRef;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof SpdySynStreamFrame syn) {
                String type = String.valueOf(syn.headers().getAsString("streamtype"));
                String request = String.valueOf(syn.headers().getAsString("requestid"));
                Connection c = byRequest.computeIfAbsent(request, r -> new Connection());
                try {
                    c.port = Integer.parseInt(String.valueOf(syn.headers().getAsString("port")));
                } catch (NumberFormatException e) {
                    c.port = -1;
                }
                byStream.put(syn.streamId(), c);
                DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
                reply.headers().set("streamtype", type); // an empty header block is one Go cannot read
                ctx.writeAndFlush(reply);
                if (type.equals("error")) c.errorStream = syn.streamId();
                else if (type.equals("data")) c.dataStream = syn.streamId();
                if (c.errorStream != null && c.dataStream != null) connect(ctx, c);
            } else if (msg instanceof SpdyDataFrame data) {
                Connection c = byStream.get(data.streamId());
                if (c != null && c.dataStream != null && c.dataStream == data.streamId() && !c.closed) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    if (c.target != null) c.target.received(bytes);
                    if (data.isLast()) finish(ctx, c);
                }
            } else if (msg instanceof SpdyRstStreamFrame rst) {
                Connection c = byStream.remove(rst.streamId());
                if (c != null) {
                    c.closed = true;
                    forget(c);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The connection to the pod's port: refused (the kubelet's error) when nothing listens there. */
    private void connect(ChannelHandlerContext ctx, Connection c) {
        ContainerProcess process = serving.apply(c.port);
        if (process != null) {
            c.target = new ForwardedConnection(process, processes, hostname, clock,
                    bytes -> ctx.writeAndFlush(new DefaultSpdyDataFrame(c.dataStream, Unpooled.wrappedBuffer(bytes))),
                    () -> finish(ctx, c));
            return;
        }
        SpdyDataFrame error = new DefaultSpdyDataFrame(c.errorStream,
                Unpooled.copiedBuffer(ForwardedConnection.refused(c.port, podRef), StandardCharsets.UTF_8));
        error.setLast(true);
        ctx.writeAndFlush(error);
        finish(ctx, c);
    }

    /** A connection's entries go with it: a session's maps hold its open connections only, however many came and went. */
    private void forget(Connection c) {
        byRequest.values().remove(c);
        byStream.values().removeIf(v -> v == c);
    }

    private void finish(ChannelHandlerContext ctx, Connection c) {
        if (c.closed) return;
        c.closed = true;
        forget(c);
        if (c.dataStream != null) {
            SpdyDataFrame fin = new DefaultSpdyDataFrame(c.dataStream);
            fin.setLast(true);
            ctx.writeAndFlush(fin);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
