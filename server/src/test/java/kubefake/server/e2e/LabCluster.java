package kubefake.server.e2e;

import kubefake.client.runtime.ManualClusterClock;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A lab cluster (the lab's nodes, fast profile) of a test class's own, declared in one line as a JUnit 5 extension:
 * {@code @RegisterExtension static final LabCluster lab = LabCluster.realClock();}. It starts when a test first asks for
 * it (a test that skips itself first starts nothing), keeps its store in a temporary directory of its own, and is
 * closed after the class's tests.
 *
 * <p>{@link #clocked} puts it on a clock the test moves: for controllers whose timing is the subject (Jobs, CronJobs,
 * autoscalers, metrics windows), which the shared {@link TestCluster}'s real clock cannot step through.
 */
final class LabCluster implements AfterAllCallback {
    /** Real time given to the cluster's threads after each step of the clock, beyond the work that fell due; null: real clock. */
    private final Duration pause;
    /** The test's own options on top of the lab's, given the cluster's directory (a token file written there ...). */
    private final BiFunction<KubefakeCluster.Options, Path, KubefakeCluster.Options> options;
    private Path dir;
    private ManualClusterClock clock;
    private KubefakeCluster cluster;

    private LabCluster(Duration pause, BiFunction<KubefakeCluster.Options, Path, KubefakeCluster.Options> options) {
        this.pause = pause;
        this.options = options;
    }

    /** A lab cluster on the real clock. */
    static LabCluster realClock() {
        return new LabCluster(null, (o, d) -> o);
    }

    /** @param pause real time given to the cluster's threads after each {@link #advance} step */
    static LabCluster clocked(Duration pause) {
        return new LabCluster(pause, (o, d) -> o);
    }

    /** As this one, with the test's own options on top of the lab's. */
    LabCluster with(BiFunction<KubefakeCluster.Options, Path, KubefakeCluster.Options> more) {
        return new LabCluster(pause, (o, d) -> more.apply(options.apply(o, d), d));
    }

    /** The cluster, started on first use. */
    synchronized KubefakeCluster cluster() {
        if (cluster == null) {
            KubefakeCluster.Options o = TestCluster.onLoopback(dir().resolve("data"))
                    .withShape(ClusterShape.lab().withProfile("fast"));
            if (pause != null) {
                clock = new ManualClusterClock(Instant.now());
                o = o.withClock(clock);
            }
            cluster = TestCluster.start(options.apply(o, dir()));
        }
        return cluster;
    }

    /** The cluster's directory: its store, and whatever the test writes beside it. */
    synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("kubefake-lab");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** A kubectl of that version pointed at the cluster's admin.conf, with a fresh HOME. */
    Kubectl kubectl(String version) {
        try {
            return new Kubectl(version, cluster().adminConf(), Files.createTempDirectory(dir(), "home"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The clock the test moves ({@link #clocked} clusters only). */
    ManualClusterClock clock() {
        cluster();
        if (clock == null) throw new IllegalStateException("a lab cluster on the real clock has no clock to move");
        return clock;
    }

    /**
     * A step of cluster time. The work that fell due runs before time moves on: on a loaded machine the clock must not
     * outrun the kubelets' heartbeats, or the nodes turn NotReady and their pods are evicted.
     */
    void advance(Duration step) throws InterruptedException {
        clock().advance(step);
        var runtime = cluster.runtime();
        runtime.await(CompletableFuture.runAsync(() -> { }, runtime.executor()), Duration.ofSeconds(5));
        Thread.sleep(pause.toMillis());
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        if (cluster != null) cluster.close();
        cluster = null;
        clock = null;
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        dir = null;
    }
}
