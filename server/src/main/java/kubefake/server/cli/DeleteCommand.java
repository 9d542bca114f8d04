package kubefake.server.cli;

import kubefake.kubeconfig.KubeconfigMerge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code kubefake delete cluster --name NAME}: stops it, removes its data dir and its kubeconfig entries, as kind's. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a named cluster.",
        subcommands = {DeleteCommand.Cluster.class})
final class DeleteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = "Stop the cluster (SIGTERM to its `up`), delete ~/.kubefake/NAME, and remove context, cluster and user"
                    + " kubefake-NAME from the kubeconfig (unsetting the current context if it was that one).")
    static final class Cluster implements Callable<Integer> {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The cluster's name.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            NamedClusters.validate(name, spec.commandLine());
            spec.commandLine().getOut().println("Deleting cluster \"" + name + "\" ...");
            var process = NamedClusters.process(name);
            if (process.isPresent()) {
                ProcessHandle p = process.get();
                p.destroy(); // SIGTERM: up closes the cluster and exits
                try {
                    p.onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    p.destroyForcibly();
                    p.onExit().get(10, TimeUnit.SECONDS);
                }
            }
            KubeconfigMerge.remove(NamedClusters.kubeconfigFile(), NamedClusters.context(name));
            NamedClusters.deleteTree(NamedClusters.dataDir(name));
            return 0;
        }
    }
}
