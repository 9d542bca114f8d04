package kubefake.junit;

import kubefake.client.runtime.AdvanceableClusterClock;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.durability.Durability;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.ReadView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A kubefake cluster started for tests: in this JVM, on a free port of 127.0.0.1, its data directory a temporary one
 * of its own (removed on close), its store in memory, its clock real time that a test can move forward. What a test
 * can do to it besides the API: the nodes' faults, the clock, and going back to a {@link #mark()}.
 */
public final class Cluster implements AutoCloseable {
    /**
     * Kinds whose controllers make other objects: deleted first on a reset, so that they do not make again what the
     * same reset deletes.
     */
    private static final List<String> OWNERS_FIRST = List.of("/registry/namespaces/", "/registry/apps/deployments/",
            "/registry/batch/cronjobs/", "/registry/apps/statefulsets/", "/registry/apps/daemonsets/",
            "/registry/batch/jobs/", "/registry/apps/replicasets/", "/registry/controllers/");
    private static final String ALL = "/registry/";

    private final KubefakeCluster cluster;
    private final AdvanceableClusterClock clock;
    private final Path dataDir;
    private final Map<String, AutoCloseable> clients = new LinkedHashMap<>();
    private boolean closed;
    private volatile boolean kubeSystemUp;

    private Cluster(KubefakeCluster cluster, AdvanceableClusterClock clock, Path dataDir) {
        this.cluster = cluster;
        this.clock = clock;
        this.dataDir = dataDir;
    }

    /** The PKI of the JVM's first cluster, which later ones reuse (a key pair is the costliest part of a start). */
    private static Path pkiTemplate;

    /**
     * Starts the lab with {@code workers} workers and the lifecycle profile named (fast, lab, or a file); returns once
     * the API server serves, as {@code kubefake up} does ({@link #awaitKubeSystem()} waits for kube-system's pods).
     */
    public static Cluster start(int workers, String profile) {
        Path dataDir = null;
        try {
            dataDir = Files.createTempDirectory("kubefake-junit-");
            copyPkiTemplate(dataDir.resolve("pki"));
            AdvanceableClusterClock clock = new AdvanceableClusterClock();
            KubefakeCluster.Options options = KubefakeCluster.Options.defaults(dataDir).withPort(0)
                    .withBindAddress("127.0.0.1").withAdvertiseAddress(InetAddress.getByName("127.0.0.1"))
                    .withDurability(Durability.NONE).withClock(clock)
                    .withShape(ClusterShape.labWithWorkers(workers).withProfile(profile));
            Cluster cluster = new Cluster(KubefakeCluster.start(options), clock, dataDir);
            try {
                keepPkiTemplate(dataDir.resolve("pki"));
            } catch (IOException | RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        } catch (IOException e) {
            deleteTree(dataDir);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            deleteTree(dataDir);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the cluster", e);
        }
    }

    private static synchronized void copyPkiTemplate(Path pki) throws IOException {
        if (pkiTemplate == null) return;
        Files.createDirectories(pki);
        try (Stream<Path> files = Files.list(pkiTemplate)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, pki.resolve(f.getFileName().toString()));
        }
    }

    private static synchronized void keepPkiTemplate(Path pki) throws IOException {
        if (pkiTemplate != null) return;
        Path template = Files.createTempDirectory("kubefake-junit-pki-");
        try (Stream<Path> files = Files.list(pki)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) Files.copy(f, template.resolve(f.getFileName().toString()));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(template), "kubefake-junit-pki-cleanup"));
        pkiTemplate = template;
    }

    /**
     * Waits until kube-system's pods are all Running and its DaemonSets and Deployments ready (as kind's {@code --wait}):
     * the first {@link #mark()} does.
     */
    public void awaitKubeSystem() {
        try {
            KubeSystemSettled.await(cluster.keyValueStore(), Duration.ofSeconds(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kube-system", e);
        }
    }

    /** The cluster's admin kubeconfig (client certificate of group kubeadm:cluster-admins, trusting its CA). */
    public Path kubeconfig() {
        return cluster.adminConf();
    }

    /** {@code https://127.0.0.1:PORT}. */
    public String serverUrl() {
        return cluster.serverUrl();
    }

    public int port() {
        return cluster.port();
    }

    /** The cluster's own data directory (PKI, kubeconfigs). */
    public Path dataDir() {
        return dataDir;
    }

    /** The nodes' names: m-k8s, w1-k8s, ... */
    public List<String> nodes() {
        return cluster.nodes().names();
    }

    /** {@code systemctl stop kubelet} on the node: no more heartbeats; the node turns NotReady after the grace period. */
    public void stopKubelet(String node) {
        cluster.nodes().stopKubelet(node);
    }

    /** {@code systemctl start kubelet} on the node. */
    public void startKubelet(String node) {
        cluster.nodes().startKubelet(node);
    }

    public boolean kubeletRunning(String node) {
        return cluster.nodes().kubeletRunning(node);
    }

    /** The cluster's time (what it stamps objects with). */
    public Instant now() {
        return clock.instant();
    }

    /** Moves the cluster's time forward: what was due by then (lease expiries, back-offs, schedules) happens at once. */
    public void advanceClock(Duration d) {
        clock.advance(d);
    }

    /** The whole embedded cluster, for what this handle does not offer. */
    public KubefakeCluster embedded() {
        return cluster;
    }

    /** What {@link #reset} goes back to: the store's revision and the kubelets stopped then. */
    public record Mark(long revision, Set<String> stoppedKubelets) {
    }

    /**
     * The first mark of a fresh cluster waits for kube-system to come up ({@link #awaitKubeSystem()}), so that what its
     * controllers make after the start is not taken for what a test made.
     */
    public Mark mark() {
        if (!kubeSystemUp) {
            awaitKubeSystem();
            kubeSystemUp = true;
        }
        Set<String> stopped = nodes().stream().filter(n -> !kubeletRunning(n)).collect(Collectors.toUnmodifiableSet());
        return new Mark(cluster.keyValueStore().currentRevision(), stopped);
    }

    /**
     * Deletes every object created since the mark (owners first, then what their controllers made meanwhile, until
     * nothing new is left), as a forced deletion: watchers, controllers and kubelets see them go. Kubelets stopped
     * since are started again, and those stopped then are stopped. Objects that existed at the mark and were changed
     * since keep their changes; the clock stays where it is.
     *
     * @return how many objects were deleted
     */
    public int reset(Mark mark) {
        for (String node : nodes()) {
            boolean stoppedThen = mark.stoppedKubelets().contains(node);
            if (stoppedThen && kubeletRunning(node)) stopKubelet(node);
            if (!stoppedThen && !kubeletRunning(node)) startKubelet(node);
        }
        KeyValueStore kv = cluster.keyValueStore();
        int deleted = 0;
        for (int pass = 0; pass < 50; pass++) {
            List<KeyValue> created = kv.range(ALL, ReadView.prefixEnd(ALL), 0, 0).kvs().stream()
                    .filter(k -> k.createRevision() > mark.revision())
                    .sorted(Comparator.comparingInt(Cluster::deletionOrder))
                    .toList();
            if (created.isEmpty()) return deleted;
            for (KeyValue k : created) {
                // a controller's write since the range is seen in the next pass
                if (kv.delete(k.key(), k.modRevision()).succeeded()) deleted++;
            }
        }
        throw new IllegalStateException("objects kept being created while the cluster was reset to revision " + mark.revision());
    }

    private static int deletionOrder(KeyValue k) {
        for (int i = 0; i < OWNERS_FIRST.size(); i++) {
            if (k.key().startsWith(OWNERS_FIRST.get(i))) return i;
        }
        return OWNERS_FIRST.size();
    }

    /**
     * A client of the cluster from its admin kubeconfig, made on first use and closed with the cluster: fabric8's
     * {@code KubernetesClient} or the official client's {@code ApiClient} (each needs its library on the class path).
     */
    public synchronized <T> T client(Class<T> type) {
        if (closed) throw new IllegalStateException("the cluster is closed");
        AutoCloseable c = clients.get(type.getName());
        if (c == null) {
            c = Clients.create(type.getName(), kubeconfig());
            clients.put(type.getName(), c);
        }
        return type.cast(c instanceof Clients.Unclosable u ? u.client() : c);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable c : clients.values()) {
            try {
                c.close();
            } catch (Exception e) {
                // the cluster goes anyway
            }
        }
        try {
            cluster.close();
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    @Override
    public String toString() {
        return "kubefake cluster at " + serverUrl() + " (" + dataDir + ")";
    }
}
