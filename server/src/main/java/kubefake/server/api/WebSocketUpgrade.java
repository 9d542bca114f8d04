package kubefake.server.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import kubefake.server.http.ApiRequest;

/**
 * The WebSocket form of a watch (the real API server serves a watch over a WebSocket when asked to upgrade; the
 * fabric8 client does so by default): the handshake on the request's connection, then one text message per event,
 * pings answered, and the client's close ending the watch.
 */
final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    static boolean requested(ApiRequest req) {
        String upgrade = req.header("Upgrade");
        String connection = req.header("Connection");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket")
                && connection != null && connection.toLowerCase(java.util.Locale.ROOT).contains("upgrade");
    }

    /**
     * Completes the handshake (the response carries the stream's {@code contentType}); returns false (after
     * answering) when the client's WebSocket version is not supported.
     * {@code stream} is told when the client closes.
     */
    static boolean handshake(ChannelHandlerContext ctx, ApiRequest req, String contentType,
                             java.util.function.Supplier<WatchStream> stream) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.path(),
                Unpooled.EMPTY_BUFFER, req.headers(), EmptyHttpHeaders.INSTANCE);
        // any subprotocol the client offers is fine: events are text (JSON) or binary (protobuf) messages either way
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("wss://" + req.header("Host") + req.path(),
                "*", false, 1 << 20).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return false;
        }
        // the switching response names the stream's media type, as the real server's does
        handshaker.handshake(ctx.channel(), request,
                new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, contentType), ctx.newPromise());
        ctx.pipeline().addBefore(ctx.name(), "watch-websocket", new SimpleChannelInboundHandler<WebSocketFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext c, WebSocketFrame frame) {
                if (frame instanceof PingWebSocketFrame ping) {
                    c.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
                } else if (frame instanceof CloseWebSocketFrame close) {
                    WatchStream s = stream.get();
                    if (s != null) s.clientClosed();
                    c.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
                }
                // other frames from the client mean nothing to a watch
            }
        });
        return true;
    }
}
