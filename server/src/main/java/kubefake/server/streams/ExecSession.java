package kubefake.server.streams;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.nodesim.runtime.ExecProcess;
import kubefake.nodesim.runtime.ProcessTable;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One exec: the process in the container on one side, the client's channels on the other, both driven on the
 * connection's event loop. The process starts once the client's streams are open; it ends by itself (its status goes
 * to the client), when the client goes away (its stdin ends, then it is killed), or when the container's run ends (it is killed with it:
 * 137), which the session looks at every second as the kubelet's runtime would notice.
 */
final class ExecSession implements StreamChannels.Listener {
    private static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

    private final EventExecutor loop;
    private final ExecProcess.Container container;
    private final String containerId;
    private final ProcessTable processes;
    private final Clock clock;
    private final ExecOptions options;
    private StreamChannels channels;
    private ExecProcess process;
    private ScheduledFuture<?> check;
    private boolean done;
    /** A terminal size sent before the process started. */
    private int[] size;

    ExecSession(EventExecutor loop, ExecProcess.Container container, String containerId, ProcessTable processes, Clock clock,
                ExecOptions options) {
        this.loop = loop;
        this.container = container;
        this.containerId = containerId;
        this.processes = processes;
        this.clock = clock;
        this.options = options;
    }

    @Override
    public void attach(StreamChannels channels) {
        this.channels = channels;
    }

    @Override
    public void opened() {
        if (process != null || done) return;
        process = ExecProcess.start(container, options.command(), options.stdin(), options.tty(), new ExecProcess.Io() {
            @Override
            public void stdout(String text) {
                if (!done && options.stdout()) channels.stdout(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void stdoutBytes(byte[] data) {
                if (!done && options.stdout()) channels.stdout(data);
            }

            @Override
            public void stderr(String text) {
                if (done) return;
                if (options.stderr()) channels.stderr(text.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void exited(int code) {
                end(ExitStatus.exited(code, options.command()));
            }

            @Override
            public void failed(String message) {
                end(ExitStatus.internalError(message));
            }

            @Override
            public boolean whenCaughtUp(Runnable task) {
                return !done && channels.whenWritable(task);
            }
        }, (delay, task) -> {
            ScheduledFuture<?> f = loop.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }, clock.instant());
        if (size != null) process.resize(size[0], size[1]);
        if (!done) watchContainer();
    }

    private void watchContainer() {
        check = loop.schedule(() -> {
            if (done) return;
            ContainerProcess run = processes.get(containerId).orElse(null);
            if (run == null || run.endedBy(clock.instant())) process.containerEnded();
            else watchContainer();
        }, CHECK_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void end(ExitStatus status) {
        if (done) return;
        done = true;
        if (check != null) check.cancel(false);
        channels.finish(status);
    }

    @Override
    public void stdin(byte[] data) {
        if (process != null && !done) process.input(data);
    }

    @Override
    public void resize(int width, int height) {
        if (done) return;
        if (process != null) process.resize(width, height);
        else size = new int[] {width, height}; // the resize stream may open before the ones the process waits for
    }

    @Override
    public void stdinClosed() {
        if (process != null && !done) process.inputClosed();
    }

    /**
     * The client went away: as when the kubelet's stream ends, the process reads the end of its stdin (what it has
     * been sent is still written: fabric8's upload closes the connection after {@code cat - > FILE}), then whatever
     * still runs is killed.
     */
    @Override
    public void closed() {
        if (done) return;
        done = true;
        if (check != null) check.cancel(false);
        if (process != null) {
            process.inputClosed();
            process.containerEnded();
        }
    }

    List<String> command() {
        return options.command();
    }
}
