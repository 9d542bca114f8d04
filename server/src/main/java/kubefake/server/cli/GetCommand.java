package kubefake.server.cli;

import kubefake.kubeconfig.KubeconfigYaml;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code kubefake get clusters}, {@code kubefake get kubeconfig --name NAME}: as kind's. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show the named clusters, or one's kubeconfig.",
        subcommands = {GetCommand.Clusters.class, GetCommand.KubeconfigOf.class})
final class GetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "clusters", mixinStandardHelpOptions = true,
            description = "List the clusters started with `up --name` (in ~/.kubefake), one name a line.")
    static final class Clusters implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> names = NamedClusters.names();
            if (names.isEmpty()) spec.commandLine().getErr().println("No kubefake clusters found.");
            names.forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }

    @Command(name = "kubeconfig", mixinStandardHelpOptions = true,
            description = "Print the cluster's admin kubeconfig, its cluster, user and context named kubefake-NAME.")
    static final class KubeconfigOf implements Callable<Integer> {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The cluster's name.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var config = NamedClusters.kubeconfig(name);
            if (config.isEmpty()) {
                spec.commandLine().getErr().println("error: no kubefake cluster named " + name + " (kubefake get clusters lists them)");
                return 1;
            }
            spec.commandLine().getOut().print(KubeconfigYaml.toYaml(config.get()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
