package kubefake.server.cli;

import io.netty.util.ResourceLeakDetector;
import kubefake.server.KubefakeCluster;
import kubefake.server.ServerVersion;
import kubefake.server.StartupPhases;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.LabTopology;
import kubefake.nodesim.NodeSpec;
import kubefake.server.http.GoDurations;
import kubefake.server.http.ServingOptions;
import kubefake.store.durability.Durability;
import kubefake.store.etcd.EtcdConnection;
import kubefake.store.durability.DurableStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** `kubefake up`: start the lab cluster, write admin.conf, serve until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the simulated lab cluster (m-k8s, w1-k8s..w3-k8s, or another shape) and write DIR/admin.conf.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the PKI, the kubeconfigs and the store (DIR/store) live; `up` on the same DIR brings the cluster back (default: ${DEFAULT-VALUE}).")
    Path dataDir = homeDirectory().resolve(".kubefake");

    /** ~ as the shell means it: $HOME, which Java's user.home ignores (it reads the password database). */
    static Path homeDirectory() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    @Option(names = "--name", paramLabel = "NAME",
            description = "A cluster of that name beside others, as kind's: its data dir is ~/.kubefake/NAME, it listens on"
                    + " any free port of 127.0.0.1 (unless --data-dir, --port, --bind-address or --advertise-address say"
                    + " otherwise), and its context kubefake-NAME is merged into $KUBECONFIG's file (or ~/.kube/config) and made current.")
    String name;

    @Option(names = "--durability", paramLabel = "fsync|none",
            description = "fsync: every write is in DIR/store's write-ahead log and fsynced before it is acknowledged (the default)."
                    + " none: the store lives in memory only and is gone when kubefake stops (throwaway CI clusters).")
    String durability = "fsync";

    @Option(names = "--etcd-servers", paramLabel = "URL[,URL...]", split = ",",
            description = "Keep the cluster in etcd (v3, e.g. http://127.0.0.1:2379) instead of DIR/store: several API"
                    + " servers may share it (with one PKI: start the others with a copy of the first one's DIR/pki); the"
                    + " controllers, scheduler and kubelets run in one of them, elected on Leases in kube-system."
                    + " --durability does not apply then.")
    List<String> etcdServers;

    @Option(names = "--etcd-cafile", paramLabel = "FILE", description = "The CA that signed etcd's serving certificates (PEM).")
    Path etcdCaFile;

    @Option(names = "--etcd-certfile", paramLabel = "FILE", description = "Client certificate for etcd (PEM).")
    Path etcdCertFile;

    @Option(names = "--etcd-keyfile", paramLabel = "FILE", description = "Private key of --etcd-certfile (PEM).")
    Path etcdKeyFile;

    @Option(names = "--etcd-prefix", paramLabel = "PREFIX",
            description = "The prefix of every key in etcd (default: ${DEFAULT-VALUE}): PREFIX/pods/NAMESPACE/NAME, as kube-apiserver lays them out.")
    String etcdPrefix = EtcdConnection.DEFAULT_PREFIX;

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

    @Option(names = "--request-timeout", paramLabel = "DURATION",
            description = "How long a request that is not a watch may take before it gets a 504, as kube-apiserver's flag (default: ${DEFAULT-VALUE}).")
    String requestTimeout = "1m0s";

    @Option(names = "--min-request-timeout", paramLabel = "SECONDS",
            description = "A watch without timeoutSeconds ends after this many seconds times a random factor in [1, 2), as kube-apiserver's flag (default: ${DEFAULT-VALUE}).")
    int minRequestTimeout = 1800;

    @Option(names = "--max-requests-inflight", paramLabel = "N",
            description = "Read-only requests served at once; more get 429. 0: no limit (default: ${DEFAULT-VALUE}).")
    int maxRequestsInFlight = 400;

    @Option(names = "--max-mutating-requests-inflight", paramLabel = "N",
            description = "Mutating requests served at once; more get 429. 0: no limit (default: ${DEFAULT-VALUE}).")
    int maxMutatingRequestsInFlight = 200;

    @Option(names = "--read-header-timeout", paramLabel = "DURATION",
            description = "The TLS handshake, and a request's line and headers, must arrive within this (Go http.Server's ReadHeaderTimeout, 32s in kube-apiserver; default: ${DEFAULT-VALUE}).")
    String readHeaderTimeout = "32s";

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "A keep-alive connection waiting for its next request is closed after this (Go http.Server's IdleTimeout, 90s in kube-apiserver; default: ${DEFAULT-VALUE}).")
    String idleTimeout = "1m30s";

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Open connections beyond this are closed when accepted (default: the file descriptor limit less 1024).")
    Integer maxConnections;

    @Option(names = "--workers", paramLabel = "N",
            description = "The lab with N workers w1-k8s..wN-k8s at 192.168.1.101.. (default: 3; at most "
                    + LabTopology.MAX_WORKERS + ", the lab's network ends at .254: use --config for more).")
    Integer workers;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The cluster's shape (YAML, kind ClusterShape): nodes with names, IPs, labels, taints and"
                    + " capacity, the pod and service networks, the lifecycle profile.")
    Path config;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "How fast pods move: lab (a real cluster's pace, the default), fast (milliseconds, for CI), or a"
                    + " profile file (YAML, kind LifecycleProfile).")
    String profile;

    @Option(names = "--images", paramLabel = "FILE",
            description = "An image catalogue (YAML, kind ImageCatalogue) tried before the shipped one.")
    Path images;

    @Option(names = "--metrics-server", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve metrics-server's API (metrics.k8s.io: kubectl top, the HPA's figures) from the simulated"
                    + " nodes' usage, as a lab where metrics-server is installed (default: on; --no-metrics-server: a"
                    + " fresh kubeadm cluster, where kubectl top says the Metrics API is not available).")
    boolean metricsServer;

    @Option(names = "--nfs-provisioner", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Install the course's dynamic provisioner: nfs-subdir-external-provisioner and its StorageClass"
                    + " managed-nfs-storage, which makes a volume on the control plane's NFS export for each claim of that"
                    + " class (default: on; --no-nfs-provisioner: a fresh kubeadm cluster, with no StorageClass).")
    boolean nfsProvisioner;

    @Option(names = "--exit-when-ready", hidden = true,
            description = "Start in a temporary data directory, make a first client's requests, wait for kube-system, stop,"
                    + " and again: the package step's training run for the class data archive (see StartupTraining).")
    boolean exitWhenReady;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * How long the nodes and controllers wait for a first health probe once the server listens: whoever waits for
     * {@code /readyz} (a script, kubeadm-like tooling, bench/startup.sh) gets its answer before they take the cores;
     * when nobody asks, they start this much later (docs/benchmarks/startup.md).
     */
    static final Duration PROBE_WAIT = Duration.ofMillis(500);

    /** A duration flag in Go's syntax (60s, 1m30s), positive. */
    private Duration duration(String option, String text) {
        Duration d;
        try {
            d = GoDurations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": must be positive: " + text);
        }
        return d;
    }

    private int notNegative(String option, int n) {
        if (n < 0) throw new CommandLine.ParameterException(spec.commandLine(), option + " can not be negative value");
        return n;
    }

    private ServingOptions serving() {
        if (minRequestTimeout < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-request-timeout: must be positive: " + minRequestTimeout);
        }
        if (maxConnections != null && maxConnections < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-connections: must be at least 1: " + maxConnections);
        }
        ServingOptions s = ServingOptions.defaults()
                .withRequestTimeout(duration("--request-timeout", requestTimeout))
                .withMinRequestTimeout(Duration.ofSeconds(minRequestTimeout))
                .withReadHeaderTimeout(duration("--read-header-timeout", readHeaderTimeout))
                .withIdleTimeout(duration("--idle-timeout", idleTimeout))
                .withMaxRequestsInFlight(notNegative("--max-requests-inflight", maxRequestsInFlight))
                .withMaxMutatingRequestsInFlight(notNegative("--max-mutating-requests-inflight", maxMutatingRequestsInFlight));
        return maxConnections == null ? s : s.withMaxConnections(maxConnections);
    }

    private Durability durability() {
        try {
            return Durability.parse(durability);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--durability: " + e.getMessage());
        }
    }

    /** The etcd the --etcd-* flags name, or null for the embedded store. */
    private EtcdConnection etcd() {
        boolean tlsFlags = etcdCaFile != null || etcdCertFile != null || etcdKeyFile != null;
        if (etcdServers == null || etcdServers.isEmpty()) {
            if (tlsFlags || !EtcdConnection.DEFAULT_PREFIX.equals(etcdPrefix)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--etcd-cafile, --etcd-certfile, --etcd-keyfile and"
                        + " --etcd-prefix need --etcd-servers");
            }
            return null;
        }
        try {
            return new EtcdConnection(etcdServers.stream().filter(u -> !u.isBlank()).map(EtcdConnection::server).toList(),
                    etcdCaFile, etcdCertFile, etcdKeyFile, etcdPrefix);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--etcd-servers: " + e.getMessage());
        }
    }

    /** The shape --workers, --config, --profile and --images ask for (the lab by default). */
    ClusterShape shape() throws java.io.IOException {
        if (workers != null && config != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers and --config cannot be used together");
        }
        ClusterShape shape;
        if (config != null) {
            shape = ClusterShape.load(config);
        } else if (workers != null) {
            try {
                shape = ClusterShape.labWithWorkers(workers);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        } else {
            shape = ClusterShape.lab();
        }
        if (profile != null) shape = shape.withProfile(profile);
        if (images != null) shape = shape.withImages(images);
        return shape;
    }

    /** An IPv4 or IPv6 address written as such (no name lookup). */
    private InetAddress ipLiteral(String option, String text) {
        boolean literal = text.matches("\\d{1,3}(\\.\\d{1,3}){3}") || text.contains(":");
        try {
            if (literal) return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            // falls through to the error below
        }
        throw new CommandLine.ParameterException(spec.commandLine(), option + ": not an IP address: " + text);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        StartupPhases.done("command line parsed");
        if (name != null) {
            NamedClusters.validate(name, spec.commandLine());
            CommandLine.ParseResult given = spec.commandLine().getParseResult();
            if (!given.hasMatchedOption("--data-dir")) dataDir = NamedClusters.dataDir(name);
            if (!given.hasMatchedOption("--port")) port = 0;
            if (!given.hasMatchedOption("--bind-address")) bindAddress = "127.0.0.1";
            if (!given.hasMatchedOption("--advertise-address")) advertiseAddress = "127.0.0.1";
        }
        KubefakeCluster.Options options = KubefakeCluster.Options.defaults(dataDir.toAbsolutePath())
                .withPort(port).withBindAddress(bindAddress).withTokenAuthFile(tokenAuthFile).withServing(serving())
                .withShape(shape()).withDurability(durability()).withEtcd(etcd()).withMetricsServer(metricsServer)
                .withNfsProvisioner(nfsProvisioner).withProbeWait(PROBE_WAIT);
        if (advertiseAddress != null) options = options.withAdvertiseAddress(ipLiteral("--advertise-address", advertiseAddress));
        ipLiteral("--bind-address", bindAddress);
        if (port < 0 || port > 65535) throw new CommandLine.ParameterException(spec.commandLine(), "--port: not a port number: " + port);
        // Netty's leak detector records the stack of one buffer in 128 (a Throwable filled per record): a debugging aid
        // that cost a served GET ~2 % of its CPU; tests keep it, and -Dio.netty.leakDetection.level brings it back
        if (System.getProperty("io.netty.leakDetection.level") == null) ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        if (exitWhenReady) {
            StartupTraining.run(options, spec.commandLine().getOut());
            return 0;
        }
        KubefakeCluster cluster = KubefakeCluster.start(options);
        java.nio.file.Path pidFile = options.dataDir().resolve(NamedClusters.PID_FILE);
        java.nio.file.Path kubeconfigFile = null;
        if (name != null) {
            java.nio.file.Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            kubeconfigFile = NamedClusters.export(name);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("kubefake: stopped");
            System.out.flush();
            // a clean stop on Ctrl-C or SIGTERM exits 0, as the API server does, not the JVM's 130/143
            Runtime.getRuntime().halt(0);
        }, "kubefake-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<NodeSpec> all = options.nodes();
        String nodes = all.size() <= 12 ? all.stream().map(NodeSpec::name).collect(Collectors.joining(", "))
                : all.stream().limit(4).map(NodeSpec::name).collect(Collectors.joining(", ")) + ", ... "
                + all.get(all.size() - 1).name() + " (" + all.size() + " nodes)";
        System.out.println("kubefake: Kubernetes " + ServerVersion.GIT_VERSION + " API server at " + cluster.serverUrl()
                + " (listening on " + bindAddress + ":" + cluster.port() + "), ready in " + millis + " ms");
        System.out.println("nodes: " + nodes);
        System.out.println("store: " + (options.etcd() != null ? "etcd at " + options.etcd() + ", at revision "
                + cluster.keyValueStore().currentRevision()
                : options.durability() == Durability.NONE ? "in memory only (--durability=none)"
                : DurableStore.storeDirectory(options.dataDir()) + " (write-ahead log, fsync), at revision "
                + cluster.store().store().currentRevision()));
        if (options.etcd() != null) {
            System.out.println("controllers, scheduler and kubelets: " + (cluster.runsControllers()
                    ? "in this server (it holds the Lease kube-system/kube-controller-manager)"
                    : "in the holder of the Lease kube-system/kube-controller-manager, "
                    + cluster.controllerManagerLeaseHolder().orElse("") + "; this server takes them over once that"
                    + " holder stops renewing it for 15 s"));
        }
        System.out.println("admin kubeconfig: " + cluster.adminConf());
        System.out.println("web view: " + cluster.serverUrl() + KubefakeCluster.WEB_VIEW_PATH + " (log in with a token)");
        if (kubeconfigFile != null) {
            System.out.println("Set kubectl context to \"" + NamedClusters.context(name) + "\" (in " + kubeconfigFile + ")");
        }
        System.out.println();
        System.out.println("  export KUBECONFIG=" + cluster.adminConf());
        System.out.println("  kubectl get nodes");
        System.out.println();
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        try {
            stop.await(); // Ctrl-C / SIGTERM (or an interrupt when embedded in a test)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (name != null) java.nio.file.Files.deleteIfExists(pidFile);
            cluster.close();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook is running
            }
        }
        return 0;
    }
}
