package kubefake.server.streams;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import kubefake.nodesim.runtime.ContainerProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The kubelet's WebSocket port-forward (fabric8, the Python client): the ports are in the query ({@code ports=80}),
 * one connection per WebSocket; port {@code i} has data channel {@code 2i} and error channel {@code 2i+1}, each opened
 * by a message with the port number (2 bytes, little endian), then binary messages prefixed by their channel.
 */
final class WebSocketPortForward extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final ForwardedConnection[] targets;

    private WebSocketPortForward(ForwardedConnection[] targets) {
        this.targets = targets;
    }

    /** Opens every port's channels on the upgraded connection and serves them. */
    static void start(ChannelHandlerContext ctx, List<Integer> ports, IntFunction<ContainerProcess> serving,
                      kubefake.nodesim.runtime.ProcessTable processes, String hostname,
                      String podRef, Clock clock) {
        ForwardedConnection[] targets = new ForwardedConnection[ports.size()];
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            int data = 2 * i;
            send(ctx, data, new byte[] {(byte) port, (byte) (port >> 8)});
            send(ctx, data + 1, new byte[] {(byte) port, (byte) (port >> 8)});
            ContainerProcess process = serving.apply(port);
            if (process == null) {
                send(ctx, data + 1, ForwardedConnection.refused(port, podRef).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            targets[i] = new ForwardedConnection(process, processes, hostname, clock, bytes -> send(ctx, data, bytes),
                    () -> ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE));
        }
        ctx.pipeline().addBefore(ctx.name(), "portforward-websocket", new WebSocketPortForward(targets));
    }

    private static void send(ChannelHandlerContext ctx, int channel, byte[] data) {
        ByteBuf b = ctx.alloc().buffer(data.length + 1);
        b.writeByte(channel).writeBytes(data);
        ctx.writeAndFlush(new BinaryWebSocketFrame(b));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof BinaryWebSocketFrame binary && binary.content().isReadable()) {
            int channel = binary.content().readUnsignedByte();
            byte[] bytes = new byte[binary.content().readableBytes()];
            binary.content().readBytes(bytes);
            int port = channel / 2;
            if (channel % 2 == 0 && port < targets.length && targets[port] != null && bytes.length > 0) targets[port].received(bytes);
        }
    }
}
