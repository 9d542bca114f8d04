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
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ContainerProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A container's log as a chunked {@code text/plain} answer, read as the kubelet reads the runtime's log file: the
 * last {@code tailLines} lines, none older than the {@code since} options, each with its RFC 3339 time (9 digits)
 * first when {@code timestamps} is asked, cut at {@code limitBytes}. A follow then writes each line when the process
 * writes it and ends when the container's run has ended or the client goes away ({@link LogFollower}).
 */
final class LogStream implements LogFollower.Reader {
    /** The CRI log's time format (RFC3339NanoFixed). */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final PodLogOptions options;
    private final boolean keepAlive;
    private final GenericFutureListener<Future<? super Void>> onClose;
    private final LogFollower follower;
    private long remaining;

    private LogStream(ChannelHandlerContext ctx, Supplier<Optional<ContainerProcess>> process, PodLogOptions options,
                      Clock clock, boolean keepAlive) {
        this.ctx = ctx;
        this.options = options;
        this.keepAlive = keepAlive;
        this.remaining = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
        long tail = options.tailLines() == null ? -1 : options.tailLines();
        this.follower = new LogFollower(ctx.executor(), process, clock,
                (log, now) -> log.firstLine(now, tail, options.since(now)), options.follow(), this);
        this.onClose = f -> follower.stop();
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
        s.follower.start();
    }

    @Override
    public boolean lines(ContainerLog log, long from, long to) {
        ByteBuf out = ctx.alloc().buffer();
        try {
            for (long i = from; i < to && remaining > 0; i++) {
                ContainerLog.Line line = log.line(i);
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
            if (out.isReadable()) {
                ctx.writeAndFlush(new DefaultHttpContent(out));
            } else {
                out.release();
                ctx.flush();
            }
            out = null;
        } finally {
            if (out != null) out.release();
        }
        return remaining > 0;
    }

    @Override
    public void end() {
        ctx.channel().closeFuture().removeListener(onClose);
        if (!ctx.channel().isActive()) return;
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) f -> {
            if (!keepAlive) ctx.close();
        });
    }
}
