package kubefake.server.streams;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import kubefake.server.http.ApiRequest;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * exec and attach over SPDY/3.1 (kubectl up to 1.29, and the fallback of later ones): the upgrade answered 101 with
 * the chosen {@code X-Stream-Protocol-Version}, then the client opens one stream per channel, named by its
 * {@code streamtype} header (error, stdin, stdout, stderr, resize), each answered with a SYN_REPLY. Netty's SPDY codec
 * does the framing and header compression, {@link SpdyPeerSession} the pings. The process starts once the
 * streams the request asked for are open; the session ends with the Status on the error stream and FIN on every
 * stream, then the connection closes.
 */
final class SpdyChannels extends ChannelInboundHandlerAdapter implements StreamChannels {
    /** The protocols the kubelet's remotecommand server speaks over SPDY, in its order (v5 is the API server's own). */
    static final List<String> PROTOCOLS = List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
            "channel.k8s.io");

    private final StreamChannels.Listener listener;
    private final Set<String> expected = new LinkedHashSet<>();
    private final Map<String, Integer> streams = new HashMap<>();
    private final Map<Integer, String> types = new HashMap<>();
    private final boolean statusAsJson;
    private final boolean tty;
    private final TerminalSizes sizes;
    private ChannelHandlerContext ctx;
    private boolean opened;
    private boolean finished;
    private final WritabilityWaiters writability = new WritabilityWaiters();

    private SpdyChannels(String protocol, ExecOptions options, StreamChannels.Listener listener) {
        this.listener = listener;
        this.statusAsJson = protocol.startsWith("v4.");
        this.tty = options.tty();
        this.sizes = new TerminalSizes(listener::resize);
        expected.add("error");
        if (options.stdin()) expected.add("stdin");
        if (options.stdout()) expected.add("stdout");
        if (options.stderr() && !options.tty()) expected.add("stderr");
    }

    /**
     * The protocol both sides speak: the first the client offers that the server accepts (httpstream's
     * negotiation), or null.
     */
    static String negotiate(ApiRequest req) {
        for (String offered : req.headers().getAll("X-Stream-Protocol-Version")) {
            for (String p : offered.split(",")) {
                if (PROTOCOLS.contains(p.trim())) return p.trim();
            }
        }
        return null;
    }

    /** Answers 101 and turns the connection into a SPDY session served by the returned channels. */
    static SpdyChannels upgrade(ChannelHandlerContext ctx, String protocol, ExecOptions options, StreamChannels.Listener session) {
        SpdyChannels channels = new SpdyChannels(protocol, options, session);
        session.attach(channels);
        SpdyUpgrade.switchTo(ctx, protocol, channels);
        return channels;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof SpdySynStreamFrame syn) {
                String type = syn.headers().getAsString("streamtype");
                type = type == null ? "" : type.toLowerCase(Locale.ROOT);
                streams.put(type, syn.streamId());
                types.put(syn.streamId(), type);
                // Netty leaves an empty header block out, which Go's framer cannot read: the reply names the stream's type
                DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
                reply.headers().set("streamtype", type);
                ctx.writeAndFlush(reply);
                if (!opened && streams.keySet().containsAll(expected)) {
                    opened = true;
                    listener.opened();
                }
                if (syn.isLast() && type.equals("stdin")) listener.stdinClosed();
            } else if (msg instanceof SpdyDataFrame data) {
                String type = types.get(data.streamId());
                if ("stdin".equals(type)) {
                    if (data.content().isReadable()) {
                        byte[] bytes = new byte[data.content().readableBytes()];
                        data.content().readBytes(bytes);
                        listener.stdin(bytes);
                    }
                    if (data.isLast()) listener.stdinClosed();
                }
                if ("resize".equals(type) && data.content().isReadable()) {
                    byte[] bytes = new byte[data.content().readableBytes()];
                    data.content().readBytes(bytes);
                    sizes.data(bytes);
                }
            } else if (msg instanceof SpdyRstStreamFrame rst) {
                if ("stdin".equals(types.get(rst.streamId()))) listener.stdinClosed();
            } else if (msg instanceof SpdyGoAwayFrame) {
                close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void send(String type, byte[] data) {
        Integer id = streams.get(type);
        if (id == null || finished || !ctx.channel().isActive()) return;
        ctx.writeAndFlush(new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(data)));
    }

    @Override
    public void stdout(byte[] data) {
        send("stdout", data);
    }

    @Override
    public void stderr(byte[] data) {
        send(tty ? "stdout" : "stderr", data);
    }

    @Override
    public void finish(ExitStatus status) {
        if (finished) return;
        byte[] body = statusAsJson ? status.json() : status.text();
        if (body.length > 0) send("error", body);
        finished = true;
        if (!ctx.channel().isActive()) return;
        for (String type : List.of("error", "stdout", "stderr")) {
            Integer id = streams.get(type);
            if (id == null) continue;
            SpdyDataFrame fin = new DefaultSpdyDataFrame(id);
            fin.setLast(true);
            ctx.write(fin);
        }
        ctx.writeAndFlush(new DefaultSpdyGoAwayFrame(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void close() {
        if (finished) return;
        finished = true;
        listener.closed();
        ctx.close();
    }

    @Override
    public boolean whenWritable(Runnable task) {
        return !finished && writability.whenWritable(ctx.channel(), task);
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close();
    }
}
