package kubefake.server.streams;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.LiveProcess;
import kubefake.nodesim.runtime.ProcessTable;
import kubefake.nodesim.runtime.Timeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One attach: the container's main process as it writes from now on (the runtime replays nothing), on the client's
 * stdout and stderr, until the container's run ends (then Success, as the kubelet reports an attach that ended) or
 * the client goes away. A process that reads the container's stdin ({@link LiveProcess}) gets what the client
 * types (the first attach starts it); a planned process reads no input: what the client types is dropped.
 */
final class AttachSession implements StreamChannels.Listener, LogFollower.Reader {
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    private final EventExecutor loop;
    private final ProcessTable processes;
    private final String containerId;
    private final Clock clock;
    private final ExecOptions options;
    private final LogFollower follower;
    private final ExecProcess.Container container;
    private final IntConsumer onExit;
    private StreamChannels channels;
    private LiveProcess live;
    private LiveProcess.Attachment attachment;
    private ScheduledFuture<?> check;
    private boolean done;

    /**
     * @param container the container as a process started in it sees it (for a process reading stdin)
     * @param onExit    told the exit code of a process reading stdin (the kubelet ends the container)
     */
    AttachSession(EventExecutor loop, ProcessTable processes, String containerId, Clock clock, ExecOptions options,
                  ExecProcess.Container container, IntConsumer onExit) {
        this.loop = loop;
        this.processes = processes;
        this.containerId = containerId;
        this.clock = clock;
        this.options = options;
        this.container = container;
        this.onExit = onExit;
        this.follower = new LogFollower(loop, () -> processes.get(containerId), clock, (log, now) -> log.count(now), true, this);
    }

    @Override
    public void attach(StreamChannels channels) {
        this.channels = channels;
    }

    @Override
    public void opened() {
        ContainerProcess run = processes.get(containerId).orElse(null);
        live = run == null ? null : run.live();
        if (live == null) {
            follower.start();
            return;
        }
        if (live.readsStdin()) { // the first attach starts it; a script the kubelet started runs already
            live.start(container, (delay, task) -> {
                ScheduledFuture<?> f = loop.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }, clock, onExit);
        }
        attachment = live.attach(new LiveProcess.Client() {
            @Override
            public void output(Timeline.Stream stream, String text) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                loop.execute(() -> {
                    if (done) return;
                    if (stream == Timeline.Stream.STDERR && options.stderr()) channels.stderr(bytes);
                    else if (stream == Timeline.Stream.STDOUT && options.stdout()) channels.stdout(bytes);
                });
            }

            @Override
            public void ended() {
                loop.execute(AttachSession.this::end);
            }
        }, options.stdin());
        watchContainer();
    }

    /** The container's run may end otherwise (killed at a deletion): the attach ends with it. */
    private void watchContainer() {
        check = loop.schedule(() -> {
            if (done) return;
            ContainerProcess run = processes.get(containerId).orElse(null);
            if (run == null || run.endedBy(clock.instant())) end();
            else watchContainer();
        }, CHECK_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean lines(ContainerLog log, long from, long to) {
        for (long i = from; i < to; i++) {
            ContainerLog.Line line = log.line(i);
            byte[] bytes = (line.text() + (options.tty() ? "\r\n" : "\n")).getBytes(StandardCharsets.UTF_8);
            if (line.stream() == Timeline.Stream.STDERR && options.stderr()) channels.stderr(bytes);
            else if (line.stream() == Timeline.Stream.STDOUT && options.stdout()) channels.stdout(bytes);
        }
        return true;
    }

    @Override
    public void end() {
        if (done) return;
        done = true;
        if (check != null) check.cancel(false);
        if (attachment != null) live.detach(attachment);
        channels.finish(ExitStatus.exited(0, List.of()));
    }

    @Override
    public void stdin(byte[] data) {
        if (attachment != null && !done) live.input(attachment, data);
    }

    @Override
    public void stdinClosed() {
        if (attachment != null && !done) live.inputClosed(attachment);
    }

    @Override
    public void resize(int width, int height) {
        if (live != null && !done) live.resize(width, height);
    }

    @Override
    public void closed() {
        follower.stop();
        if (done) return;
        done = true;
        if (check != null) check.cancel(false);
        if (attachment != null) live.detach(attachment);
    }
}
