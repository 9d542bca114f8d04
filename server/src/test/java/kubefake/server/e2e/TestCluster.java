package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import kubefake.store.etcd.EtcdConnection;
import kubefake.testkit.EtcdServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One kubefake cluster per JVM for the end-to-end tests: a real HTTPS server on a random loopback port with a
 * static token file (token "admin-token" for system:masters), started on first use and stopped at exit.
 * Tests work in their own namespaces so they don't see each other.
 *
 * <p>With {@code -Dkubefake.test.backend=etcd} (or {@code KUBEFAKE_TEST_BACKEND=etcd}) every cluster started through
 * {@link #onLoopback} keeps its store in one etcd shared by the test JVM ({@link EtcdServer#shared()}), under a key
 * prefix of its own per data directory (so clusters don't see each other, and one restarted on the same directory
 * finds its objects again).
 */
public final class TestCluster {
    public static final String ADMIN_TOKEN = "admin-token";
    private static KubefakeCluster cluster;
    private static Path dataDir;
    /** The etcd key prefix of each data directory's cluster, when the tests run on etcd. */
    private static final Map<Path, String> ETCD_PREFIXES = new ConcurrentHashMap<>();
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private TestCluster() {
    }

    public static synchronized KubefakeCluster get() {
        if (cluster == null) {
            Path tokens;
            try {
                dataDir = Files.createTempDirectory("kubefake-e2e");
                tokens = Files.writeString(dataDir.resolve("tokens.csv"), ADMIN_TOKEN + ",admin,admin-uid,\"system:masters\"\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cluster = start(onLoopback(dataDir.resolve("data")).withTokenAuthFile(tokens));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        }
        return cluster;
    }

    /** Starts a cluster for a test; a failure to start is the test's error, unchecked. */
    public static KubefakeCluster start(KubefakeCluster.Options options) {
        try {
            return KubefakeCluster.start(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The options of a cluster that a test starts itself: its store in {@code dataDir}, serving on a free port of
     * 127.0.0.1 and advertising it, so that its admin.conf works from the test's host.
     */
    public static KubefakeCluster.Options onLoopback(Path dataDir) {
        try {
            KubefakeCluster.Options options = KubefakeCluster.Options.defaults(dataDir).withPort(0)
                    .withBindAddress("127.0.0.1").withAdvertiseAddress(InetAddress.getByName("127.0.0.1"));
            if (!onEtcd()) return options;
            String prefix = ETCD_PREFIXES.computeIfAbsent(dataDir.toAbsolutePath().normalize(),
                    d -> "/kubefake-e2e-" + CLUSTERS.incrementAndGet() + "-" + ProcessHandle.current().pid() + "/registry");
            return options.withEtcd(new EtcdConnection(List.of(EtcdServer.shared().clientUrl()), null, null, null, prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the tests' clusters run on etcd ({@code -Dkubefake.test.backend=etcd} or {@code KUBEFAKE_TEST_BACKEND=etcd}). */
    public static boolean onEtcd() {
        String backend = System.getProperty("kubefake.test.backend", System.getenv("KUBEFAKE_TEST_BACKEND"));
        return "etcd".equals(backend);
    }

    /** A kubectl of that version pointed at the cluster's admin.conf, with a fresh HOME. */
    public static Kubectl kubectl(String version) {
        try {
            KubefakeCluster c = get();
            Path home = Files.createTempDirectory(dataDir, "home");
            return new Kubectl(version, c.adminConf(), home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path dataDir() {
        get();
        return dataDir;
    }
}
