package kubefake.server.streams;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;

import java.util.List;

/**
 * Turns a request's connection into a SPDY/3.1 session (client streams odd, this side the server): the 101 with the
 * chosen {@code X-Stream-Protocol-Version}, then Netty's SPDY codec (framing, header compression) and the session as
 * kubectl speaks it ({@link SpdyPeerSession}: pings, no flow control) in place of HTTP, and {@code handler} to serve
 * the streams. Over a WebSocket tunnel the same frames travel in binary messages ({@link #install} after a
 * {@link WebSocketTunnel}).
 */
final class SpdyUpgrade {
    private SpdyUpgrade() {
    }

    static void switchTo(ChannelHandlerContext ctx, String protocol, ChannelHandler handler) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        res.headers().set("Connection", "Upgrade").set("Upgrade", "SPDY/3.1").set("X-Stream-Protocol-Version", protocol);
        ctx.writeAndFlush(res);
        // the response is encoded by now: from here on the bytes are SPDY frames
        ChannelPipeline p = ctx.pipeline();
        for (String name : List.of("http", "malformed", "aggregate")) if (p.get(name) != null) p.remove(name);
        install(ctx, handler);
    }

    /** The SPDY session's handlers, before the request handler's. */
    static void install(ChannelHandlerContext ctx, ChannelHandler handler) {
        ChannelPipeline p = ctx.pipeline();
        p.addBefore(ctx.name(), "spdy", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        p.addBefore(ctx.name(), "spdy-session", new SpdyPeerSession());
        p.addBefore(ctx.name(), "spdy-streams", handler);
    }
}
