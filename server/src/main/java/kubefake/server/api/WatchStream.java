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
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.encoding.MediaType;
import kubefake.server.encoding.Negotiated;
import kubefake.server.printers.Tables;
import kubefake.server.protobuf.ProtobufEncoder;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.ResourceWatch;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.WatchEvent;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A watch response: chunked HTTP/1.1 (or WebSocket messages), flushed as events come, in the negotiated media type as
 * the real server frames it: JSON, one event per line ({"type":…,"object":…}); protobuf, each event a
 * {@code metav1.WatchEvent} after its length in 4 bytes big-endian (over a WebSocket, one binary message per event,
 * without the length). The objects are converted as asked (Table rows, PartialObjectMetadata).
 * Events are pulled from the {@link ResourceWatch} on the connection's event loop only while the socket is
 * writable; a client that does not read lets the watch's bounded buffer overflow, which ends the stream (the client
 * re-lists), so the server never queues without bound. Ends after its timeout (the request's timeoutSeconds, else
 * kube-apiserver's --min-request-timeout × [1, 2): see {@link kubefake.server.http.HttpExchange#watchTimeout}), when the
 * client goes away, or when the watch closes.
 */
public final class WatchStream {
    private static final int BATCH = 256;
    private static final long BOOKMARK_PERIOD_SECONDS = 60;
    private static final String LIST_BLUEPRINT = "kubernetes.io/initial-events-list-blueprint";
    private static final Map<WatchEvent.Type, byte[]> JSON_EVENT_START = new EnumMap<>(WatchEvent.Type.class);
    private static final byte[] JSON_EVENT_END = "}\n".getBytes(StandardCharsets.UTF_8);

    static {
        for (WatchEvent.Type t : WatchEvent.Type.values()) {
            JSON_EVENT_START.put(t, ("{\"type\":\"" + t.name() + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
        }
    }

    private final ChannelHandlerContext ctx;
    private final ResourceWatch watch;
    /** The stream's media type (JSON or protobuf) and the conversion of its objects. */
    private final Negotiated encoding;
    private final Tables.IncludeObject include;
    private final boolean bookmarks;
    private final Clock clock;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private boolean headersSentForTable;
    private boolean finished;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> bookmarkTimer;
    private long lastRevision;
    /** The kind/apiVersion opening of the objects' JSON, for the type (and emptiness) it was made for. */
    private ResourceType typeMetaFor;
    private boolean typeMetaEmpty;
    private byte[] typeMeta;
    private final boolean keepAlive;
    /** Events go as WebSocket text messages, one per event, instead of HTTP chunks (the upgrade is already done). */
    private final boolean webSocket;
    private final GenericFutureListener<Future<? super Void>> onClose =
            f -> stop();

    private WatchStream(ChannelHandlerContext ctx, ResourceWatch watch, Negotiated encoding,
                        Tables.IncludeObject include, boolean bookmarks, Clock clock, boolean keepAlive,
                        boolean webSocket) {
        this.keepAlive = keepAlive;
        this.webSocket = webSocket;
        this.ctx = ctx;
        this.watch = watch;
        this.encoding = encoding;
        this.include = include;
        this.bookmarks = bookmarks;
        this.clock = clock;
        this.lastRevision = watch.startRevision();
    }

    /** Opens the watch and starts streaming on the context's channel as a chunked HTTP response. */
    public static void start(ChannelHandlerContext ctx, Function<Runnable, ResourceWatch> open,
                             Negotiated encoding, Tables.IncludeObject include, boolean bookmarks,
                             Duration timeout, Clock clock, boolean keepAlive) {
        start(ctx, open, encoding, include, bookmarks, timeout, clock, keepAlive, null);
    }

    /**
     * As above; with an {@code upgrade} the connection is switched to a WebSocket once the watch is open (so that
     * bad options are still answered over HTTP) and each event is one text message. The upgrade returns the
     * handshake's outcome and is given the stream, to tell it when the client closes.
     */
    public static void start(ChannelHandlerContext ctx, Function<Runnable, ResourceWatch> open,
                             Negotiated encoding, Tables.IncludeObject include, boolean bookmarks,
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
        WatchStream stream = new WatchStream(ctx, watch, encoding, include, bookmarks, clock, keepAlive, upgrade != null);
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
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, encoding.media().streamContentType());
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
                    ctx.write(webSocketMessage(buf));
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
        if (e.type() != WatchEvent.Type.ERROR && e.type() != WatchEvent.Type.BOOKMARK) {
            lastRevision = Math.max(lastRevision, e.object().resourceVersion());
        }
        if (encoding.media() == MediaType.PROTOBUF) {
            // the object as stored is encoded once and shared by every watcher; converted ones are this stream's own
            byte[] object = sharesObjects(e)
                    ? e.object().encoded(MediaType.PROTOBUF, o -> ProtobufEncoder.encode(o.tree()))
                    : ProtobufEncoder.encode(objectNode(e));
            byte[] header = ProtobufEncoder.watchEventHeader(e.type().name(), object.length);
            if (!webSocket) buf.writeInt(header.length + object.length);
            buf.writeBytes(header);
            buf.writeBytes(object);
            return;
        }
        buf.writeBytes(JSON_EVENT_START.get(e.type()));
        if (sharesObjects(e)) {
            writeWithTypeMeta(buf, e.object());
        } else {
            switch (e.type()) {
                case ERROR -> buf.writeBytes(Json.bytes(e.error().toStatusJson()));
                case BOOKMARK -> buf.writeBytes(hasListBlueprint(e.object()) ? Json.bytes(objectNode(e)) : e.object().withTypeMeta());
                default -> buf.writeBytes(convert(e.object()));
            }
        }
        buf.writeBytes(JSON_EVENT_END);
    }

    /** An object event the stream sends as stored (not converted): its bytes are the same for every watcher. */
    private boolean sharesObjects(WatchEvent e) {
        return e.type() != WatchEvent.Type.ERROR && e.type() != WatchEvent.Type.BOOKMARK && conversion().isEmpty();
    }

    /** The stored JSON with kind and apiVersion in front, written straight from the shared bytes (no copy of them). */
    private void writeWithTypeMeta(ByteBuf buf, StoredObject o) {
        byte[] json = o.json();
        if (typeMetaFor != o.type() || typeMetaEmpty != (json.length <= 2)) {
            typeMetaFor = o.type();
            typeMetaEmpty = json.length <= 2;
            typeMeta = ("{\"kind\":\"" + o.type().kind() + "\",\"apiVersion\":\"" + o.type().groupVersion() + "\""
                    + (typeMetaEmpty ? "" : ",")).getBytes(StandardCharsets.UTF_8);
        }
        buf.writeBytes(typeMeta);
        buf.writeBytes(json, 1, json.length - 1);
    }

    private WebSocketFrame webSocketMessage(ByteBuf buf) {
        // text frames for JSON, binary for protobuf, as the real server's websocket framer
        return encoding.media() == MediaType.JSON ? new TextWebSocketFrame(buf) : new BinaryWebSocketFrame(buf);
    }

    /** The event's object as a tree: the Status of an ERROR, the bookmark with its list blueprint, the converted object. */
    private ObjectNode objectNode(WatchEvent e) {
        return switch (e.type()) {
            case ERROR -> e.error().toStatusJson();
            case BOOKMARK -> withListBlueprint(e.object().toNode());
            default -> switch (conversion()) {
                case "Table" -> table(e.object());
                case "PartialObjectMetadata" -> partial(e.object());
                default -> e.object().toNode();
            };
        };
    }

    private byte[] convert(StoredObject o) {
        return switch (conversion()) {
            case "Table" -> Json.bytes(table(o));
            case "PartialObjectMetadata" -> Json.bytes(partial(o));
            default -> o.withTypeMeta();
        };
    }

    private String conversion() {
        if (encoding.converts("Table")) return "Table";
        if (encoding.converts("PartialObjectMetadata")) return "PartialObjectMetadata";
        return "";
    }

    private ObjectNode table(StoredObject o) {
        var meta = Json.MAPPER.createObjectNode().put("resourceVersion", Long.toString(o.resourceVersion()));
        ObjectNode table = TableRenderer.table(o.type(), List.of(o), meta, include, !headersSentForTable, clock.instant());
        headersSentForTable = true;
        return withConversionVersion(table);
    }

    private ObjectNode partial(StoredObject o) {
        return withConversionVersion(Tables.partialObjectMetadata(o.toNode()));
    }

    private ObjectNode withConversionVersion(ObjectNode converted) {
        if (!encoding.conversion().version().equals("v1")) converted.put("apiVersion", encoding.conversion().groupVersion());
        return converted;
    }

    private static boolean hasListBlueprint(StoredObject bookmark) {
        return bookmark.json().length > 64
                && new String(bookmark.json(), StandardCharsets.UTF_8).contains("\"" + LIST_BLUEPRINT + "\"");
    }

    /**
     * A watch-list's closing bookmark carries an empty list of what the stream holds (the resource's list, or
     * PartialObjectMetadataList), base64 of its encoding in the stream's media type, as the real server writes it
     * with the negotiated encoder ({@code watchListTransformer}): JSON as Go's encoder (a nil items list is null, a
     * newline at the end), protobuf in the envelope.
     */
    private ObjectNode withListBlueprint(ObjectNode bookmark) {
        JsonNode annotations = bookmark.path("metadata").path("annotations");
        if (!annotations.has(LIST_BLUEPRINT)) return bookmark;
        ResourceType type = watch.type();
        boolean partial = encoding.converts("PartialObjectMetadata");
        String apiVersion = partial ? encoding.conversion().groupVersion() : type.groupVersion();
        String kind = partial ? "PartialObjectMetadataList" : type.listKind();
        byte[] list = encoding.media() == MediaType.PROTOBUF
                ? ProtobufEncoder.encodeList(apiVersion, kind, Json.MAPPER.createObjectNode(), List.of())
                : ("{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion + "\",\"metadata\":{},\"items\":null}\n")
                        .getBytes(StandardCharsets.UTF_8);
        ((ObjectNode) annotations).put(LIST_BLUEPRINT, Base64.getEncoder().encodeToString(list));
        return bookmark;
    }

    private void sendBookmark() {
        // every event up to `delivered` is in the watch's hands: once they are all written, a bookmark at that
        // revision cannot make the client skip one
        long delivered = watch.deliveredRevision();
        if (!drain() || finished || !ctx.channel().isWritable()) return;
        long rv = Math.max(lastRevision, delivered);
        ByteBuf buf = ctx.alloc().buffer(256);
        writeEvent(buf, new WatchEvent(WatchEvent.Type.BOOKMARK, watch.bookmark(rv, false), null));
        ctx.writeAndFlush(webSocket ? webSocketMessage(buf) : new DefaultHttpContent(buf));
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
