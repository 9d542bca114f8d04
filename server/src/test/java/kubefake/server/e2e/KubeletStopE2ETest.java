package kubefake.server.e2e;

import kubefake.client.runtime.ManualClusterClock;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.server.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LAB.md step 5 with the real kubectl, in a cluster whose clock the test moves (so that the node lifecycle
 * controller's 50 s grace period takes no real time): {@code systemctl stop kubelet} on the pod's worker
 * ({@code kubefake node stop-kubelet}), then {@code kubectl delete pod} hangs with the pod {@code Terminating} and the
 * node turns {@code NotReady}; {@code start-kubelet} and the deletion completes, the node Ready again.
 */
class KubeletStopE2ETest {
    @TempDir
    static Path dir;
    private static final ManualClusterClock clock = new ManualClusterClock(Instant.now());
    private static KubefakeCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data")).withClock(clock)
                .withShape(ClusterShape.lab().withProfile("fast")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    /** Moves the cluster's clock by {@code step} (and gives its threads a moment of real time) until kubectl's answer fits. */
    private static Kubectl.Result stepUntil(Duration step, Duration limit, Kubectl k, Predicate<String> fits, String... args)
            throws InterruptedException {
        Instant end = clock.instant().plus(limit);
        Kubectl.Result r;
        do {
            r = k.run(args);
            if (r.exitCode() == 0 && fits.test(r.out())) return r;
            advance(step);
        } while (clock.instant().isBefore(end));
        throw new AssertionError("not within " + limit + " of cluster time: kubectl " + String.join(" ", args) + "\n" + r);
    }

    private static void advance(Duration step) throws InterruptedException {
        clock.advance(step);
        Thread.sleep(10);
    }

    private static boolean has(String regex, String text) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find();
    }

    /** {@code kubefake node ...} as a student runs it on the lab's machine, with the cluster's admin.conf. */
    private static String node(String... args) {
        StringWriter out = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        String[] all = new String[args.length + 3];
        all[0] = "node";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--kubeconfig";
        all[args.length + 2] = cluster.adminConf().toString();
        return cli.execute(all) + " " + out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void aStoppedKubeletLeavesThePodTerminatingAndItsNodeNotReadyUntilItStartsAgain(String v) throws Exception {
        Path home = Files.createTempDirectory(dir, "home");
        Kubectl k = new Kubectl(v, cluster.adminConf(), home);
        String ns = "lab-step5-" + v.replace('.', '-');
        stepUntil(Duration.ofSeconds(5), Duration.ofMinutes(2), k, out -> !out.contains("NotReady"), "get", "nodes");
        assertEquals(0, k.run("create", "namespace", ns).exitCode());
        Path yaml = home.resolve("nginx-pod.yaml");
        Files.writeString(yaml, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx-pod
                spec:
                  containers:
                  - name: container-name
                    image: nginx
                """);
        assertEquals(0, k.run("-n", ns, "create", "-f", yaml.toString()).exitCode());
        String wide = stepUntil(Duration.ofMillis(50), Duration.ofSeconds(30), k, out -> out.contains(" Running "),
                "-n", ns, "get", "pods", "-o", "wide", "--no-headers").out();
        Matcher row = Pattern.compile("^nginx-pod +1/1 +Running +0 +\\S+ +172\\.16\\.\\d+\\.\\d+ +(w[1-3]-k8s) ").matcher(wide);
        assertTrue(row.find(), wide);
        String worker = row.group(1);

        assertEquals("0 kubelet stopped on " + worker + "\n", node("stop-kubelet", worker));
        Path deleteOut = home.resolve("delete.out");
        Process delete = k.start(deleteOut, "-n", ns, "delete", "pod", "nginx-pod");
        try {
            Kubectl.Result pods = stepUntil(Duration.ofMillis(100), Duration.ofSeconds(5), k, out -> out.contains("Terminating"),
                    "-n", ns, "get", "pods");
            assertTrue(has("^nginx-pod +1/1 +Terminating +0 +\\S+$", pods.out()), pods::toString);

            // the node lifecycle controller: no Lease renewal within 50 s → NotReady
            Kubectl.Result nodes = stepUntil(Duration.ofSeconds(5), Duration.ofMinutes(2), k,
                    out -> has("^" + worker + " +NotReady ", out), "get", "nodes");
            assertTrue(has("^" + worker + " +NotReady +<none> +\\S+ +v1\\.33\\.13$", nodes.out()), nodes::toString);
            assertEquals(3, Pattern.compile("^\\S+ +Ready ", Pattern.MULTILINE).matcher(nodes.out()).results().count(), nodes::toString);
            assertTrue(delete.isAlive(), "kubectl delete still waits");
            assertTrue(has("^nginx-pod +1/1 +Terminating +0 ", k.run("-n", ns, "get", "pods").out()));

            assertEquals("0 kubelet started on " + worker + "\n", node("start-kubelet", worker));
            Instant end = clock.instant().plusSeconds(60);
            while (delete.isAlive() && clock.instant().isBefore(end)) advance(Duration.ofMillis(200));
            assertTrue(delete.waitFor(5, TimeUnit.SECONDS), "the deletion completes once the kubelet is back");
            assertEquals(0, delete.exitValue());
            assertEquals("pod \"nginx-pod\" deleted\n", Files.readString(deleteOut));
        } finally {
            delete.destroyForcibly();
        }
        Kubectl.Result gone = k.run("-n", ns, "get", "pods");
        assertEquals("No resources found in " + ns + " namespace.\n", gone.err(), gone::toString);
        stepUntil(Duration.ofSeconds(1), Duration.ofMinutes(1), k, out -> has("^" + worker + " +Ready ", out), "get", "nodes");
    }
}
