package kubefake.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one connection, as Go's http.Server applies kube-apiserver's settings: after the TLS handshake (which
 * the TLS handler bounds by the same time) and from the first byte of every later request, the request line and headers
 * must arrive within the read-header timeout; a keep-alive connection waiting for its next request is closed after the
 * idle timeout; both close without an answer, as Go does. A request body must arrive within the request timeout (else
 * the timeout filter's 504, and the connection is closed). While a request is being answered, and for ever after a
 * WebSocket upgrade, the connection has no timeout of its own: the request's deadline or the stream's rules apply.
 * <p>
 * Two handlers share this state: {@link #bytesSeen()} sits before the HTTP codec (it sees a request's first byte),
 * this one after it (it sees whole requests and responses). One timer per connection, moved lazily: a phase change only
 * writes fields, and the timer is rescheduled when it fires early or when a phase needs it sooner.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
    private enum Phase {
        /** TLS handshake: the TLS handler's own timeout applies. */
        HANDSHAKE,
        /** Waiting for a request's line and headers. */
        HEADERS,
        /** Headers in, body still arriving. */
        BODY,
        /** A request is being answered (or streamed). */
        BUSY,
        /** Keep-alive: waiting for the first byte of the next request. */
        IDLE,
        /** A WebSocket, or closing: no timeout. */
        DONE
    }

    private final long readHeaderNanos;
    private final long idleNanos;
    private final long requestNanos;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.HANDSHAKE;
    private long deadline;
    /** Requests whose final response has not been written yet (more than one only when a client pipelines). */
    private int unanswered;
    private long requestStarted;
    private ScheduledFuture<?> timer;
    private long timerAt;

    ConnectionTimeouts(ServingOptions options) {
        this.readHeaderNanos = options.readHeaderTimeout().toNanos();
        this.idleNanos = options.idleTimeout().toNanos();
        this.requestNanos = options.requestTimeout().toNanos();
    }

    /** The handler to put before the HTTP codec: the first byte of a request ends the idle wait. */
    ChannelHandler bytesSeen() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (phase == Phase.IDLE) enter(Phase.HEADERS, System.nanoTime() + readHeaderNanos);
                c.fireChannelRead(msg);
            }
        };
    }

    /** System.nanoTime() when the latest request's headers were complete: where its deadline counts from. */
    long requestStarted() {
        return requestStarted;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess() && phase == Phase.HANDSHAKE) {
            enter(Phase.HEADERS, System.nanoTime() + readHeaderNanos);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (phase != Phase.DONE) {
            if (msg instanceof HttpRequest) {
                unanswered++;
                requestStarted = System.nanoTime();
                enter(Phase.BODY, requestStarted + requestNanos);
            }
            if (msg instanceof LastHttpContent) {
                // an answer may already be out (a 413 for a body too large is sent before the body's end)
                if (unanswered > 0) enter(Phase.BUSY, 0);
                else enter(Phase.IDLE, System.nanoTime() + idleNanos);
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse res && res.status().code() == 101) {
            enter(Phase.DONE, 0); // a WebSocket from now on
        } else if (phase != Phase.DONE && msg instanceof LastHttpContent && !informational(msg)) {
            promise = promise.unvoid();
            promise.addListener(f -> responseWritten());
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        enter(Phase.DONE, 0);
        super.channelInactive(ctx);
    }

    private static boolean informational(Object msg) {
        return msg instanceof HttpResponse res && res.status().code() < 200;
    }

    private void responseWritten() {
        if (unanswered > 0) unanswered--;
        if (unanswered == 0 && phase == Phase.BUSY) enter(Phase.IDLE, System.nanoTime() + idleNanos);
    }

    /** Into the next phase, whose time runs out at {@code until} (a System.nanoTime() value; 0: no timeout). */
    private void enter(Phase next, long until) {
        phase = next;
        if (until == 0) {
            if (next == Phase.DONE && timer != null) {
                timer.cancel(false);
                timer = null;
            }
            return;
        }
        deadline = until;
        if (timer == null || timerAt - deadline > 0) schedule(deadline);
    }

    private void schedule(long at) {
        if (timer != null) timer.cancel(false);
        timerAt = at;
        timer = ctx.executor().schedule(this::check, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (phase != Phase.HEADERS && phase != Phase.BODY && phase != Phase.IDLE) return;
        if (System.nanoTime() - deadline < 0) {
            schedule(deadline);
            return;
        }
        Phase expired = phase;
        enter(Phase.DONE, 0);
        if (expired == Phase.BODY) {
            ctx.writeAndFlush(bodyTimedOut()).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close(); // Go answers nothing when the headers or the next request do not come
        }
    }

    private static FullHttpResponse bodyTimedOut() {
        Reply timedOut = RequestTimeout.timedOut();
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.GATEWAY_TIMEOUT,
                Unpooled.wrappedBuffer(timedOut.body()));
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, timedOut.contentType());
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, timedOut.body().length);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return res;
    }
}
