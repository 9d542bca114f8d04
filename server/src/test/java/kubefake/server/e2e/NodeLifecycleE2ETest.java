package kubefake.server.e2e;

import kubefake.client.runtime.ManualClusterClock;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose kubelet is stopped (LAB.md step 5), in a cluster whose clock the test moves: after the grace period
 * kubectl shows it NotReady, with the unreachable taints and the conditions the node lifecycle controller writes.
 */
class NodeLifecycleE2ETest {
    @TempDir
    static Path dir;
    private static final ManualClusterClock clock = new ManualClusterClock();
    private static KubefakeCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data")).withClock(clock));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    /**
     * Moves the cluster's clock 5 s at a time (the simulated kubelets renewing their Leases every 10 s) until kubectl's
     * output matches: the controllers run on the cluster's threads, so each step is also given real time to act.
     */
    private static String stepUntil(String what, Supplier<String> output, String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        String last = "";
        for (int step = 0; step < 60; step++) {
            last = output.get();
            if (p.matcher(last).find()) return last;
            advance();
        }
        throw new AssertionError("not within 5 minutes of cluster time: " + what + ", /" + regex + "/ in:\n" + last);
    }

    private static void advance() throws InterruptedException {
        clock.advance(Duration.ofSeconds(5));
        Thread.sleep(20);
    }

    @Test
    void aNodeWhoseLeaseIsNotRenewedTurnsNotReadyWithTheUnreachableTaints() throws Exception {
        Kubectl k = new Kubectl("1.33", cluster.adminConf(), Files.createTempDirectory(dir, "home"));
        cluster.nodes().stopKubelet("w1-k8s");
        Instant start = clock.instant();
        while (clock.instant().isBefore(start.plusSeconds(45))) advance();
        assertTrue(Pattern.compile("^w1-k8s +Ready +<none> ", Pattern.MULTILINE).matcher(k.run("get", "nodes").out()).find(),
                "within the 50 s grace period");
        String nodes = stepUntil("w1-k8s NotReady", () -> k.run("get", "nodes").out(), "^w1-k8s +NotReady +<none> ");
        assertTrue(Pattern.compile("^w2-k8s +Ready +<none> ", Pattern.MULTILINE).matcher(nodes).find(), nodes);
        String describe = stepUntil("the NoExecute taint", () -> k.run("describe", "node", "w1-k8s").out(),
                "^Taints: +node\\.kubernetes\\.io/unreachable:NoExecute$");
        assertTrue(Pattern.compile("^ +node\\.kubernetes\\.io/unreachable:NoSchedule$", Pattern.MULTILINE).matcher(describe).find(), describe);
        assertTrue(Pattern.compile("^  Ready +Unknown .* NodeStatusUnknown +Kubelet stopped posting node status\\.$", Pattern.MULTILINE)
                .matcher(describe).find(), describe);
        assertTrue(Pattern.compile("^  Normal  NodeNotReady +\\S+ +node-controller +Node w1-k8s status is now: NodeNotReady$", Pattern.MULTILINE)
                .matcher(describe).find(), describe);
    }
}
