package kubefake.server.streams;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ContainerProcess;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Reads a container run's output as it is written, on the connection's event loop: the lines due by now from a first
 * line, then (when following) each line when it is due, until the run ends or the reader stops. The run is looked up
 * again each time (it may have been killed meanwhile), at least once a second: the kubelet's logForceCheckPeriod.
 */
final class LogFollower {
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    /** Who gets the lines. */
    interface Reader {
        /** Lines {@code from} to {@code to} (exclusive) of {@code log} are due; false stops the reading. */
        boolean lines(ContainerLog log, long from, long to);

        /** No more lines: the run ended or is gone, the reader stopped, or (not following) all was read. */
        void end();
    }

    private final EventExecutor loop;
    private final Supplier<Optional<ContainerProcess>> process;
    private final Clock clock;
    private final BiFunction<ContainerLog, Instant, Long> firstLine;
    private final boolean follow;
    private final Reader reader;
    private long next = -1;
    private ScheduledFuture<?> wake;
    private boolean stopped;

    /**
     * @param firstLine the first line to read, given the log and the instant reading starts
     * @param follow    whether to go on reading lines as they come
     */
    LogFollower(EventExecutor loop, Supplier<Optional<ContainerProcess>> process, Clock clock,
                BiFunction<ContainerLog, Instant, Long> firstLine, boolean follow, Reader reader) {
        this.loop = loop;
        this.process = process;
        this.clock = clock;
        this.firstLine = firstLine;
        this.follow = follow;
        this.reader = reader;
    }

    void start() {
        read();
    }

    /** The client went away: nothing more is read (and {@link Reader#end} is not called). */
    void stop() {
        stopped = true;
        if (wake != null) wake.cancel(false);
    }

    private void read() {
        wake = null;
        if (stopped) return;
        Optional<ContainerProcess> run = process.get();
        if (run.isEmpty()) {
            finish();
            return;
        }
        ContainerLog log = new ContainerLog(run.get());
        Instant now = clock.instant();
        long count = log.count(now);
        if (next < 0) next = firstLine.apply(log, now);
        boolean more = next >= count || reader.lines(log, next, count);
        next = Math.max(next, count);
        if (!more || !follow || run.get().endedBy(now)) {
            finish();
            return;
        }
        Instant due = log.timeOf(next);
        Duration delay = CHECK_PERIOD;
        if (due != null && Duration.between(now, due).compareTo(delay) < 0) delay = Duration.between(now, due);
        wake = loop.schedule(this::read, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void finish() {
        if (stopped) return;
        stopped = true;
        reader.end();
    }
}
