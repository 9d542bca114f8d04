package kubefake.nodesim.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an exec'd process showed its client (stdout and stderr as text, its status or the runtime's refusal), and the
 * timer tasks it asked for, which a test runs by hand instead of waiting.
 */
public final class ExecRecorder implements ExecProcess.Io, ExecProcess.Timer {
    /** When the tests' processes start: five minutes after their containers did. */
    public static final Instant NOW = Instant.parse("2026-12-06T10:05:00Z");
    public static final Instant CONTAINER_STARTED = Instant.parse("2026-12-06T10:00:00Z");

    public final StringBuilder out = new StringBuilder();
    public final StringBuilder err = new StringBuilder();
    public final List<Runnable> timers = new ArrayList<>();
    public final List<Duration> delays = new ArrayList<>();
    public Integer exit;
    public String failure;
    /** Whether the client is behind (does not read): the process's writes then wait in {@link #caughtUp}. */
    public boolean behind;
    public final List<Runnable> caughtUp = new ArrayList<>();

    /** Starts {@code argv} in the container, reporting here. */
    public ExecProcess start(ExecProcess.Container container, List<String> argv, boolean stdin, boolean tty) {
        return ExecProcess.start(container, argv, stdin, tty, this, this, NOW);
    }

    @Override
    public void stdout(String text) {
        out.append(text);
    }

    @Override
    public void stdoutBytes(byte[] data) {
        out.append(new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void stderr(String text) {
        err.append(text);
    }

    @Override
    public void exited(int code) {
        exit = code;
    }

    @Override
    public void failed(String message) {
        failure = message;
    }

    @Override
    public boolean whenCaughtUp(Runnable task) {
        if (behind) caughtUp.add(task);
        return behind;
    }

    @Override
    public Runnable after(Duration delay, Runnable task) {
        delays.add(delay);
        timers.add(task);
        return () -> timers.remove(task);
    }
}
