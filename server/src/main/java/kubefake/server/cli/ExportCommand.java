package kubefake.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code kubefake export kubeconfig --name NAME}: merges the cluster's context into the kubeconfig again, as kind's. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a named cluster's kubeconfig.",
        subcommands = {ExportCommand.KubeconfigOf.class})
final class ExportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "kubeconfig", mixinStandardHelpOptions = true,
            description = "Merge context, cluster and user kubefake-NAME into $KUBECONFIG's file (or ~/.kube/config) and make"
                    + " the context current.")
    static final class KubeconfigOf implements Callable<Integer> {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The cluster's name.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (NamedClusters.kubeconfig(name).isEmpty()) {
                spec.commandLine().getErr().println("error: no kubefake cluster named " + name + " (kubefake get clusters lists them)");
                return 1;
            }
            NamedClusters.export(name);
            spec.commandLine().getOut().println("Set kubectl context to \"" + NamedClusters.context(name) + "\"");
            return 0;
        }
    }
}
