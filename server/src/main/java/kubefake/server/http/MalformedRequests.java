package kubefake.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Requests that never reach the API, answered as Go's net/http server answers them before any handler runs:
 * a request line or headers over the limit get {@code 431 Request Header Fields Too Large}, then the connection is
 * half-closed and closed half a second later (Go's closeWriteAndWait, so the client can read the answer while it still
 * sends); anything the HTTP parser cannot read gets {@code 400 Bad Request}, an HTTP/1.1 request without a Host
 * {@code 400 Bad Request: missing required Host header}, a version other than 1.x
 * {@code 505 HTTP Version Not Supported: unsupported protocol version}; these close at once. Go writes them by hand:
 * the status line again as the body, plain text, {@code Connection: close}, no Content-Length.
 */
final class MalformedRequests extends ChannelInboundHandlerAdapter {
    /** Go's rstAvoidanceDelay: how long a refused connection stays half-closed before it is closed. */
    private static final long CLOSE_DELAY_MILLIS = 500;

    /** After a refusal nothing more is read from the connection into the pipeline. */
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        HttpResponseStatus refusal = msg instanceof HttpRequest request ? refusal(request) : null;
        if (refusal == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        refuse(ctx, refusal);
    }

    /** Go's answer to a request it cannot serve, or null for a good one. */
    private static HttpResponseStatus refusal(HttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            return result.cause() instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
        }
        if (request.protocolVersion().majorVersion() != 1) {
            return new HttpResponseStatus(505, "HTTP Version Not Supported: unsupported protocol version");
        }
        if (request.protocolVersion().minorVersion() >= 1 && !request.headers().contains(HttpHeaderNames.HOST)) {
            return new HttpResponseStatus(400, "Bad Request: missing required Host header");
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status) {
        refused = true;
        byte[] body = (status.code() + " " + status.reasonPhrase()).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status.code() != 431) {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(res).addListener((ChannelFutureListener) f -> {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null && f.isSuccess()) tls.closeOutbound();
            ctx.executor().schedule(() -> ctx.close(), CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}
