package kubefake.server.streams;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ContainerProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A container's log as a chunked {@code text/plain} answer, read as the kubelet reads the runtime's log file: the
 * last {@code tailLines} lines, none older than the {@code since} options, each with its RFC 3339 time (9 digits)
 * first when {@code timestamps} is asked, cut at {@code limitBytes}. A follow then writes each line when the process
 * writes it and ends when the container's run has ended (the kubelet looks at least once a second, as it does) or the
 * client goes away. Everything runs on the connection's event loop.
 */
final class LogStream {
    /** The kubelet's logForceCheckPeriod: how often a follow looks whether the container still runs. */
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);
    /** The CRI log's time format (RFC3339NanoFixed). */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final Supplier<Optional<ContainerProcess>> process;
    private final PodLogOptions options;
    private final Clock clock;
    private final boolean keepAlive;
    private final GenericFutureListener<Future<? super Void>> onClose = f -> stop();
    private long next = -1;
    private long remaining;
    private boolean finished;
    private ScheduledFuture<?> wake;

    private LogStream(ChannelHandlerContext ctx, Supplier<Optional<ContainerProcess>> process, PodLogOptions options,
                      Clock clock, boolean keepAlive) {
        this.ctx = ctx;
        this.process = process;
        this.options = options;
        this.clock = clock;
        this.keepAlive = keepAlive;
        this.remaining = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    }

    /** Answers with the log of {@code process} (re-read on each look, to see it end); none: an empty log. */
    static void start(ChannelHandlerContext ctx, Supplier<Optional<ContainerProcess>> process, PodLogOptions options,
                      Clock clock, boolean keepAlive) {
        LogStream s = new LogStream(ctx, process, options, clock, keepAlive);
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        HttpUtil.setTransferEncodingChunked(res, true);
        ctx.writeAndFlush(res);
        ctx.channel().closeFuture().addListener(s.onClose);
        s.pump();
    }

    private void pump() {
        wake = null;
        if (finished) return;
        Optional<ContainerProcess> current = process.get();
        if (current.isEmpty()) {
            finish();
            return;
        }
        ContainerLog log = new ContainerLog(current.get());
        Instant now = clock.instant();
        long count = log.count(now);
        if (next < 0) next = log.firstLine(now, options.tailLines() == null ? -1 : options.tailLines(), options.since(now));
        boolean full = write(log, count);
        if (full || !options.follow() || current.get().endedBy(now)) {
            finish();
            return;
        }
        Instant due = log.timeOf(next);
        Duration delay = CHECK_PERIOD;
        if (due != null && Duration.between(now, due).compareTo(delay) < 0) delay = Duration.between(now, due);
        wake = ctx.executor().schedule(this::pump, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Writes lines {@link #next} to {@code count}; true when limitBytes is reached. */
    private boolean write(ContainerLog log, long count) {
        ByteBuf out = ctx.alloc().buffer();
        try {
            for (; next < count && remaining > 0; next++) {
                ContainerLog.Line line = log.line(next);
                String text = options.timestamps() ? TIMESTAMP.format(line.at()) + " " + line.text() + "\n" : line.text() + "\n";
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                int n = (int) Math.min(bytes.length, remaining);
                out.writeBytes(bytes, 0, n);
                remaining -= n;
                if (out.readableBytes() >= CHUNK) {
                    ctx.write(new DefaultHttpContent(out));
                    out = ctx.alloc().buffer();
                }
            }
            if (out.isReadable()) ctx.writeAndFlush(new DefaultHttpContent(out));
            else {
                out.release();
                ctx.flush();
            }
            out = null;
        } finally {
            if (out != null) out.release();
        }
        return remaining <= 0;
    }

    private void finish() {
        if (finished) return;
        stop();
        ctx.channel().closeFuture().removeListener(onClose);
        if (!ctx.channel().isActive()) return;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) f -> {
            if (!keepAlive) ctx.close();
        });
    }

    private void stop() {
        finished = true;
        if (wake != null) wake.cancel(false);
    }
}
