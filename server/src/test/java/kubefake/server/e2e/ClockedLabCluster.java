package kubefake.server.e2e;

import kubefake.client.runtime.ManualClusterClock;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A lab cluster of a test class's own (fast profile), on a clock the test moves: for controllers whose timing is the
 * subject (Jobs, CronJobs, autoscalers, metrics windows), which the shared {@link TestCluster}'s real clock cannot
 * step through.
 */
final class ClockedLabCluster implements AutoCloseable {
    private final ManualClusterClock clock = new ManualClusterClock(Instant.now());
    private final KubefakeCluster cluster;
    private final Duration pause;

    private ClockedLabCluster(Path dataDir, Duration pause, UnaryOperator<KubefakeCluster.Options> options) throws Exception {
        this.cluster = KubefakeCluster.start(options.apply(TestCluster.onLoopback(dataDir).withClock(clock)
                .withShape(ClusterShape.lab().withProfile("fast"))));
        this.pause = pause;
    }

    /** @param pause real time given to the cluster's threads after each step, beyond the work that fell due */
    static ClockedLabCluster start(Path dataDir, Duration pause) throws Exception {
        return new ClockedLabCluster(dataDir, pause, UnaryOperator.identity());
    }

    /** As above, with the test's own options (a token file, ...) on top of the lab's. */
    static ClockedLabCluster start(Path dataDir, Duration pause, UnaryOperator<KubefakeCluster.Options> options) throws Exception {
        return new ClockedLabCluster(dataDir, pause, options);
    }

    ManualClusterClock clock() {
        return clock;
    }

    KubefakeCluster cluster() {
        return cluster;
    }

    /**
     * A step of cluster time. The work that fell due runs before time moves on: on a loaded machine the clock must not
     * outrun the kubelets' heartbeats, or the nodes turn NotReady and their pods are evicted.
     */
    void advance(Duration step) throws InterruptedException {
        clock.advance(step);
        var runtime = cluster.runtime();
        runtime.await(CompletableFuture.runAsync(() -> { }, runtime.executor()), Duration.ofSeconds(5));
        Thread.sleep(pause.toMillis());
    }

    @Override
    public void close() {
        cluster.close();
    }
}
