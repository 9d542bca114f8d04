package kubefake.server.cli;

import kubefake.server.StartupPhases;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `java -jar kubefake.jar COMMAND`: the command-line entry point. */
@Command(name = "kubefake", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A simulated Kubernetes cluster that the real kubectl talks to.",
        subcommands = {UpCommand.class, GetCommand.class, DeleteCommand.class, ExportCommand.class, NodeCommand.class, SshCommand.class, SnapshotCommand.class, KubeconfigCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        StartupPhases.done("main entered");
        System.exit(commandLine().execute(args));
    }

    /** The command line, with failures to start printed as one `error: ...` line and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + describe(e));
            return 1;
        });
        return cli;
    }

    /** A one-line explanation of a failure to start, without a stack trace. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof java.net.BindException) return "cannot listen: " + root.getMessage()
                + " (is another kubefake or API server running? choose another --port)";
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return e == root || e.getMessage() == null ? message : e.getMessage() + ": " + message;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
