package kubefake.server.cli;

import kubefake.certs.ClientCertificate;
import kubefake.certs.ClusterPki;
import kubefake.kubeconfig.Kubeconfig;
import kubefake.kubeconfig.KubeconfigYaml;
import kubefake.kubeconfig.Kubeconfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kubefake kubeconfig user NAME}: kubeconfigs for other identities than the administrator's (kubeadm kubeconfig user). */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true,
        description = "Write kubeconfigs for other users of the cluster.",
        subcommands = {KubeconfigCommand.User.class})
final class KubeconfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "user", mixinStandardHelpOptions = true,
            description = "Print a kubeconfig whose client certificate, signed by the cluster CA, names user NAME (CN) in "
                    + "the groups given (O), as `kubeadm kubeconfig user --client-name NAME` does.")
    static final class User implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The user name (the certificate's CN).")
        String name;

        @Option(names = "--group", paramLabel = "GROUP", description = "A group of the user (the certificate's O); repeatable.")
        List<String> groups = new ArrayList<>();

        @Option(names = "--namespace", paramLabel = "NS", description = "The context's namespace.")
        String namespace;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "The cluster's data directory, with pki/ and admin.conf (default: ${DEFAULT-VALUE}).")
        Path dataDir = UpCommand.homeDirectory().resolve(".kubefake");

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the kubeconfig to FILE instead of standard output.")
        Path output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path adminConf = dataDir.resolve("admin.conf");
            if (!Files.exists(adminConf)) {
                spec.commandLine().getErr().println("error: " + adminConf + " does not exist (run kubefake up --data-dir " + dataDir + " first)");
                return 1;
            }
            Kubeconfig admin = KubeconfigYaml.read(adminConf);
            Kubeconfig.Cluster cluster = admin.cluster(Kubeconfigs.CLUSTER_NAME).orElseThrow();
            ClientCertificate certificate = ClusterPki.issueClientCertificate(dataDir.resolve("pki"), name, groups,
                    Kubeconfigs.CLIENT_CERTIFICATE_VALIDITY);
            Kubeconfig single = Kubeconfig.single(Kubeconfigs.CLUSTER_NAME, cluster, name,
                    Kubeconfig.User.withClientCertificate(certificate.certificatePem(), certificate.privateKeyPem()));
            Kubeconfig config = namespace == null ? single : new Kubeconfig(single.clusters(),
                    List.of(new Kubeconfig.NamedContext(single.currentContext(), new Kubeconfig.Context(Kubeconfigs.CLUSTER_NAME, name, namespace))),
                    single.currentContext(), single.users());
            if (output != null) {
                KubeconfigYaml.write(config, output);
            } else {
                spec.commandLine().getOut().print(KubeconfigYaml.toYaml(config));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }
}
