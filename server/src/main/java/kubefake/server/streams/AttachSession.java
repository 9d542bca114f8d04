package kubefake.server.streams;

import io.netty.util.concurrent.EventExecutor;
import kubefake.nodesim.runtime.ContainerLog;
import kubefake.nodesim.runtime.ProcessTable;
import kubefake.nodesim.runtime.Timeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * One attach: the container's main process as it writes from now on (the runtime replays nothing), on the client's
 * stdout and stderr, until the container's run ends (then Success, as the kubelet reports an attach that ended) or
 * the client goes away. The simulated main processes read no input: what the client types is dropped.
 */
final class AttachSession implements StreamChannels.Listener, LogFollower.Reader {
    private final ExecOptions options;
    private final LogFollower follower;
    private StreamChannels channels;

    AttachSession(EventExecutor loop, ProcessTable processes, String containerId, Clock clock, ExecOptions options) {
        this.options = options;
        this.follower = new LogFollower(loop, () -> processes.get(containerId), clock, (log, now) -> log.count(now), true, this);
    }

    @Override
    public void attach(StreamChannels channels) {
        this.channels = channels;
    }

    @Override
    public void opened() {
        follower.start();
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
        channels.finish(ExitStatus.exited(0, List.of()));
    }

    @Override
    public void stdin(byte[] data) {
    }

    @Override
    public void stdinClosed() {
    }

    @Override
    public void closed() {
        follower.stop();
    }
}
