package kubefake.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `java -jar kubefake.jar COMMAND`: the command-line entry point. */
@Command(name = "kubefake", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A simulated Kubernetes cluster that the real kubectl talks to.",
        subcommands = {UpCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
