package kubefake.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

/**
 * Collects a request's body up to the real API server's limit (3 MiB) and answers a larger one with its
 * 413 RequestEntityTooLarge Status (the rest of the body is read and dropped).
 */
final class BodySizeLimit extends HttpObjectAggregator {
    static final int MAX_BODY = 3 * 1024 * 1024;

    BodySizeLimit() {
        super(MAX_BODY);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // the aggregator discards the rest of this body; the connection stays usable
        ctx.writeAndFlush(tooLarge());
    }

    /** With `Expect: 100-continue` a too large body is refused before it is sent, with the same Status. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, io.netty.channel.ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            r.release();
            return tooLarge();
        }
        return answer;
    }

    private static FullHttpResponse tooLarge() {
        byte[] body = Json.bytes(StatusException.requestEntityTooLarge("limit is " + MAX_BODY).toStatusJson());
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return res;
    }
}
