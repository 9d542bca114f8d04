package kubefake.nodesim.runtime;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * A program of an image that exec starts, beside the shell's own utilities: a network tool (ping, nslookup, wget,
 * nc), a view of the container's system (ip, netstat, df), the image's server run as a command (nginx -t).
 */
interface Program {
    /**
     * Runs it with {@code args}: its output goes to {@code out}, its status to {@code done} (at once, or later from the
     * context's timer). Returns the run while it goes on (ping's echoes), null when it has ended.
     */
    Running run(Context context, List<String> args, Output out, IntConsumer done);

    /** Where a program writes: stdout and stderr after the command's redirections. */
    interface Output {
        void out(String text);

        void err(String text);
    }

    /** A program still running. */
    interface Running {
        /** SIGKILL (the exec's end, the container's): it stops at once, printing nothing. */
        void kill();

        /** SIGINT (Ctrl-C on the terminal): by default it dies of it (status 130); ping prints its statistics first. */
        default boolean interrupt() {
            return false;
        }
    }

    /** The container and the process's clock. */
    record Context(ExecProcess.Container container, ExecProcess.Timer timer) {
        ExecProcess.Network network() {
            return container.network();
        }

        ContainerFiles files() {
            return container.files();
        }

        PodResolver resolver() {
            return new PodResolver(container.files(), container.network());
        }
    }
}
