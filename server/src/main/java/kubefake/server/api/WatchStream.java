package kubefake.server.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.server.printers.Tables;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceWatch;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.WatchEvent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A watch response: chunked HTTP/1.1, one JSON event per line ({"type":…,"object":…}), flushed as events come.
 * Events are pulled from the {@link ResourceWatch} on the connection's event loop only while the socket is
 * writable; a client that does not read lets the watch's bounded buffer overflow, which ends the stream (the client
 * re-lists), so the server never queues without bound. Ends after its timeout (the request's timeoutSeconds, else
 * kube-apiserver's --min-request-timeout × [1, 2): see {@link kubefake.server.http.HttpExchange#watchTimeout}), when the
 * client goes away, or when the watch closes.
 */
public final class WatchStream {
    private static final int BATCH = 256;
    private static final long BOOKMARK_PERIOD_SECONDS = 60;

    private final ChannelHandlerContext ctx;
    private final ResourceWatch watch;
    private final OutputFormat format;
    private final Tables.IncludeObject include;
    private final boolean bookmarks;
    private final Clock clock;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private boolean headersSentForTable;
    private boolean finished;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> bookmarkTimer;
    private long lastRevision;
    private final boolean keepAlive;
    /** Events go as WebSocket text messages, one per event, instead of HTTP chunks (the upgrade is already done). */
    private final boolean webSocket;
    private final GenericFutureListener<Future<? super Void>> onClose =
            f -> stop();

    private WatchStream(ChannelHandlerContext ctx, ResourceWatch watch, OutputFormat format,
                        Tables.IncludeObject include, boolean bookmarks, Clock clock, boolean keepAlive,
                        boolean webSocket) {
        this.keepAlive = keepAlive;
        this.webSocket = webSocket;
        this.ctx = ctx;
        this.watch = watch;
        this.format = format;
        this.include = include;
        this.bookmarks = bookmarks;
        this.clock = clock;
        this.lastRevision = watch.startRevision();
    }

    /** Opens the watch and starts streaming on the context's channel as a chunked HTTP response. */
    public static void start(ChannelHandlerContext ctx, Function<Runnable, ResourceWatch> open,
                             OutputFormat format, Tables.IncludeObject include, boolean bookmarks,
                             Duration timeout, Clock clock, boolean keepAlive) {
        start(ctx, open, format, include, bookmarks, timeout, clock, keepAlive, null);
    }

    /**
     * As above; with an {@code upgrade} the connection is switched to a WebSocket once the watch is open (so that
     * bad options are still answered over HTTP) and each event is one text message. The upgrade returns the
     * handshake's outcome and is given the stream, to tell it when the client closes.
     */
    public static void start(ChannelHandlerContext ctx, Function<Runnable, ResourceWatch> open,
                             OutputFormat format, Tables.IncludeObject include, boolean bookmarks,
                             Duration timeout, Clock clock, boolean keepAlive,
                             Predicate<Supplier<WatchStream>> upgrade) {
        Holder holder = new Holder();
        ResourceWatch watch = open.apply(() -> {
            WatchStream s = holder.stream;
            if (s != null) s.scheduleDrain();
            else holder.readyEarly = true;
        });
        if (upgrade != null && !upgrade.test(() -> holder.stream)) {
            watch.close();
            return;
        }
        WatchStream stream = new WatchStream(ctx, watch, format, include, bookmarks, clock, keepAlive, upgrade != null);
        holder.stream = stream;
        stream.begin(timeout);
        if (holder.readyEarly) stream.scheduleDrain();
    }

    private static final class Holder {
        volatile WatchStream stream;
        volatile boolean readyEarly;
    }

    private void begin(Duration timeoutAfter) {
        if (!webSocket) {
            HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            HttpUtil.setTransferEncodingChunked(res, true);
            ctx.writeAndFlush(res);
        }
        timeout = ctx.executor().schedule(this::finish, timeoutAfter.toNanos(), TimeUnit.NANOSECONDS);
        if (bookmarks) {
            bookmarkTimer = ctx.executor().scheduleAtFixedRate(this::sendBookmark, BOOKMARK_PERIOD_SECONDS,
                    BOOKMARK_PERIOD_SECONDS, TimeUnit.SECONDS);
        }
        ctx.channel().closeFuture().addListener(onClose);
        if (ctx.pipeline().get("watch-writability") != null) ctx.pipeline().remove("watch-writability");
        ctx.pipeline().addBefore(ctx.name(), "watch-writability", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext c) throws Exception {
                if (c.channel().isWritable()) scheduleDrain();
                super.channelWritabilityChanged(c);
            }
        });
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            ctx.executor().execute(() -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** Writes what the watch holds while the socket takes it; true when nothing was left waiting. */
    private boolean drain() {
        if (finished) return false;
        boolean wrote = false;
        boolean empty = false;
        while (ctx.channel().isWritable()) {
            List<WatchEvent> events = watch.poll(BATCH);
            if (events.isEmpty()) {
                empty = true;
                break;
            }
            if (webSocket) {
                for (WatchEvent e : events) {
                    ByteBuf buf = ctx.alloc().buffer(512);
                    writeEvent(buf, e);
                    ctx.write(new TextWebSocketFrame(buf));
                }
            } else {
                ByteBuf buf = ctx.alloc().buffer(events.size() * 512);
                for (WatchEvent e : events) writeEvent(buf, e);
                ctx.write(new DefaultHttpContent(buf));
            }
            wrote = true;
        }
        if (wrote) ctx.flush();
        if (watch.isClosed()) finish();
        return empty;
    }

    private void writeEvent(ByteBuf buf, WatchEvent e) {
        buf.writeBytes(("{\"type\":\"" + e.type().name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
        switch (e.type()) {
            case ERROR -> buf.writeBytes(Json.bytes(e.error().toStatusJson()));
            case BOOKMARK -> buf.writeBytes(e.object().withTypeMeta());
            default -> {
                lastRevision = Math.max(lastRevision, e.object().resourceVersion());
                buf.writeBytes(render(e.object()));
            }
        }
        buf.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
    }

    private byte[] render(StoredObject o) {
        return switch (format) {
            case TABLE -> {
                var meta = Json.MAPPER.createObjectNode().put("resourceVersion", Long.toString(o.resourceVersion()));
                var table = TableRenderer.table(o.type(), List.of(o), meta, include, !headersSentForTable, clock.instant());
                headersSentForTable = true;
                yield Json.bytes(table);
            }
            case PARTIAL_METADATA, PARTIAL_METADATA_LIST -> Json.bytes(Tables.partialObjectMetadata(o.toNode()));
            default -> o.withTypeMeta();
        };
    }

    private void sendBookmark() {
        // every event up to `delivered` is in the watch's hands: once they are all written, a bookmark at that
        // revision cannot make the client skip one
        long delivered = watch.deliveredRevision();
        if (!drain() || finished || !ctx.channel().isWritable()) return;
        long rv = Math.max(lastRevision, delivered);
        ByteBuf buf = ctx.alloc().buffer(256);
        writeEvent(buf, new WatchEvent(WatchEvent.Type.BOOKMARK, watch.bookmark(rv, false), null));
        ctx.writeAndFlush(webSocket ? new TextWebSocketFrame(buf) : new DefaultHttpContent(buf));
    }

    /** Ends the response (the last chunk); the connection stays open for the next request unless it asked otherwise. */
    private void finish() {
        if (finished) return;
        stop();
        ctx.channel().closeFuture().removeListener(onClose);
        if (ctx.channel().isActive() && webSocket) {
            // a WebSocket watch ends with a normal closure, and the connection with it
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        } else if (ctx.channel().isActive()) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) f -> {
                if (ctx.pipeline().get("watch-writability") != null) ctx.pipeline().remove("watch-writability");
                if (!keepAlive) ctx.close();
            });
        }
    }

    /** Ends the watch because the client closed its WebSocket. */
    void clientClosed() {
        if (finished) return;
        stop();
        ctx.channel().closeFuture().removeListener(onClose);
    }

    private void stop() {
        finished = true;
        watch.close();
        if (timeout != null) timeout.cancel(false);
        if (bookmarkTimer != null) bookmarkTimer.cancel(false);
    }
}
