package kubefake.server.cli;

import kubefake.server.KubefakeCluster;
import kubefake.server.ServerVersion;
import kubefake.nodesim.NodeSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** `kubefake up`: start the lab cluster, write admin.conf, serve until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the simulated lab cluster (m-k8s, w1-k8s..w3-k8s) and write DIR/admin.conf.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the PKI and kubeconfigs live (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of(System.getProperty("user.home"), ".kubefake");

    @Option(names = "--port", paramLabel = "N", description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port = 6443;

    @Option(names = "--bind-address", paramLabel = "IP", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bindAddress = "0.0.0.0";

    @Option(names = "--advertise-address", paramLabel = "IP",
            description = "Address written into admin.conf and the kubernetes Endpoints (default: this host's first non-loopback IPv4).")
    String advertiseAddress;

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "Static bearer tokens, kube-apiserver's CSV format: token,user,uid,\"group1,group2\".")
    Path tokenAuthFile;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        KubefakeCluster.Options options = KubefakeCluster.Options.defaults(dataDir.toAbsolutePath())
                .withPort(port).withBindAddress(bindAddress).withTokenAuthFile(tokenAuthFile);
        if (advertiseAddress != null) options = options.withAdvertiseAddress(InetAddress.getByName(advertiseAddress));
        KubefakeCluster cluster = KubefakeCluster.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "kubefake-shutdown"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        String nodes = options.nodes().stream().map(NodeSpec::name).collect(Collectors.joining(", "));
        System.out.println("kubefake: Kubernetes " + ServerVersion.GIT_VERSION + " API server at " + cluster.serverUrl()
                + " (listening on " + bindAddress + ":" + cluster.port() + "), ready in " + millis + " ms");
        System.out.println("nodes: " + nodes);
        System.out.println("admin kubeconfig: " + cluster.adminConf());
        System.out.println();
        System.out.println("  export KUBECONFIG=" + cluster.adminConf());
        System.out.println("  kubectl get nodes");
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
