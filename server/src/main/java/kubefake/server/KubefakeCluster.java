package kubefake.server;

import kubefake.certs.ClusterPki;
import kubefake.certs.PkiSpec;
import kubefake.controllers.NamespaceController;
import kubefake.kubeconfig.Kubeconfigs;
import kubefake.nodesim.LabTopology;
import kubefake.nodesim.NodeSpec;
import kubefake.server.api.ApiRouter;
import kubefake.server.auth.StaticTokenFile;
import kubefake.server.cluster.Bootstrap;
import kubefake.server.http.HttpFrontEnd;
import kubefake.server.http.ServingOptions;
import kubefake.store.mvcc.Compactor;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A whole simulated cluster in this process: PKI and kubeconfigs in the data directory, the MVCC store, the
 * registry with its bootstrap objects, the controllers, and the HTTPS API server. The embeddable entry point:
 * {@code try (var c = KubefakeCluster.start(KubefakeCluster.Options.defaults(dir).withPort(0))) { ... c.adminConf() ... }}.
 */
public final class KubefakeCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubefakeCluster.class);

    /** How start() is configured; see the `up` command for the meaning of each. */
    public record Options(Path dataDir, int port, String bindAddress, InetAddress advertiseAddress, Path tokenAuthFile,
                          List<NodeSpec> nodes, Clock clock, Duration compactionInterval, ServingOptions serving) {
        public static Options defaults(Path dataDir) {
            return new Options(dataDir, 6443, "0.0.0.0", null, null, LabTopology.nodes(), Clock.systemUTC(), Duration.ofMinutes(5),
                    ServingOptions.defaults());
        }

        public Options withPort(int p) {
            return new Options(dataDir, p, bindAddress, advertiseAddress, tokenAuthFile, nodes, clock, compactionInterval, serving);
        }

        public Options withBindAddress(String a) {
            return new Options(dataDir, port, a, advertiseAddress, tokenAuthFile, nodes, clock, compactionInterval, serving);
        }

        public Options withAdvertiseAddress(InetAddress a) {
            return new Options(dataDir, port, bindAddress, a, tokenAuthFile, nodes, clock, compactionInterval, serving);
        }

        public Options withTokenAuthFile(Path f) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, f, nodes, clock, compactionInterval, serving);
        }

        public Options withCompactionInterval(Duration d) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, nodes, clock, d, serving);
        }

        /** Timeouts and limits of the HTTPS front end (kube-apiserver's defaults unless changed). */
        public Options withServing(ServingOptions s) {
            return new Options(dataDir, port, bindAddress, advertiseAddress, tokenAuthFile, nodes, clock, compactionInterval, s);
        }
    }

    private final MemoryKeyValueStore store;
    private final Registry registry;
    private final HttpFrontEnd frontEnd;
    private final NamespaceController namespaceController;
    private final ScheduledExecutorService maintenance;
    private final Path adminConf;
    private final String serverUrl;
    private final ClusterPki pki;

    private KubefakeCluster(MemoryKeyValueStore store, Registry registry, HttpFrontEnd frontEnd,
                            NamespaceController namespaceController, ScheduledExecutorService maintenance,
                            Path adminConf, String serverUrl, ClusterPki pki) {
        this.store = store;
        this.registry = registry;
        this.frontEnd = frontEnd;
        this.namespaceController = namespaceController;
        this.maintenance = maintenance;
        this.adminConf = adminConf;
        this.serverUrl = serverUrl;
        this.pki = pki;
    }

    public static KubefakeCluster start(Options o) throws IOException, InterruptedException {
        Files.createDirectories(o.dataDir());
        InetAddress advertise = o.advertiseAddress() != null ? o.advertiseAddress()
                : PkiSpec.firstNonLoopbackIpv4().orElse(PkiSpec.LOOPBACK_IPV4);
        String controlPlane = o.nodes().stream().filter(NodeSpec::controlPlane).map(NodeSpec::name).findFirst().orElse("m-k8s");
        // the PKI and TLS set-up (key loading, JDK TLS initialisation) run beside the registry's bootstrap: two cores
        CompletableFuture<Tls> tls = CompletableFuture.supplyAsync(() -> {
            ClusterPki pki = ClusterPki.loadOrCreate(o.dataDir().resolve("pki"),
                    new PkiSpec(controlPlane, advertise, new ArrayList<>(PkiSpec.hostIpv4Addresses()), List.of()));
            SslContext ssl = HttpFrontEnd.sslContext(pki.servingKey(),
                    pki.servingCertificateChain().toArray(new X509Certificate[0]), pki.clientCertificateVerifier());
            return new Tls(pki, ssl);
        });
        StaticTokenFile tokens = o.tokenAuthFile() == null ? StaticTokenFile.empty() : StaticTokenFile.load(o.tokenAuthFile());

        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Registry registry = new Registry(store, o.clock(), ResourceCatalogue.builtIn());
        Bootstrap bootstrap = new Bootstrap(registry);
        bootstrap.run(o.nodes(), ServerVersion.GIT_VERSION, o.clock().instant());
        HttpFrontEnd frontEnd = new HttpFrontEnd();
        Tls t;
        try {
            t = tls.join();
            ApiRouter router = new ApiRouter(registry, o.clock(), ServerVersion.info(),
                    () -> advertise.getHostAddress() + ":" + frontEnd.port());
            frontEnd.start(o.bindAddress(), o.port(), t.ssl(), t.pki().clientCertificateVerifier(), tokens, router, o.serving());
        } catch (CompletionException e) {
            frontEnd.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (InterruptedException | RuntimeException e) {
            frontEnd.close();
            throw e;
        }
        int port = frontEnd.port();
        bootstrap.publishApiServerEndpoints(advertise.getHostAddress(), port);
        NamespaceController namespaces = new NamespaceController(registry);
        namespaces.start();
        ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "maintenance");
            th.setDaemon(true);
            return th;
        });
        Compactor.start(store, maintenance, o.compactionInterval());
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                bootstrap.ensureSystemObjects();
            } catch (RuntimeException e) {
                LOG.warn("could not restore the system objects", e);
            }
        }, 10, 10, TimeUnit.SECONDS);
        String serverUrl = "https://" + hostForUrl(advertise) + ":" + port;
        Path adminConf = Kubeconfigs.writeAdminConfs(t.pki(), serverUrl, o.dataDir());
        return new KubefakeCluster(store, registry, frontEnd, namespaces, maintenance, adminConf, serverUrl, t.pki());
    }

    private record Tls(ClusterPki pki, SslContext ssl) {
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

    @Override
    public void close() {
        frontEnd.close();
        namespaceController.close();
        maintenance.shutdownNow();
        store.close();
    }
}
