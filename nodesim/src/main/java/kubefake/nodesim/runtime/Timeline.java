package kubefake.nodesim.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a container's process does from the moment it starts: the lines it writes and when, the ports it serves,
 * and whether it exits (when, with which code). An image's own program (nginx, perl) reads no input and does what the
 * catalogue says, so its whole life is known at start: it is planned, and its log is read from the plan. A command line run by the image's shell or its
 * utilities ({@code sh -c SCRIPT}, {@code sleep 5}) has no plan: it runs as it goes ({@link #live}, a
 * {@link LiveProcess}), on the node's clock, and so does one reading the container's stdin.
 *
 * @param output     lines written, each at an offset from the start
 * @param exitAfter  when it exits, or null when it runs until stopped
 * @param exitCode   the code it exits with (when it exits)
 * @param ports      the TCP ports it listens on once started
 * @param answers    what its HTTP server answers ("" when it serves nothing over HTTP)
 * @param onTerm     how it takes SIGTERM
 * @param live       the command line run as it goes, or null when the process is planned
 */
public record Timeline(List<Output> output, Duration exitAfter, int exitCode, Set<Integer> ports, String answers,
                       Behaviour.Termination onTerm, Live live) {

    public enum Stream { STDOUT, STDERR }

    /** One line written by the process, {@code at} after it started. */
    public record Output(Duration at, Stream stream, String text) {
    }

    /**
     * The command line of a process that runs as it goes, and the container's spec for it: {@code stdin} (it reads the
     * container's stdin: the first attach starts it; else the kubelet does as the container starts), {@code tty} (a pty
     * that echoes) and {@code stdinOnce} (stdin closes when the first attach's stdin closes).
     */
    public record Live(List<String> argv, boolean stdin, boolean tty, boolean once) {
        public Live {
            argv = List.copyOf(argv);
        }
    }

    /** A process run as it goes: no output planned, no end planned; as PID 1 a shell ignores SIGTERM. */
    static Timeline live(Live live) {
        return new Timeline(List.of(), null, 0, Set.of(), "", Behaviour.Termination.IGNORE, live);
    }

    public boolean exits() {
        return exitAfter != null;
    }

    public boolean serves(int port) {
        return ports.contains(port);
    }

    /** Builds a catalogue program's plan step by step. */
    static final class Builder {
        private final List<Output> output = new ArrayList<>();
        private final Set<Integer> ports = new LinkedHashSet<>();
        private String answers = "";
        private Duration now = Duration.ZERO;

        Duration now() {
            return now;
        }

        Builder print(Stream stream, String text) {
            output.add(new Output(now, stream, text));
            return this;
        }

        Builder sleep(Duration d) {
            now = now.plus(d);
            return this;
        }

        Builder serve(List<Integer> served, String answering) {
            ports.addAll(served);
            if (!answering.isEmpty()) answers = answering;
            return this;
        }

        Timeline exit(int code, Behaviour.Termination onTerm) {
            return new Timeline(List.copyOf(output), now, code, Set.copyOf(ports), answers, onTerm, null);
        }

        Timeline forever(Behaviour.Termination onTerm) {
            return new Timeline(List.copyOf(output), null, 0, Set.copyOf(ports), answers, onTerm, null);
        }
    }
}
