package kubefake.server.cli;

import kubefake.server.KubefakeCluster;
import kubefake.server.StartupPhases;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** `java -jar kubefake.jar COMMAND`: the command-line entry point. */
@Command(name = "kubefake", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A simulated Kubernetes cluster that the real kubectl talks to.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order the help lists them. Added by code rather than named in {@code @Command}: picocli
     * builds the model of every command it is given by reflection before it parses anything, which for all of them
     * was about a third of a second of CPU on every start (docs/benchmarks/startup.md).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("up", UpCommand::new);
        m.put("get", GetCommand::new);
        m.put("delete", DeleteCommand::new);
        m.put("export", ExportCommand::new);
        m.put("node", NodeCommand::new);
        m.put("ssh", SshCommand::new);
        m.put("snapshot", SnapshotCommand::new);
        m.put("kubeconfig", KubeconfigCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    public static void main(String[] args) {
        StartupPhases.done("main entered");
        // what every start reads, read while picocli parses the command line
        if (args.length > 0 && args[0].equals("up")) KubefakeCluster.prepare();
        System.exit(commandLine(args).execute(args));
    }

    /** The whole command line, with failures to start printed as one `error: ...` line and exit code 1. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.keySet());
    }

    /**
     * The command line that parses {@code args}: when its first word names a subcommand other than help, only that
     * subcommand is built (what it parses, prints and refuses is the same as with all of them); otherwise all.
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.containsKey(args[0])) {
            return commandLine(java.util.List.of(args[0]));
        }
        return commandLine();
    }

    private static CommandLine commandLine(Iterable<String> names) {
        CommandLine cli = new CommandLine(new Main());
        for (String name : names) cli.addSubcommand(name, SUBCOMMANDS.get(name).get());
        // after the subcommands: picocli hands a setting only to the subcommands present when it is set
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
