package kubefake.server.streams;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.server.http.ApiRequest;

import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * exec and attach over a WebSocket, in the channel protocols the real server speaks: {@code v5.channel.k8s.io} (the
 * API server's own, kubectl 1.30+: a close signal on channel 255 ends stdin), {@code v4.channel.k8s.io} and
 * {@code channel.k8s.io} (the kubelet's, which fabric8 and the Python client use: binary messages whose first byte is
 * the channel) and their base64 forms (text messages, the channel as a digit). Channels: 0 stdin, 1 stdout, 2 stderr,
 * 3 the status, 4 terminal size. As the kubelet does, an empty message on the lowest output channel tells the client
 * the streams are open; the session ends with the status on channel 3 and a normal closure.
 */
final class WebSocketChannels extends SimpleChannelInboundHandler<WebSocketFrame> implements StreamChannels {
    /** What the server accepts, its preference first (the client's order decides among them). */
    static final String PROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io,v4.base64.channel.k8s.io,channel.k8s.io,"
            + "base64.channel.k8s.io";

    /**
     * How long after the handshake the session opens unless the client speaks first. client-go up to 1.33.1 reads
     * messages before it has made its streams and drops those for a stream it has not made yet
     * (kubernetes/kubernetes#131189): a process whose output followed the handshake at once lost it (kubectl exec
     * printed nothing and exited 0). A real server takes longer than this to reach the kubelet and start the process.
     */
    static final long OPEN_DELAY_MILLIS = 50;

    private final ChannelHandlerContext connection;
    private final StreamChannels.Listener listener;
    private final boolean base64;
    private final boolean statusAsJson;
    private final boolean closeSignal;
    private final boolean tty;
    private final TerminalSizes sizes;
    private final int firstOutputChannel;
    private boolean opened;
    private ScheduledFuture<?> openTimer;
    private boolean finished;
    private final WritabilityWaiters writability = new WritabilityWaiters();

    private WebSocketChannels(ChannelHandlerContext connection, String protocol, ExecOptions options, StreamChannels.Listener listener) {
        this.connection = connection;
        boolean tty = options.tty();
        this.firstOutputChannel = options.stdout() ? 1 : options.stderr() && !tty ? 2 : 3;
        this.listener = listener;
        this.tty = tty;
        this.sizes = new TerminalSizes(listener::resize);
        String p = protocol == null ? "" : protocol;
        this.base64 = p.contains("base64");
        this.statusAsJson = p.startsWith("v4.") || p.startsWith("v5.");
        this.closeSignal = p.startsWith("v5.");
    }

    /**
     * Completes the upgrade on the request's connection and puts the channels in the pipeline; false (answered) when
     * the client's WebSocket version is not one Netty speaks.
     */
    static boolean upgrade(ChannelHandlerContext ctx, ApiRequest req, ExecOptions options, StreamChannels.Listener session) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.path(),
                Unpooled.EMPTY_BUFFER, req.headers(), EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("wss://" + req.header("Host") + req.path(),
                PROTOCOLS, false, 1 << 20).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return false;
        }
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (!f.isSuccess()) {
                session.closed();
                return;
            }
            WebSocketChannels ready = new WebSocketChannels(ctx, handshaker.selectedSubprotocol(), options, session);
            ctx.pipeline().addBefore(ctx.name(), "exec-websocket", ready);
            session.attach(ready);
            ready.openTimer = ctx.executor().schedule(ready::open, OPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        });
        return true;
    }

    /**
     * Opens the session once: at {@link #OPEN_DELAY_MILLIS}, or at the client's first message (a client that writes
     * has made its streams, and its stdin must reach the process).
     */
    private void open() {
        if (opened || finished) return;
        opened = true;
        if (openTimer != null) openTimer.cancel(false);
        // the lowest channel the client reads from carries an empty message: the streams are open
        send(firstOutputChannel, new byte[0]);
        listener.opened();
    }

    private void send(int channel, byte[] data) {
        if (finished || !connection.channel().isActive()) return;
        if (base64) {
            String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(data);
            connection.writeAndFlush(new TextWebSocketFrame(text));
        } else {
            ByteBuf b = connection.alloc().buffer(data.length + 1);
            b.writeByte(channel).writeBytes(data);
            connection.writeAndFlush(new BinaryWebSocketFrame(b));
        }
    }

    @Override
    public void stdout(byte[] data) {
        send(1, data);
    }

    @Override
    public void stderr(byte[] data) {
        send(tty ? 1 : 2, data);
    }

    @Override
    public void finish(ExitStatus status) {
        if (finished) return;
        byte[] body = statusAsJson ? status.json() : status.text();
        if (body.length > 0) send(3, body);
        finished = true;
        if (connection.channel().isActive()) {
            connection.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            if (!finished) {
                finished = true;
                listener.closed();
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        byte[] message;
        int channel;
        if (frame instanceof TextWebSocketFrame text && base64) {
            String s = text.text();
            if (s.isEmpty()) return;
            channel = s.charAt(0) - '0';
            message = Base64.getDecoder().decode(s.substring(1));
        } else if ((frame instanceof BinaryWebSocketFrame || frame instanceof TextWebSocketFrame) && frame.content().isReadable()) {
            // the kubelet's wsstream reads a text message's bytes as it reads a binary one's (the Python client writes
            // stdin given as str in text messages)
            channel = frame.content().readUnsignedByte();
            message = new byte[frame.content().readableBytes()];
            frame.content().readBytes(message);
        } else {
            return;
        }
        open();
        if (channel == 0 && message.length > 0) {
            listener.stdin(message);
        } else if (channel == 255 && closeSignal && message.length > 0 && message[0] == 0) {
            listener.stdinClosed();
        }
        else if (channel == 4) sizes.data(message);
    }

    @Override
    public boolean whenWritable(Runnable task) {
        return !finished && writability.whenWritable(connection.channel(), task);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        writability.changed(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            finished = true;
            listener.closed();
        }
        super.channelInactive(ctx);
    }
}
