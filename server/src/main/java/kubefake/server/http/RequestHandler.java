package kubefake.server.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.server.auth.AuthenticationFailedException;
import kubefake.certs.ClientCertificateVerifier;
import kubefake.certs.ClientIdentity;
import kubefake.server.auth.TokenAuthenticator;
import kubefake.store.mvcc.DeferredDurability;
import kubefake.store.registry.request.UserInfo;
import kubefake.server.encoding.PrettyPrint;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.Waiting;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of every connection's pipeline: authenticates each request (client certificate, then bearer
 * token, else anonymous; invalid credentials get 401), routes it, admits it (in-flight limits, request deadline) and
 * serves it; renders thrown {@link StatusException}s as Status bodies and anything else as a 500 InternalError.
 * <p>
 * A request that {@link RegistryWork} takes off the event loop is served on its pool; its answer is written from the
 * event loop. Until its handler has returned, the connection's later requests (a client that pipelines) wait, so that
 * answers leave in the order of the requests.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);
    /** The connection's client-certificate result: a UserInfo, an AuthenticationFailedException, or NO_CERT. */
    private static final AttributeKey<Object> CERT_USER = AttributeKey.valueOf("kubefake.certUser");
    private static final Object NO_CERT = new Object();

    /**
     * An answer's headers: their names are this server's constants, so Netty need not check each name's characters
     * as it does for headers from the network (values are not checked either way).
     */
    private static final HttpHeadersFactory REPLY_HEADERS = DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);

    /** Bodies larger than this are written in slices of this size. */
    private static final int STREAMED_SLICE = 256 * 1024;

    private final ApiDispatcher dispatcher;
    private final ClientCertificateVerifier certificates;
    private final TokenAuthenticator tokens;
    private final InFlightLimits inFlight;
    private final ConnectionTimeouts timeouts;
    private final ServingOptions options;
    private final RegistryWork registryWork;
    private final RequestObserver observer;
    /** A request of this connection is being served off the event loop; later ones wait in {@link #waiting}. */
    private boolean servingElsewhere;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

    RequestHandler(ApiDispatcher dispatcher, ClientCertificateVerifier certificates, TokenAuthenticator tokens,
                   InFlightLimits inFlight, ConnectionTimeouts timeouts, ServingOptions options, RegistryWork registryWork,
                   RequestObserver observer) {
        super(false);
        this.observer = observer;
        this.registryWork = registryWork;
        this.dispatcher = dispatcher;
        this.certificates = certificates;
        this.tokens = tokens;
        this.inFlight = inFlight;
        this.timeouts = timeouts;
        this.options = options;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        if (servingElsewhere) {
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false); // nothing more is read until the waiting requests are served
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        Exchange exchange = new Exchange(ctx, keepAlive, options.minRequestTimeout(), msg.headers().get(HttpHeaderNames.ACCEPT),
                msg.headers().get(HttpHeaderNames.USER_AGENT), msg.uri());
        try {
            RequestTarget target;
            try {
                target = RequestTarget.parse(msg.uri());
            } catch (RequestTarget.MalformedException e) {
                // Go's HTTP server cannot read such a request: a plain-text 400 and the connection closed
                new Exchange(ctx, false, options.minRequestTimeout(), null, null, null).reply(Reply.of(400,
                        "text/plain; charset=utf-8", "400 Bad Request".getBytes(StandardCharsets.UTF_8)).header("Connection", "close"));
                return;
            }
            byte[] body = ByteBufUtil.getBytes(msg.content());
            UserInfo user;
            try {
                user = authenticate(ctx, msg.headers().get(HttpHeaderNames.AUTHORIZATION));
            } catch (AuthenticationFailedException e) {
                exchange.reply(Reply.error(StatusException.unauthorized()));
                return;
            }
            ApiRequest request = new ApiRequest(msg.method(), target.path(), target.query(), msg.headers(), body, user);
            exchange.observedBy(observer, request);
            Route route = dispatcher.route(request);
            exchange.routed(route.info());
            if (!admit(route.kind(), request, exchange)) return;
            if (registryWork.offloads(route.kind()) || !serveHere(ctx, route, exchange, msg.method().name(), msg.uri())) {
                serveElsewhere(ctx, route, exchange, msg.method().name(), msg.uri());
                return;
            }
            exchange.handlerReturned();
        } catch (Exception | StackOverflowError e) {
            failed(exchange, e, msg.method().name(), msg.uri());
        } finally {
            msg.release();
        }
    }

    /**
     * Serves the request on the event loop: false when it must wait (and has written nothing), to be served again on
     * the registry pool, which waits.
     */
    private boolean serveHere(ChannelHandlerContext ctx, Route route, Exchange exchange, String method, String uri)
            throws Exception {
        if (!registryWork.takesWaits()) {
            route.handler().serve(exchange);
            return true;
        }
        DeferredDurability durability = route.kind() == RequestKind.MUTATING ? registryWork.durability() : null;
        if (durability != null) return serveDeferred(ctx, route, exchange, durability, method, uri);
        Waiting.forbid();
        try {
            route.handler().serve(exchange);
            return true;
        } catch (Waiting.Required e) {
            return false;
        } finally {
            Waiting.permit();
        }
    }

    /**
     * Serves a write on the event loop without waiting for its durability: its answer (a failure's too) is held until
     * the store says that what the request wrote is durable (when it wrote nothing, everything ordered in the log by
     * then), and the connection's later requests wait for it, so that answers leave in order and a client never hears
     * of a write that a crash could lose.
     */
    private boolean serveDeferred(ChannelHandlerContext ctx, Route route, Exchange exchange, DeferredDurability durability,
                                  String method, String uri) {
        Waiting.forbid();
        DeferredDurability.Deferral deferral = DeferredDurability.begin();
        exchange.holdAnswer();
        long revision;
        try {
            route.handler().serve(exchange);
        } catch (Waiting.Required e) {
            deferral.end(); // nothing was written
            exchange.releaseAnswer(null);
            return false;
        } catch (Exception | StackOverflowError e) {
            failed(exchange, e, method, uri);
        } finally {
            revision = deferral.end();
            Waiting.permit();
        }
        // an answer that wrote nothing may still rest on writes of in-process components not durable yet
        if (revision == 0) revision = durability.orderedRevision();
        if (durability.isDurable(revision)) {
            exchange.releaseAnswer(null);
            return true;
        }
        servingElsewhere = true; // the connection's next requests wait for this answer
        durability.whenDurable(revision, failure -> ctx.executor().execute(() -> {
            if (failure != null) LOG.warn("{} {}: the write is not durable", method, uri, failure);
            exchange.releaseAnswer(failure);
            resume(ctx);
        }));
        return true;
    }

    /** Serves the request on the registry pool; back on the event loop, the connection's next requests go on. */
    private void serveElsewhere(ChannelHandlerContext ctx, Route route, Exchange exchange, String method, String uri) {
        servingElsewhere = true;
        exchange.armDeadline(); // the handler runs elsewhere: the deadline is watched from the start
        registryWork.executor().execute(() -> {
            try {
                route.handler().serve(exchange);
            } catch (Exception | StackOverflowError e) {
                failed(exchange, e, method, uri);
            } finally {
                // queued behind the answer (if any), which the event loop writes first
                ctx.executor().execute(() -> {
                    exchange.handlerReturned();
                    resume(ctx);
                });
            }
        });
    }

    /** The request served elsewhere is done: the ones that came meanwhile are served in order, then reading resumes. */
    private void resume(ChannelHandlerContext ctx) {
        servingElsewhere = false;
        FullHttpRequest next;
        while (!servingElsewhere && (next = waiting.poll()) != null) handle(ctx, next);
        if (!servingElsewhere) ctx.channel().config().setAutoRead(true);
    }

    /** A thrown Status is the answer; anything else is a bug, answered with the 500 InternalError. */
    private static void failed(Exchange exchange, Throwable e, String method, String uri) {
        if (e instanceof StatusException status) {
            exchange.reply(Reply.error(status));
            return;
        }
        LOG.warn("{} {} failed", method, uri, e);
        exchange.reply(Reply.error(StatusException.internal(String.valueOf(e.getMessage()))));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest m;
        while ((m = waiting.poll()) != null) m.release();
        super.channelInactive(ctx);
    }

    /**
     * kube-apiserver's request deadline and max-in-flight filters, in their order: a long-running request passes both;
     * any other gets its deadline (a bad ?timeout= is a 400), then a slot or the 429.
     */
    private boolean admit(RequestKind kind, ApiRequest request, Exchange exchange) {
        if (kind == RequestKind.LONG_RUNNING) return true;
        long deadline = timeouts.requestStarted() + RequestTimeout.nanos(request, options.requestTimeout());
        InFlightLimits.Slot slot = inFlight.acquire(kind, request.user());
        if (slot == null) {
            exchange.reply(InFlightLimits.tooManyRequests());
            return false;
        }
        exchange.admitted(slot, deadline);
        return true;
    }

    private UserInfo authenticate(ChannelHandlerContext ctx, String authorization) throws AuthenticationFailedException {
        Object cert = ctx.channel().attr(CERT_USER).get();
        if (cert == null) {
            cert = certificateUser(ctx);
            ctx.channel().attr(CERT_USER).set(cert);
        }
        if (cert instanceof UserInfo u) return u;
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        // an empty bearer token is no credential at all, as for the real token authenticator
        if (!token.isEmpty()) {
            UserInfo u = tokens.user(token);
            if (u == null) throw new AuthenticationFailedException("invalid bearer token");
            return u;
        }
        if (cert instanceof AuthenticationFailedException e) throw e;
        return UserInfo.ANONYMOUS;
    }

    private Object certificateUser(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) return NO_CERT;
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            List<X509Certificate> x509 = Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
            ClientIdentity id = certificates.verify(x509);
            List<String> groups = new ArrayList<>(id.groups());
            groups.add("system:authenticated");
            return new UserInfo(id.user(), "", List.copyOf(groups));
        } catch (SSLPeerUnverifiedException e) {
            return NO_CERT;
        } catch (CertificateException e) {
            return new AuthenticationFailedException(e.getMessage());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error", cause);
        ctx.close();
    }

    private static final class Exchange implements HttpExchange {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final Duration minRequestTimeout;
        /** What an error reply is negotiated from: the request's Accept, User-Agent and query. */
        private final String accept;
        private final String userAgent;
        private final String uri;
        /** Set once admitted: the in-flight slot held until the answer is written, and the request's deadline. */
        private InFlightLimits.Slot slot;
        private long deadline;
        /** Armed only when the answer is not out once the handler has returned (most answers leave at once). */
        private ScheduledFuture<?> deadlineTimer;
        private boolean answering;
        /** The answer waits for the request's writes to be durable (see {@link #holdAnswer}); held is that answer. */
        private boolean holding;
        private Reply held;
        private boolean timedOut;
        private boolean done;
        /** Told of the first answer written (the request metrics), with the time since the request was read. */
        private RequestObserver observer;
        private ApiRequest request;
        private Object routeInfo;
        private final long received = System.nanoTime();

        Exchange(ChannelHandlerContext ctx, boolean keepAlive, Duration minRequestTimeout, String accept, String userAgent,
                 String uri) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.minRequestTimeout = minRequestTimeout;
            this.accept = accept;
            this.userAgent = userAgent;
            this.uri = uri;
        }

        void observedBy(RequestObserver o, ApiRequest r) {
            observer = o;
            request = r;
        }

        void routed(Object info) {
            routeInfo = info;
        }

        void admitted(InFlightLimits.Slot slot, long deadline) {
            this.slot = slot;
            this.deadline = deadline;
        }

        /** The handler has returned: if it has not answered (it will later, or never), the deadline must watch it. */
        void handlerReturned() {
            if (!answering) armDeadline();
        }

        /**
         * A handler on this event loop cannot be overtaken by the timer, so the deadline needs one only for what outlives
         * it, or from the start for a handler that runs elsewhere.
         */
        void armDeadline() {
            if (slot == null || done || deadlineTimer != null) return;
            deadlineTimer = ctx.executor().schedule(this::deadlinePassed, Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }

        /**
         * The deadline came before the answer was written: if none has started, the timeout filter's 504 (and the
         * handler's late answer is dropped); if one is being written, the connection is dropped, as the real
         * filter aborts the handler.
         */
        private void deadlinePassed() {
            if (done || timedOut) return;
            timedOut = true;
            if (answering) {
                // closed from the TLS handler's own context, the close goes straight to the socket: what is still
                // queued is dropped rather than flushed first, as a graceful TLS close would try to
                ctx.pipeline().firstContext().close();
                finished();
            } else {
                write(RequestTimeout.timedOut());
            }
        }

        /** The answer is out (or will never be): the slot is given back and the deadline forgotten. */
        private void finished() {
            if (done) return;
            done = true;
            if (deadlineTimer != null) deadlineTimer.cancel(false);
            slot.release();
        }

        /** From now on the answer is held, until {@link #releaseAnswer}: what the request wrote is not durable yet. */
        void holdAnswer() {
            holding = true;
        }

        /**
         * What the request wrote is durable (failure null): the held answer goes out; or it never will be: the 500
         * that the failed write gets when it waits in its thread.
         */
        void releaseAnswer(RuntimeException failure) {
            holding = false;
            Reply answer = held;
            held = null;
            if (failure != null) answer = Reply.error(StatusException.internal(String.valueOf(failure.getMessage())));
            if (answer != null) reply(answer);
        }

        @Override
        public void reply(Reply reply) {
            if (!ctx.executor().inEventLoop()) {
                // from a handler served elsewhere: the exchange's state and the connection belong to the event loop
                Reply answer = reply;
                ctx.executor().execute(() -> reply(answer));
                return;
            }
            if (timedOut) return;
            if (holding) {
                if (held == null) held = reply;
                return;
            }
            if (reply.error() != null) reply = reply.negotiated(accept, PrettyPrint.requested(prettyParameter(), userAgent));
            // the timer may not have fired yet (a handler on this event loop holds it up): a late answer is caught here
            if (slot != null && System.nanoTime() - deadline >= 0) {
                deadlinePassed();
                return;
            }
            answering = true;
            write(reply);
            armDeadline(); // the answer is still being written (a slow reader): it must end by the deadline
        }

        private void write(Reply reply) {
            if (observer != null) {
                observer.answered(request, routeInfo, reply.status(), System.nanoTime() - received);
                observer = null;
            }
            // an admitted request holds its slot until the last byte of its answer is written
            ChannelPromise written = slot == null ? ctx.voidPromise() : ctx.newPromise().addListener(f -> finished());
            byte[] body = reply.body();
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), REPLY_HEADERS);
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            for (Map.Entry<String, String> h : reply.headers().entrySet()) res.headers().set(h.getKey(), h.getValue());
            // the request's warnings go with any answer, an error too (`Warning: 299 - "<text>"`, printed by kubectl)
            for (String w : request == null ? List.<String>of() : request.warnings().texts()) {
                String header = FieldValidation.warningHeader(w);
                if (header != null) res.headers().add("Warning", header);
            }
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            if (body.length <= STREAMED_SLICE) {
                ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, res.status(), Unpooled.wrappedBuffer(body),
                        res.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE), written);
            } else {
                // a large body (a list of thousands of objects) leaves in slices, each encrypted and sent while the
                // next is prepared, instead of all being encrypted before the first byte goes out
                ctx.write(res, ctx.voidPromise());
                for (int off = 0; off < body.length; off += STREAMED_SLICE) {
                    int len = Math.min(STREAMED_SLICE, body.length - off);
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(body, off, len)), ctx.voidPromise());
                }
                ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, written);
            }
            if (keepAlive) ctx.flush();
            else ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        private String prettyParameter() {
            if (uri == null) return null;
            try {
                List<String> values = RequestTarget.parse(uri).query().get("pretty");
                return values == null || values.isEmpty() ? null : values.get(0);
            } catch (RequestTarget.MalformedException e) {
                return null;
            }
        }

        @Override
        public ChannelHandlerContext context() {
            return ctx;
        }

        @Override
        public boolean keepAlive() {
            return keepAlive;
        }

        @Override
        public Duration watchTimeout(long timeoutSeconds) {
            return RequestTimeout.watch(timeoutSeconds, minRequestTimeout);
        }
    }
}
