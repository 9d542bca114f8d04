package kubefake.nodesim.runtime;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A container's main process run as it goes: exec's {@link ExecProcess} running the container's command line (a
 * script, the shell's utilities) on the node's clock, and, when it reads the container's stdin ({@code stdin: true} and
 * a shell or {@code cat}), fed by the attaches. What it writes goes to every attached client and to the container's
 * log (its lines kept here, as many as {@link ContainerLog#KEPT_LINES}, each with the clock's time); its exit ends the
 * container. With {@code stdinOnce} its stdin closes when the first attach's stdin closes (or that attach goes away);
 * without, stdin stays open between attaches. One reading stdin waits until an attach starts it (the shell's first
 * prompt goes to that attach); any other the kubelet starts with the container.
 *
 * <p>Any thread: attaches come from the server's event loops, reads of the log from anywhere. The process is driven
 * under this object's lock.
 */
public final class LiveProcess {
    /** An attached client: what the process writes, and its end. Called under the process's lock: must not block. */
    public interface Client {
        void output(Timeline.Stream stream, String text);

        void ended();
    }

    /** One attach, as the process knows it. */
    public static final class Attachment {
        private final Client client;
        private final boolean stdin;

        private Attachment(Client client, boolean stdin) {
            this.client = client;
            this.stdin = stdin;
        }
    }

    private final Timeline.Live spec;
    private final List<Attachment> attached = new ArrayList<>();
    /** The log's complete lines, the first being line number {@code dropped}. */
    private final List<ContainerLog.Line> lines = new ArrayList<>();
    private long dropped;
    private final StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};
    private final Instant[] partialAt = new Instant[2];
    private ExecProcess process;
    private Clock clock;
    private IntConsumer onExit;
    /** The attach whose stdin closing closes the process's (stdinOnce), once there is one. */
    private Attachment first;
    private boolean stdinClosed;
    /** The pty's size (0 x 0 until an attach sets it). */
    private int columns;
    private int rows;
    private boolean ended;

    LiveProcess(Timeline.Live spec) {
        this.spec = spec;
    }

    public boolean tty() {
        return spec.tty();
    }

    /** Whether it reads the container's stdin (the first attach starts it), else the kubelet starts it. */
    public boolean readsStdin() {
        return spec.stdin();
    }

    /**
     * Starts the process if it has not started: in {@code container}, with {@code timer} for its sleeps (tasks run
     * under the lock), {@code clock} for its log's times; {@code onExit} gets its exit code (the kubelet's to react).
     */
    public synchronized void start(ExecProcess.Container container, ExecProcess.Timer timer, Clock clock, IntConsumer onExit) {
        if (process != null || ended) return;
        this.clock = clock;
        this.onExit = onExit;
        ExecProcess.Timer locked = new ExecProcess.Timer() {
            @Override
            public Runnable after(java.time.Duration delay, Runnable task) {
                return timer.after(delay, () -> {
                    synchronized (LiveProcess.this) {
                        task.run();
                    }
                });
            }

            @Override
            public Instant now() {
                return clock.instant();
            }
        };
        process = ExecProcess.start(container, spec.argv(), spec.stdin(), spec.tty(), new ExecProcess.Io() {
            @Override
            public void stdout(String text) {
                written(Timeline.Stream.STDOUT, text);
            }

            @Override
            public void stdoutBytes(byte[] data) {
                written(Timeline.Stream.STDOUT, new String(data, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void stderr(String text) {
                written(Timeline.Stream.STDERR, text);
            }

            @Override
            public void exited(int code) {
                exit(code);
            }

            @Override
            public void failed(String message) {
                written(Timeline.Stream.STDERR, message + "\n");
                exit(128);
            }
        }, locked, clock.instant());
    }

    /** SIGTERM and the like sent to the process: true when a trap of its shell takes it (see ExecProcess#signal). */
    public synchronized boolean signal(String signal) {
        return process != null && !ended && process.signal(signal);
    }

    /** The container's run ended (the kubelet killed it, or its pod went): the process is killed, writing nothing more. */
    public synchronized void kill() {
        if (ended) return;
        if (process == null) {
            ended = true;
            return;
        }
        onExit = code -> { }; // the kubelet ended the run itself
        process.containerEnded();
    }

    /** A client attaches (reading stdout and stderr, and writing stdin when {@code stdin}); an ended process ends it at once. */
    public synchronized Attachment attach(Client client, boolean stdin) {
        Attachment a = new Attachment(client, stdin);
        if (ended) {
            client.ended();
            return a;
        }
        attached.add(a);
        if (stdin && first == null) first = a;
        return a;
    }

    public synchronized void input(Attachment a, byte[] data) {
        if (ended || stdinClosed || !a.stdin || process == null) return;
        process.input(data);
    }

    /** The attach's stdin ended: with stdinOnce, if it is the first attach's, the process's stdin closes. */
    public synchronized void inputClosed(Attachment a) {
        if (ended || stdinClosed || !spec.once() || a != first || process == null) return;
        stdinClosed = true;
        process.inputClosed();
    }

    /** The client went away: as its stdin closing, then it hears nothing more. */
    public synchronized void detach(Attachment a) {
        inputClosed(a);
        attached.remove(a);
    }

    /**
     * An attach's terminal size (kubectl sends it as it attaches): the pty takes it, and a shell at its prompt may
     * redraw the prompt, which is why a user running {@code kubectl run -it ... -- sh} sees one.
     */
    public synchronized void resize(int columns, int rows) {
        if (process == null || ended || columns == this.columns && rows == this.rows) return;
        this.columns = columns;
        this.rows = rows;
        process.resize(columns, rows);
        process.terminalResized();
    }

    private void written(Timeline.Stream stream, String text) {
        if (ended) return;
        Timeline.Stream to = spec.tty() ? Timeline.Stream.STDOUT : stream; // a pty is one stream
        for (Attachment a : attached) a.client.output(to, text);
        log(to, text);
    }

    private void exit(int code) {
        if (ended) return;
        ended = true;
        for (Timeline.Stream s : Timeline.Stream.values()) {
            if (!partial[s.ordinal()].isEmpty()) endLine(s);
        }
        for (Attachment a : attached) a.client.ended();
        attached.clear();
        onExit.accept(code);
    }

    // ---------------------------------------------------------------- the log

    private void log(Timeline.Stream stream, String text) {
        StringBuilder line = partial[stream.ordinal()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (line.isEmpty() && partialAt[stream.ordinal()] == null) partialAt[stream.ordinal()] = clock.instant();
            if (c == '\n') endLine(stream);
            else line.append(c); // a pty's CR stays, as in the runtime's log file of a tty container
        }
    }

    private void endLine(Timeline.Stream stream) {
        int s = stream.ordinal();
        Instant at = partialAt[s] != null ? partialAt[s] : clock.instant();
        lines.add(new ContainerLog.Line(at, stream, partial[s].toString()));
        partial[s].setLength(0);
        partialAt[s] = null;
        if (lines.size() > ContainerLog.KEPT_LINES + ContainerLog.KEPT_LINES / 10) { // rotated in chunks, not line by line
            int drop = (int) (lines.size() - ContainerLog.KEPT_LINES);
            lines.subList(0, drop).clear();
            dropped += drop;
        }
    }

    /** How many lines the log has by {@code until} (inclusive). */
    synchronized long count(Instant until) {
        int lo = 0;
        int hi = lines.size();
        while (lo < hi) { // the first line after until: lines are written in time order
            int mid = (lo + hi) >>> 1;
            if (lines.get(mid).at().isAfter(until)) hi = mid;
            else lo = mid + 1;
        }
        return dropped + lo;
    }

    /** Line {@code i}; a line the log no longer keeps reads as its oldest kept line's time with no text. */
    synchronized ContainerLog.Line line(long i) {
        if (i < dropped) return new ContainerLog.Line(lines.isEmpty() ? Instant.EPOCH : lines.get(0).at(), Timeline.Stream.STDOUT, "");
        return lines.get((int) (i - dropped));
    }

    /** When line {@code i} was written, or null when it is not written yet. */
    synchronized Instant timeOf(long i) {
        if (i < dropped) return lines.isEmpty() ? null : lines.get(0).at();
        return i - dropped < lines.size() ? lines.get((int) (i - dropped)).at() : null;
    }
}
