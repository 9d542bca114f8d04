package kubefake.server.streams;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.nodesim.runtime.ProcessTable;
import kubefake.nodesim.runtime.Timeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One attach: the container's main process as it writes from now on (the runtime replays nothing), on the client's
 * stdout and stderr, until the container's run ends (then Success, as the kubelet reports an attach that ended) or
 * the client goes away. The simulated main processes read no input: what the client types is dropped.
 */
final class AttachSession implements StreamChannels.Listener {
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    private final EventExecutor loop;
    private final ProcessTable processes;
    private final String containerId;
    private final Clock clock;
    private final ExecOptions options;
    private StreamChannels channels;
    private long next = -1;
    private ScheduledFuture<?> wake;
    private boolean done;

    AttachSession(EventExecutor loop, ProcessTable processes, String containerId, Clock clock, ExecOptions options) {
        this.loop = loop;
        this.processes = processes;
        this.containerId = containerId;
        this.clock = clock;
        this.options = options;
    }

    @Override
    public void attach(StreamChannels channels) {
        this.channels = channels;
    }

    @Override
    public void opened() {
        pump();
    }

    private void pump() {
        wake = null;
        if (done) return;
        ContainerProcess run = processes.get(containerId).orElse(null);
        Instant now = clock.instant();
        if (run == null) {
            end();
            return;
        }
        ContainerLog log = new ContainerLog(run);
        long count = log.count(now);
        if (next < 0) next = count;
        for (; next < count; next++) {
            ContainerLog.Line line = log.line(next);
            String text = line.text() + (options.tty() ? "\r\n" : "\n");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (line.stream() == Timeline.Stream.STDERR && options.stderr()) channels.stderr(bytes);
            else if (line.stream() == Timeline.Stream.STDOUT && options.stdout()) channels.stdout(bytes);
        }
        if (run.endedBy(now)) {
            end();
            return;
        }
        Instant due = log.timeOf(next);
        Duration delay = CHECK_PERIOD;
        if (due != null && Duration.between(now, due).compareTo(delay) < 0) delay = Duration.between(now, due);
        wake = loop.schedule(this::pump, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    private void end() {
        if (done) return;
        done = true;
        channels.finish(ExitStatus.exited(0, java.util.List.of()));
    }

    @Override
    public void stdin(byte[] data) {
    }

    @Override
    public void stdinClosed() {
    }

    @Override
    public void closed() {
        done = true;
        if (wake != null) wake.cancel(false);
    }
}
