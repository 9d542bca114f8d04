package kubefake.server.streams;

import java.util.List;

/**
 * An exec or attach request's options (core/v1 PodExecOptions, PodAttachOptions), as read from the query: attach has
 * no command.
 */
public record ExecOptions(String container, List<String> command, boolean stdin, boolean stdout, boolean stderr,
                          boolean tty) {
    public ExecOptions {
        command = List.copyOf(command);
    }
}
