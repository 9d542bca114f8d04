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
import kubefake.nodesim.lifecycle.LifecycleProfile;
import kubefake.server.streams.NodePorts;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.network.Ipv4Cidr;
import kubefake.server.api.ApiRouter;
import kubefake.server.auth.ServiceAccountTokens;
import kubefake.server.auth.StaticTokenFile;
import kubefake.server.auth.TokenAuthenticator;
import kubefake.server.auth.TokenReviewer;
import kubefake.server.cluster.Bootstrap;
import kubefake.server.cluster.ControlPlane;
import kubefake.server.metrics.MetricsApi;
import kubefake.controllers.podautoscaler.ResourceMetricsApi;
import kubefake.server.cluster.NfsProvisioner;
import kubefake.server.cluster.ControllerManagerTerm;
import kubefake.server.cluster.LeaderElected;
import kubefake.client.leaderelection.LeaderElector;
import kubefake.client.Client;
import kubefake.controllers.scheduler.Scheduler;
import kubefake.store.registry.request.UserInfo;
import kubefake.server.cluster.KubeSystem;
import kubefake.server.http.HttpFrontEnd;
import kubefake.server.http.StaticResources;
import kubefake.server.http.ServingOptions;
import kubefake.server.metrics.ApiServerMetrics;
import kubefake.store.etcd.EtcdConnection;
import kubefake.store.mvcc.Compactor;
import kubefake.store.mvcc.DeferredDurability;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.MemoryKeyValueStore;
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
import java.util.Optional;
import java.util.function.Function;
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
    /** How long a superseded value of the embedded store stays as it is before it is packed (one to two periods). */
    private static final Duration HISTORY_PACKING_INTERVAL = Duration.ofSeconds(2);
    /** Where the web view is served ({@code https://HOST:PORT/ui/}), from the jar's {@code kubefake/ui/}. */
    public static final String WEB_VIEW_PATH = "/ui/";
    private static final java.util.concurrent.atomic.AtomicBoolean PREPARED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * How start() is configured; see the `up` command for the meaning of each.
     *
     * @param clock         the cluster's time and scheduler (real time by default; a ManualClusterClock lets a test
     *                      move it)
     * @param workerThreads the size of the pool every controller's background work runs on
     * @param shape         the nodes, networks, lifecycle profile and image catalogue (the lab by default)
     * @param metricsServer whether metrics-server's API (metrics.k8s.io, {@code kubectl top}) is served
     * @param nfsProvisioner whether the course's nfs-subdir-external-provisioner and its StorageClass are installed
     * @param probeWait     how long, once it listens, the API server waits for its first health probe before the nodes
     *                      register and the controllers, scheduler and kubelets start (zero: they start at once)
     */
    public record Options(Path dataDir, int port, String bindAddress, InetAddress advertiseAddress, Path tokenAuthFile,
                          ClusterShape shape, ClusterClock clock, Duration compactionInterval, int workerThreads,
                          ServingOptions serving, Durability durability, EtcdConnection etcd, boolean metricsServer,
                          boolean nfsProvisioner, Duration probeWait) {
        public static Options defaults(Path dataDir) {
            return new Options(dataDir, 6443, "0.0.0.0", null, null, ClusterShape.lab(), new SystemClusterClock(),
                    Duration.ofMinutes(5), SystemRuntime.DEFAULT_THREADS, ServingOptions.defaults(), Durability.FSYNC, null, true, true, Duration.ZERO);
        }

        /** Whether the store survives a restart: fsync (DATA_DIR/store, the default) or none (memory only). */
        public Options withDurability(Durability d) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, d, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        /** The store on etcd instead of DATA_DIR/store (null: the embedded store; --durability then does not apply). */
        public Options withEtcd(EtcdConnection e) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, e, metricsServer, nfsProvisioner, probeWait);
        }

        /** The nodes of the shape. */
        public List<NodeSpec> nodes() {
            return shape.nodes();
        }

        public Options withDataDir(Path d) {
            return new Options(d, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withShape(ClusterShape s) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, s, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withPort(int p) {
            return new Options(dataDir, p, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withBindAddress(String a) {
            return new Options(dataDir, port, a, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withAdvertiseAddress(InetAddress a) {
            return new Options(dataDir, port, bindAddress, a, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withTokenAuthFile(Path f) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, f, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withCompactionInterval(Duration d) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, d, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withClock(ClusterClock c) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, c, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        public Options withWorkerThreads(int n) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, n, serving, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }

        /** Whether metrics-server's API (metrics.k8s.io, {@code kubectl top}) is served: on unless turned off. */
        public Options withMetricsServer(boolean on) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, on, nfsProvisioner, probeWait);
        }

        /**
         * Whether the course's dynamic provisioner is installed: nfs-subdir-external-provisioner with its StorageClass
         * {@code managed-nfs-storage} (on unless turned off).
         */
        public Options withNfsProvisioner(boolean on) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, on, probeWait);
        }

        /**
         * How long, once it listens, the API server waits for its first health probe ({@code /readyz}, {@code /healthz},
         * {@code /livez}) before the nodes register and the controllers, scheduler and kubelets start, as kubeadm waits
         * for the control plane's health before it joins the nodes and installs the add-ons: the prober is answered on
         * cores they do not share yet. Zero (the default): they start at once.
         */
        public Options withProbeWait(Duration d) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, serving, durability, etcd, metricsServer, nfsProvisioner, d);
        }

        /** Timeouts and limits of the HTTPS front end (kube-apiserver's defaults unless changed). */
        public Options withServing(ServingOptions s) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, shape, clock, compactionInterval, workerThreads, s, durability, etcd, metricsServer, nfsProvisioner, probeWait);
        }
    }

    /** The embedded store, null on etcd. */
    private final DurableStore store;
    /** The store the registry is on: the embedded store's, or etcd. */
    private final KeyValueStore kv;
    private final Registry registry;
    private final HttpFrontEnd frontEnd;
    private final ClusterRuntime runtime;
    private final Components components;
    private final Path adminConf;
    private final String serverUrl;
    private final ClusterPki pki;
    private final RbacPolicy rbac;

    private KubefakeCluster(DurableStore store, KeyValueStore kv, Registry registry, HttpFrontEnd frontEnd, ClusterRuntime runtime,
                            Components components, Path adminConf, String serverUrl, ClusterPki pki, RbacPolicy rbac) {
        this.rbac = rbac;
        this.store = store;
        this.kv = kv;
        this.registry = registry;
        this.frontEnd = frontEnd;
        this.runtime = runtime;
        this.components = components;
        this.adminConf = adminConf;
        this.serverUrl = serverUrl;
        this.pki = pki;
    }

    /**
     * Starts the cluster. The API server listens as soon as what a real one has before it reports ready exists (the
     * system namespaces and the kubernetes service); the nodes register, kube-system's add-ons are created and the
     * controllers and kubelets start after (once a health probe is answered, or {@link Options#probeWait} has passed), as
     * in a kubeadm cluster, and this returns once all of that is done.
     * Independent set-up runs on threads of its own beside the main line (docs/benchmarks/startup.md).
     */
    public static KubefakeCluster start(Options o) throws IOException, InterruptedException {
        // the nodes' profile and image catalogue (YAML): only the kubelets need them, after the server listens; a
        // user's file is read meanwhile, so that one that cannot be read stops the start before the server listens
        CompletableFuture<SimulatedNodes.Config> nodesConfig = readsUserFiles(o.shape()) ? nodesConfig(o) : null;
        Files.createDirectories(o.dataDir());
        InetAddress advertise = o.advertiseAddress() != null ? o.advertiseAddress()
                : PkiSpec.firstNonLoopbackIpv4().orElse(PkiSpec.LOOPBACK_IPV4);
        String controlPlaneNode = o.nodes().stream().filter(NodeSpec::controlPlane).map(NodeSpec::name).findFirst().orElse("m-k8s");
        prepare();
        // the PKI and TLS set-up (key loading, the TLS library's initialisation) run beside the registry's bootstrap: two cores
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

    /**
     * Starts reading, on threads of their own, what every start needs whatever its options: the core group's schema
     * (1.4 MB of OpenAPI, which the typed round trip of the bootstrap's first write needs) and Go's JSON tags, then the
     * registry's classes, and the TLS library (BoringSSL's native code and Netty's set-up of it, ~0.17 s of a cold
     * start's CPU). {@code up} calls it before its command line is parsed, so that the two overlap; later calls do
     * nothing.
     */
    public static void prepare() {
        if (!PREPARED.compareAndSet(false, true)) return;
        beside("schemas", () -> {
            PatchSchema.forGroupVersion("", "v1");
            GoJsonTags.get();
            StartupPhases.done("core schema and Go JSON tags read");
            // a registry on a store of its own, dropped at once: the first one built in a process spends ~80 ms of CPU
            // initialising the catalogue's, the strategies', the admission chain's and the field managers' classes,
            // the next one ~3 ms. Built here, beside the command line and the store's recovery, that is off the main
            // thread's way to listening (docs/benchmarks/startup.md, eighth round)
            new Registry(new MemoryKeyValueStore(), java.time.Clock.systemUTC(), ResourceCatalogue.builtIn());
            StartupPhases.done("registry's classes initialised");
            return null;
        });
        beside("tls-library", () -> {
            HttpFrontEnd.loadTlsLibrary();
            StartupPhases.done("TLS library loaded");
            return null;
        });
    }

    private static KubefakeCluster start(Options o, DurableStore store, KeyValueStore kv, CompletableFuture<SimulatedNodes.Config> nodesConfig,
                                         InetAddress advertise, String controlPlaneNode, CompletableFuture<Tls> tls,
                                         StaticTokenFile tokens) throws IOException, InterruptedException {
        Registry registry = new Registry(kv, o.clock(),
                o.metricsServer() ? ResourceCatalogue.builtIn() : ResourceCatalogue.builtIn().without("metrics.k8s.io"));
        StartupPhases.done("registry built");
        Bootstrap bootstrap = new Bootstrap(registry);
        CalicoIpam ipam = new CalicoIpam(Ipv4Cidr.parse(o.shape().podCidr()));
        writeAwaitingDurabilityOnce(kv, () -> {
            bootstrap.ensureSystemObjects();
            BootstrapPolicy.ensure(registry);
        });
        RbacPolicy rbac = new RbacPolicy(registry);
        RbacAuthorizer authorizer = new RbacAuthorizer(rbac);
        StartupPhases.done("system objects and RBAC policy written");
        HttpFrontEnd frontEnd = new HttpFrontEnd();
        Tls t;
        ApiRouter router;
        ApiServerMetrics metrics;
        ServiceAccountTokens serviceAccountTokens;
        try {
            if (nodesConfig != null) nodesConfig.join(); // a user's file that cannot be read stops the start here
            t = tls.join();
            StartupPhases.done("waited for TLS");
            router = new ApiRouter(registry, o.clock(), ServerVersion.info(),
                    () -> advertise.getHostAddress() + ":" + frontEnd.port(), authorizer);
            StartupPhases.done("router and discovery built");
            metrics = new ApiServerMetrics(kv, registry.resources(), frontEnd::inFlight);
            frontEnd.observeRequests(metrics);
            router.serveMetrics(metrics);
            serviceAccountTokens = new ServiceAccountTokens(registry, t.pki().serviceAccountKeyPair(), o.clock());
            router.serveServiceAccountTokens(serviceAccountTokens);
            router.serveTokenReviews(new TokenReviewer(tokens, serviceAccountTokens));
            frontEnd.start(o.bindAddress(), o.port(), t.ssl(), t.pki().clientCertificateVerifier(),
                    TokenAuthenticator.union(tokens, serviceAccountTokens),
                    new StaticResources(WEB_VIEW_PATH, "kubefake/ui/", router), o.serving(), kv.writesWait(),
                    kv.deferredDurability());
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
        if (!o.probeWait().isZero()) {
            try {
                router.healthReported().toCompletableFuture().get(o.probeWait().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                StartupPhases.done("health probe answered");
            } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
                // nobody asked: the nodes and controllers start all the same
            }
        }
        // the shipped YAML, read beside the nodes' registration: Jackson's and SnakeYAML's ~400 classes off the way
        // to ready
        CompletableFuture<SimulatedNodes.Config> nodesConfigRead = nodesConfig != null ? nodesConfig : nodesConfig(o);
        NfsProvisioner nfs = o.nfsProvisioner() ? NfsProvisioner.of(o.shape()) : null;
        writeAwaitingDurabilityOnce(kv, () -> {
            bootstrap.publishApiServerEndpoints(advertise.getHostAddress(), port);
            bootstrap.registerNodes(o.shape(), ipam, ServerVersion.GIT_VERSION, o.clock().instant());
            if (nfs != null) nfs.install(registry);
        });
        StartupPhases.done("nodes and kube-system add-ons written");
        SimulatedNodes.Config nodesConf = nodesConfigRead.join();
        // one runtime per cluster: every controller's work and the store's upkeep run on its clock and pool
        // its lanes and workers share the store's fsyncs instead of each holding a pool thread through its own
        ClusterRuntime runtime = SystemRuntime.start(o.clock(), o.workerThreads(), kv.deferredDurability());
        metrics.countWorkQueues(runtime);
        // the API server's own informers, on every server whether or not it leads: what its admission plugins read
        SharedInformers apiServerInformers = new SharedInformers(registry, runtime);
        ControlPlane.useAdmission(registry, apiServerInformers);
        ControlPlane.startApiExtensions(registry, apiServerInformers, runtime);
        ControlPlane.startServiceIpAddresses(registry, apiServerInformers, runtime);
        apiServerInformers.start();
        // RBAC's escalation and bind checks on writes of its own objects, after the control plane's plugins
        registry.useAdmission(registry.admission().withValidating(new Escalation(authorizer)).withMutating(new CsrRequestor())
                .withValidating(new CertificateApproval(authorizer)).withValidating(new CertificateSubjectRestriction()));
        ClusterRoleAggregation.start(registry, rbac);
        StartupPhases.done("cluster runtime and the API server's informers started");
        String rootCaPem = new String(t.pki().caCertificatePem(), StandardCharsets.US_ASCII);
        Function<SharedInformers, ControllerManagerTerm> controllerManager = informers -> {
            ControlPlane controllers = ControlPlane.start(registry, informers, runtime, rootCaPem, t.pki(), nfs,
                    o.metricsServer() ? new MetricsApi(registry, o.clock()).forControllers() : ResourceMetricsApi.NOT_SERVED);
            StartupPhases.done("controllers made");
            SimulatedNodes nodes = new SimulatedNodes(registry, informers, runtime, ipam, nodesConf, serviceAccountTokens::request);
            NodePorts nodePorts = new NodePorts(nodes, informers, o.clock(), o.bindAddress());
            informers.start();
            StartupPhases.done("informers started");
            nodes.start();
            router.serveNodeFaults(nodes);
            router.serveContainers(nodes);
            return new ControllerManagerTerm(controllers, nodes, nodePorts);
        };
        Function<SharedInformers, Scheduler> scheduler = informers -> {
            Scheduler s = ControlPlane.startScheduler(registry, informers, runtime, controlPlaneNode);
            informers.start();
            return s;
        };
        Components components;
        if (o.etcd() == null) {
            // one process owns the data directory: no election
            SharedInformers informers = new SharedInformers(registry, runtime);
            // the controllers' service accounts (some 25 on a first start, made as each controller is) share one
            // fsync, waited for once the kubelets have started, rather than each holding up the start for its own
            components = writeAwaitingDurabilityOnce(kv, () -> new Components(informers, scheduler.apply(informers),
                    controllerManager.apply(informers), null, null));
        } else {
            // several API servers may share the etcd: kube-controller-manager's and kube-scheduler's parts run where
            // their Lease is held, as in an HA control plane
            String identity = LeaderElected.identity();
            LeaderElected<Scheduler> electedScheduler = new LeaderElected<>(registry, runtime,
                    new Client(registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler"),
                    LeaderElector.Config.defaults("kube-system", "kube-scheduler", identity), scheduler);
            LeaderElected<ControllerManagerTerm> electedControllerManager = new LeaderElected<>(registry, runtime,
                    new Client(registry, UserInfo.KUBE_CONTROLLER_MANAGER, "kube-controller-manager"),
                    LeaderElector.Config.defaults("kube-system", "kube-controller-manager", identity), controllerManager);
            components = new Components(null, null, null, electedScheduler.start(), electedControllerManager.start());
        }
        if (store != null) {
            router.serveSnapshots(store);
        } else {
            router.refuseSnapshots("the cluster's store is etcd (" + o.etcd() + "): use etcdctl snapshot save");
        }
        StartupPhases.done("controllers and kubelets started");
        Compactor compactor = new Compactor(kv);
        runtime.every(o.compactionInterval(), compactor::tick);
        // the embedded store's superseded values, kept until compaction for reads at old revisions, packed after a few
        // seconds (etcd's history is on its disk; this one in the heap)
        if (store != null) {
            // the newest values that a cluster holds by the thousand and hardly reads once written are packed once
            // unread: events (core/v1 and events.k8s.io/v1 share this storage; `kubectl get events` and `describe`
            // inflate them) and pods (a Running pod that nothing changes: its components keep what they read from it,
            // a LIST or GET inflates it; ~5 KB of heap less per pod, docs/benchmarks/scale.md, "Heap per running pod")
            store.store().packUnreadValuesUnder("/registry/events/");
            store.store().packUnreadValuesUnder("/registry/pods/");
            runtime.every(HISTORY_PACKING_INTERVAL, store.store()::packHistory);
        }
        runtime.every(Duration.ofSeconds(10), () -> {
            try {
                bootstrap.ensureSystemObjects();
                kubefake.server.cluster.FlowControlBootstrap.ensureMandatory(registry, o.clock().instant());
            } catch (RuntimeException e) {
                LOG.warn("could not restore the system objects", e);
            }
        });
        // as the aggregator's autoregister controller and the flow control bootstrap once the server runs: off the path
        // to ready
        runtime.executor().execute(() -> {
            try {
                kubefake.server.cluster.ApiServiceRegistration.ensure(registry, o.clock().instant());
            } catch (RuntimeException e) {
                LOG.warn("could not register the APIServices", e);
            }
            try {
                kubefake.server.cluster.FlowControlBootstrap.ensureAll(registry, o.clock().instant());
            } catch (RuntimeException e) {
                LOG.warn("could not write the flow control configuration", e);
            }
        });
        String serverUrl = "https://" + hostForUrl(advertise) + ":" + port;
        Path adminConf = Kubeconfigs.writeAdminConfs(t.pki(), serverUrl, o.dataDir());
        StartupPhases.done("kubeconfigs written");
        kubefake.store.registry.cel.CelEnvironment.warmUpInBackground();
        return new KubefakeCluster(store, kv, registry, frontEnd, runtime, components, adminConf, serverUrl, t.pki(), rbac);
    }

    /**
     * Runs the start's own writes one after the other on this thread without waiting for each one's fsync, then waits
     * once until all of them are durable (and readable by everyone): a first start writes some 200 objects here, which
     * then share a few fsyncs instead of taking one each. The store's {@link DeferredDurability}, as the front end's
     * writes use it; a store whose writes do not wait runs them as they come.
     */
    private static void writeAwaitingDurabilityOnce(KeyValueStore kv, Runnable writes) throws InterruptedException {
        writeAwaitingDurabilityOnce(kv, () -> {
            writes.run();
            return null;
        });
    }

    /** {@link #writeAwaitingDurabilityOnce(KeyValueStore, Runnable)} of work that returns what it made. */
    private static <T> T writeAwaitingDurabilityOnce(KeyValueStore kv, java.util.function.Supplier<T> writes) throws InterruptedException {
        DeferredDurability durability = kv.deferredDurability();
        if (durability == null) return writes.get();
        DeferredDurability.Deferral deferral = DeferredDurability.begin();
        T made;
        long revision;
        try {
            made = writes.get();
        } finally {
            revision = deferral.end();
        }
        if (revision == 0) return made;
        CompletableFuture<Void> durable = new CompletableFuture<>();
        durability.whenDurable(revision, failure -> {
            if (failure == null) durable.complete(null);
            else durable.completeExceptionally(failure);
        });
        try {
            durable.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return made;
    }

    /** Whether the shape names a profile or image catalogue file of the user's rather than only shipped ones. */
    private static boolean readsUserFiles(ClusterShape shape) {
        return shape.images() != null || !LifecycleProfile.SHIPPED.contains(shape.profile());
    }

    /** The nodes' profile and image catalogue, read on a thread of its own. */
    private static CompletableFuture<SimulatedNodes.Config> nodesConfig(Options o) {
        return beside("nodes-config", () -> {
            SimulatedNodes.Config c = SimulatedNodes.Config.of(o.shape(), ServerVersion.GIT_VERSION,
                    KubeSystem.images(ServerVersion.GIT_VERSION));
            StartupPhases.done("nodes' profile and image catalogue read");
            return c;
        });
    }

    private record Tls(ClusterPki pki, SslContext ssl) {
    }

    /**
     * The scheduler, controllers and kubelets: started at once on shared informers (the embedded store), or each
     * while this process holds its Lease (etcd).
     */
    private record Components(SharedInformers informers, Scheduler scheduler, ControllerManagerTerm controllerManager,
                              LeaderElected<Scheduler> electedScheduler,
                              LeaderElected<ControllerManagerTerm> electedControllerManager) {
        Optional<ControllerManagerTerm> currentControllerManager() {
            return electedControllerManager == null ? Optional.of(controllerManager) : electedControllerManager.components();
        }

        Optional<SharedInformers> currentInformers() {
            return electedControllerManager == null ? Optional.of(informers) : electedControllerManager.informers();
        }

        /** Stops them; elected ones release their Leases unless {@code abandon}, as a killed process leaves them. */
        void close(boolean abandon) {
            if (electedControllerManager == null) {
                controllerManager.close();
                scheduler.close();
                informers.close();
                return;
            }
            for (LeaderElected<?> e : List.of(electedControllerManager, electedScheduler)) {
                if (abandon) e.abandon();
                else e.close();
            }
        }
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

    /**
     * The simulated nodes: their kubelets and the faults a user can cause ({@code nodes().stopKubelet("w1-k8s")});
     * on etcd, those of the current term while this process holds the kube-controller-manager Lease.
     *
     * @throws IllegalStateException when another process runs the nodes
     */
    public SimulatedNodes nodes() {
        return components.currentControllerManager().map(ControllerManagerTerm::nodes).orElseThrow(this::notLeading);
    }

    /** The informers the cluster's controllers share (on etcd: the current term's, as {@link #nodes()}). */
    public SharedInformers informers() {
        return components.currentInformers().orElseThrow(this::notLeading);
    }

    /**
     * Whether this process runs the controllers and the kubelets: always on the embedded store; on etcd, while it holds
     * the kube-controller-manager Lease.
     */
    public boolean runsControllers() {
        return components.currentControllerManager().isPresent();
    }

    /**
     * The holderIdentity of the kube-controller-manager Lease as this process last saw it ("" when released), on
     * etcd; empty on the embedded store, where there is no election.
     */
    public Optional<String> controllerManagerLeaseHolder() {
        return components.electedControllerManager() == null ? Optional.empty()
                : Optional.of(components.electedControllerManager().elector().leader());
    }

    /** Whether this process runs the scheduler: always on the embedded store; on etcd, while it holds its Lease. */
    public boolean runsScheduler() {
        return components.electedScheduler() == null || components.electedScheduler().components().isPresent();
    }

    private IllegalStateException notLeading() {
        return new IllegalStateException("another API server holds the kube-controller-manager Lease and runs the nodes");
    }

    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops the way a killed process stops: the controllers, scheduler and kubelets end without handing over their
     * Leases (another API server on the same etcd takes them over once they expire) and the API server stops.
     */
    public void halt() {
        stop(true);
    }

    private void stop(boolean abandonLeases) {
        frontEnd.close();
        rbac.close();
        components.close(abandonLeases);
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
