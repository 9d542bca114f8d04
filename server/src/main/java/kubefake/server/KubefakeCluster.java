package kubefake.server;

import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterClock;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.runtime.SystemClusterClock;
import kubefake.client.runtime.SystemRuntime;
import kubefake.store.registry.fieldvalidation.GoJsonTags;
import kubefake.store.registry.patch.PatchSchema;
import kubefake.kubeconfig.Kubeconfigs;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.NodeSpec;
import kubefake.nodesim.SimulatedNodes;
import kubefake.server.streams.NodePorts;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.network.Ipv4Cidr;
import kubefake.server.api.ApiRouter;
import kubefake.server.auth.ServiceAccountTokens;
import kubefake.server.auth.StaticTokenFile;
import kubefake.server.auth.TokenAuthenticator;
import kubefake.server.cluster.Bootstrap;
import kubefake.server.cluster.ControlPlane;
import kubefake.server.cluster.KubeSystem;
import kubefake.server.http.HttpFrontEnd;
import kubefake.server.http.ServingOptions;
import kubefake.store.etcd.EtcdConnection;
import kubefake.store.mvcc.Compactor;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.durability.DurableStore;
import kubefake.store.durability.Durability;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.rbac.BootstrapPolicy;
import kubefake.store.registry.rbac.ClusterRoleAggregation;
import kubefake.store.registry.rbac.Escalation;
import kubefake.store.registry.certificates.CertificateApproval;
import kubefake.store.registry.certificates.CertificateSubjectRestriction;
import kubefake.store.registry.certificates.CsrRequestor;
import kubefake.store.registry.rbac.RbacAuthorizer;
import kubefake.store.registry.rbac.RbacPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A whole simulated cluster in this process: PKI and kubeconfigs in the data directory, the MVCC store, the
 * registry with its bootstrap objects, the controllers and their runtime (the cluster clock and the small thread pool
 * all background work runs on), and the HTTPS API server. The embeddable entry point:
 * {@code try (var c = KubefakeCluster.start(KubefakeCluster.Options.defaults(dir).withPort(0))) { ... c.adminConf() ... }}.
 */
public final class KubefakeCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubefakeCluster.class);

    /**
     * How start() is configured; see the `up` command for the meaning of each.
     *
     * @param clock         the cluster's time and scheduler (real time by default; a ManualClusterClock lets a test
     *                      move it)
     * @param workerThreads the size of the pool every controller's background work runs on
     * @param shape         the nodes, networks, lifecycle profile and image catalogue (the lab by default)
     */
    public record Options(Path dataDir, int port, String bindAddress, InetAddress advertiseAddress, Path tokenAuthFile,
                          ClusterShape shape, ClusterClock clock, Duration compactionInterval, int workerThreads,
                          ServingOptions serving, Durability durability, EtcdConnection etcd) {
        public static Options defaults(Path dataDir) {
            return new Options(dataDir, 6443, "0.0.0.0", null, null, ClusterShape.lab(), new SystemClusterClock(),
                    Duration.ofMinutes(5), SystemRuntime.DEFAULT_THREADS, ServingOptions.defaults(), Durability.FSYNC, null);
        }

        /** Whether the store survives a restart: fsync (DATA_DIR/store, the default) or none (memory only). */
        public Options withDurability(Durability d) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, d, etcd);
        }

        /** The store on etcd instead of DATA_DIR/store (null: the embedded store; --durability then does not apply). */
        public Options withEtcd(EtcdConnection e) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, e);
        }

        /** The nodes of the shape. */
        public List<NodeSpec> nodes() {
            return shape.nodes();
        }

        public Options withDataDir(Path d) {
            return new Options(d, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withShape(ClusterShape s) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, s, clock, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withPort(int p) {
            return new Options(dataDir, p, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withBindAddress(String a) {
            return new Options(dataDir, port, a, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withAdvertiseAddress(InetAddress a) {
            return new Options(dataDir, port, bindAddress, a, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withTokenAuthFile(Path f) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, f, shape, clock, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withCompactionInterval(Duration d) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, d, workerThreads, serving, durability, etcd);
        }

        public Options withClock(ClusterClock c) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, c, compactionInterval, workerThreads, serving, durability, etcd);
        }

        public Options withWorkerThreads(int n) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, n, serving, durability, etcd);
        }

        /** Timeouts and limits of the HTTPS front end (kube-apiserver's defaults unless changed). */
        public Options withServing(ServingOptions s) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, s, durability, etcd);
        }
    }

    /** The embedded store, null on etcd. */
    private final DurableStore store;
    /** The store the registry is on: the embedded store's, or etcd. */
    private final KeyValueStore kv;
    private final Registry registry;
    private final HttpFrontEnd frontEnd;
    private final ClusterRuntime runtime;
    private final SharedInformers informers;
    private final ControlPlane controlPlane;
    private final SimulatedNodes nodes;
    private final NodePorts nodePorts;
    private final Path adminConf;
    private final String serverUrl;
    private final ClusterPki pki;
    private final RbacPolicy rbac;

    private KubefakeCluster(DurableStore store, KeyValueStore kv, Registry registry, HttpFrontEnd frontEnd, ClusterRuntime runtime,
                            SharedInformers informers, ControlPlane controlPlane, SimulatedNodes nodes, NodePorts nodePorts,
                            Path adminConf, String serverUrl, ClusterPki pki, RbacPolicy rbac) {
        this.rbac = rbac;
        this.store = store;
        this.kv = kv;
        this.registry = registry;
        this.frontEnd = frontEnd;
        this.runtime = runtime;
        this.informers = informers;
        this.controlPlane = controlPlane;
        this.nodes = nodes;
        this.nodePorts = nodePorts;
        this.adminConf = adminConf;
        this.serverUrl = serverUrl;
        this.pki = pki;
    }

    /**
     * Starts the cluster. The API server listens as soon as what a real one has before it reports ready exists (the
     * system namespaces and the kubernetes service); the nodes register, kube-system's add-ons are created and the
     * controllers and kubelets start after, as in a kubeadm cluster, and this returns once all of that is done.
     * Independent set-up runs on threads of its own beside the main line (docs/benchmarks/startup.md).
     */
    public static KubefakeCluster start(Options o) throws IOException, InterruptedException {
        // the nodes' profile and image catalogue (YAML) are read meanwhile; a file that cannot be read stops the start
        // before the server listens
        CompletableFuture<SimulatedNodes.Config> nodesConfig = beside("nodes-config", () -> {
            SimulatedNodes.Config c = SimulatedNodes.Config.of(o.shape(), ServerVersion.GIT_VERSION,
                    KubeSystem.images(ServerVersion.GIT_VERSION));
            StartupPhases.done("nodes' profile and image catalogue read");
            return c;
        });
        Files.createDirectories(o.dataDir());
        InetAddress advertise = o.advertiseAddress() != null ? o.advertiseAddress()
                : PkiSpec.firstNonLoopbackIpv4().orElse(PkiSpec.LOOPBACK_IPV4);
        String controlPlaneNode = o.nodes().stream().filter(NodeSpec::controlPlane).map(NodeSpec::name).findFirst().orElse("m-k8s");
        // the core group's schema (1.4 MB of OpenAPI, which the typed round trip of the bootstrap's first write needs)
        // is read meanwhile too
        beside("schemas", () -> {
            PatchSchema.forGroupVersion("", "v1");
            GoJsonTags.get();
            StartupPhases.done("core schema and Go JSON tags read");
            return null;
        });
        // the PKI and TLS set-up (key loading, JDK TLS initialisation) run beside the registry's bootstrap: two cores
        CompletableFuture<Tls> tls = beside("pki", () -> {
            ClusterPki pki = ClusterPki.loadOrCreate(o.dataDir().resolve("pki"),
                    new PkiSpec(controlPlaneNode, advertise, new ArrayList<>(PkiSpec.hostIpv4Addresses()), List.of()));
            StartupPhases.done("PKI loaded or created");
            SslContext ssl = HttpFrontEnd.sslContext(pki.servingKey(),
                    pki.servingCertificateChain().toArray(new X509Certificate[0]), pki.clientCertificateVerifier());
            StartupPhases.done("TLS context built");
            return new Tls(pki, ssl);
        });
        StaticTokenFile tokens = o.tokenAuthFile() == null ? StaticTokenFile.empty() : StaticTokenFile.load(o.tokenAuthFile());

        DurableStore store = null;
        KeyValueStore kv;
        try {
            if (o.etcd() != null) {
                kv = o.etcd().open(Registry.revisionStamper());
            } else {
                store = DurableStore.open(o.dataDir(), o.durability());
                kv = store.store();
            }
            StartupPhases.done("store opened");
        } catch (IOException | RuntimeException e) {
            settle(tls);
            throw e;
        }
        try {
            return start(o, store, kv, nodesConfig, advertise, controlPlaneNode, tls, tokens);
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeStore(store, kv); // the embedded store's log and the data directory's lock
            settle(tls);
            throw e;
        }
    }

    private static KubefakeCluster start(Options o, DurableStore store, KeyValueStore kv, CompletableFuture<SimulatedNodes.Config> nodesConfig,
                                         InetAddress advertise, String controlPlaneNode, CompletableFuture<Tls> tls,
                                         StaticTokenFile tokens) throws IOException, InterruptedException {
        Registry registry = new Registry(kv, o.clock(), ResourceCatalogue.builtIn());
        StartupPhases.done("registry built");
        Bootstrap bootstrap = new Bootstrap(registry);
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse(o.shape().podCidr()));
        bootstrap.ensureSystemObjects();
        BootstrapPolicy.ensure(registry);
        RbacPolicy rbac = new RbacPolicy(registry);
        RbacAuthorizer authorizer = new RbacAuthorizer(rbac);
        StartupPhases.done("system objects and RBAC policy written");
        HttpFrontEnd frontEnd = new HttpFrontEnd();
        Tls t;
        ApiRouter router;
        SimulatedNodes.Config nodesConf;
        try {
            nodesConf = nodesConfig.join();
            t = tls.join();
            StartupPhases.done("waited for TLS");
            router = new ApiRouter(registry, o.clock(), ServerVersion.info(),
                    () -> advertise.getHostAddress() + ":" + frontEnd.port(), authorizer);
            StartupPhases.done("router and discovery built");
            ServiceAccountTokens serviceAccountTokens = new ServiceAccountTokens(registry, t.pki().serviceAccountKeyPair(), o.clock());
            router.serveServiceAccountTokens(serviceAccountTokens);
            frontEnd.start(o.bindAddress(), o.port(), t.ssl(), t.pki().clientCertificateVerifier(),
                    TokenAuthenticator.union(tokens, serviceAccountTokens), router, o.serving(), kv.writesWait());
            StartupPhases.done("listening");
        } catch (CompletionException e) {
            frontEnd.close();
            rbac.close();
            if (e.getCause() instanceof IOException io) throw io;
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (InterruptedException | RuntimeException e) {
            frontEnd.close();
            rbac.close();
            throw e;
        }
        int port = frontEnd.port();
        bootstrap.publishApiServerEndpoints(advertise.getHostAddress(), port);
        bootstrap.registerNodes(o.shape(), ipam, ServerVersion.GIT_VERSION, o.clock().instant());
        StartupPhases.done("nodes and kube-system add-ons written");
        // one runtime per cluster: every controller's work and the store's upkeep run on its clock and pool
        ClusterRuntime runtime = SystemRuntime.start(o.clock(), o.workerThreads());
        SharedInformers informers = new SharedInformers(registry, runtime);
        ControlPlane controlPlane = ControlPlane.start(registry, informers, runtime, controlPlaneNode,
                new String(t.pki().caCertificatePem(), StandardCharsets.US_ASCII), t.pki());
        // RBAC's escalation and bind checks on writes of its own objects, after the control plane's plugins
        registry.useAdmission(registry.admission().withValidating(new Escalation(authorizer)).withMutating(new CsrRequestor())
                .withValidating(new CertificateApproval(authorizer)).withValidating(new CertificateSubjectRestriction()));
        ClusterRoleAggregation.start(registry, rbac);
        SimulatedNodes nodes = new SimulatedNodes(registry, informers, runtime, ipam, nodesConf);
        NodePorts nodePorts = new NodePorts(nodes, informers, o.clock(), o.bindAddress());
        informers.start();
        nodes.start();
        router.serveNodeFaults(nodes);
        if (store != null) {
            router.serveSnapshots(store);
        } else {
            router.refuseSnapshots("the cluster's store is etcd (" + o.etcd() + "): use etcdctl snapshot save");
        }
        router.serveContainers(nodes);
        StartupPhases.done("controllers and kubelets started");
        Compactor compactor = new Compactor(kv);
        runtime.every(o.compactionInterval(), compactor::tick);
        runtime.every(Duration.ofSeconds(10), () -> {
            try {
                bootstrap.ensureSystemObjects();
            } catch (RuntimeException e) {
                LOG.warn("could not restore the system objects", e);
            }
        });
        String serverUrl = "https://" + hostForUrl(advertise) + ":" + port;
        Path adminConf = Kubeconfigs.writeAdminConfs(t.pki(), serverUrl, o.dataDir());
        StartupPhases.done("kubeconfigs written");
        return new KubefakeCluster(store, kv, registry, frontEnd, runtime, informers, controlPlane, nodes, nodePorts, adminConf,
                serverUrl, t.pki(), rbac);
    }

    private record Tls(ClusterPki pki, SslContext ssl) {
    }

    /** Waits for set-up work that may still write to the data directory, whatever its outcome, on a failed start. */
    private static void settle(CompletableFuture<?> work) {
        try {
            work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the start fails for another reason, already being thrown
        }
    }

    /** Set-up work run on a thread of its own (the common pool has one thread on a 2-core machine). */
    private static <T> CompletableFuture<T> beside(String name, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "start-" + name);
        t.setDaemon(true);
        t.start();
        return result;
    }

    private static String hostForUrl(InetAddress a) {
        String h = a.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public int port() { return frontEnd.port(); }

    public Path adminConf() { return adminConf; }

    public String serverUrl() { return serverUrl; }

    public Registry registry() { return registry; }

    public ClusterPki pki() { return pki; }

    /** The cluster's embedded store and how it is kept (what {@code kubefake snapshot save} reads); null on etcd. */
    public DurableStore store() { return store; }

    /** The store the cluster's registry is on (the embedded store's, or etcd). */
    public KeyValueStore keyValueStore() { return kv; }

    /** The cluster's clock and executor, which in-process components and tests may use too. */
    public ClusterRuntime runtime() { return runtime; }

    /** The simulated nodes: their kubelets and the faults a user can cause ({@code nodes().stopKubelet("w1-k8s")}). */
    public SimulatedNodes nodes() { return nodes; }

    /** The informers the cluster's controllers share. */
    public SharedInformers informers() { return informers; }

    @Override
    public void close() {
        frontEnd.close();
        rbac.close();
        nodePorts.close();
        controlPlane.close();
        nodes.close();
        informers.close();
        runtime.close();
        closeStore(store, kv);
    }

    private static void closeStore(DurableStore store, KeyValueStore kv) {
        if (store != null) {
            store.close();
        } else {
            kv.close();
        }
    }
}
