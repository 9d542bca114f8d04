package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.runtime.ManualClusterClock;
import kubefake.nodesim.ClusterShape;
import kubefake.server.KubefakeCluster;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HorizontalPodAutoscalers with the real kubectl, in a cluster whose clock the test moves: {@code kubectl autoscale}
 * (kubectl 1.33 creates an autoscaling/v2 object, 1.29 a v1 one), {@code get hpa} before and after the first
 * metrics, a pod's load raised through the usage model's annotation scales the Deployment up at the next sync,
 * lowered it scales down only once the 300 s stabilization window has passed; {@code describe hpa} shows the
 * metrics, conditions and events.
 */
class HorizontalPodAutoscalerE2ETest {
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.clocked(Duration.ofMillis(20));

    private static void advance(Duration step) throws InterruptedException {
        lab.advance(step);
    }

    /** Moves the clock a second at a time until the condition holds, at most {@code limit} of cluster time. */
    private static void advanceUntil(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        Instant until = lab.clock().instant().plus(limit);
        // bounded by real time too: how long the cluster's threads need for each step on a loaded machine is not known
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (lab.clock().instant().isAfter(until) || System.nanoTime() > end) {
                throw new AssertionError(what + " not within " + limit.toSeconds() + " s of cluster time");
            }
            advance(Duration.ofSeconds(1));
        }
    }

    private static JsonNode hpa(String ns, String name) {
        return lab.cluster().registry().resource("autoscaling", "horizontalpodautoscalers").get(ns, name).toNode();
    }

    private static int replicas(String ns, String deployment) {
        return lab.cluster().registry().resource("apps", "deployments").get(ns, deployment).toNode().at("/spec/replicas").asInt();
    }

    private static List<JsonNode> runningPods(String ns) {
        return lab.cluster().registry().resource("", "pods").list(ns, kubefake.store.registry.ListOptions.ALL).items().stream()
                .map(StoredObject::toNode).filter(p -> p.at("/status/phase").asText().equals("Running")
                        && !p.at("/metadata").has("deletionTimestamp")).map(p -> (JsonNode) p).toList();
    }

    /** Whether {@code text} has a line of {@code describe}'s tables matching the pattern (columns padded by tabwriter). */
    private static boolean line(String pattern, String text) {
        return Pattern.compile("^  " + pattern + "\n", Pattern.MULTILINE).matcher(text).find();
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                    resources: {requests: {cpu: 100m}}
            """;

    /** A namespace (once its default service account exists, which pods need) with the Deployment in it. */
    private static void deploy(Kubectl k, String ns, String deployment) {
        Kubectl.ok(k.run("create", "namespace", ns));
        k.runUntil(Duration.ofSeconds(10), r -> r.exitCode() == 0, "-n", ns, "get", "serviceaccount", "default");
        Kubectl.ok(k.runWithInput(deployment, "-n", ns, "apply", "-f", "-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void autoscaleScalesUpOnLoadAndDownAfterTheStabilizationWindow(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String ns = "hpa-" + v.replace('.', '-');
        deploy(k, ns, DEPLOYMENT);

        Kubectl.Result autoscale = Kubectl.ok(k.run("-n", ns, "autoscale", "deployment", "web", "--cpu-percent=50",
                "--min=1", "--max=5", "-v=6"));
        assertEquals("horizontalpodautoscaler.autoscaling/web autoscaled\n", autoscale.out());
        // kubectl 1.33 writes autoscaling/v2, 1.29 autoscaling/v1: the server stores one object either way
        String created = "/apis/autoscaling/" + (v.equals("1.33") ? "v2" : "v1") + "/namespaces/" + ns + "/horizontalpodautoscalers";
        assertTrue(autoscale.err().contains(created), autoscale.err());
        String before = Kubectl.ok(k.run("-n", ns, "get", "hpa")).out();
        assertTrue(Pattern.compile("^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE\n"
                + "web +Deployment/web +cpu: <unknown>/50% +1 +5 +0 +\\S+\n$").matcher(before).matches(), before);

        // the pod runs, metrics-server has scraped it twice, the controller has synced: idle nginx is 1-2% of 100m
        // the first pull of the image on a node takes a while of cluster time
        advanceUntil(Duration.ofMinutes(5), "a running pod", () -> runningPods(ns).size() == 1);
        advanceUntil(Duration.ofMinutes(5), "first utilization",
                () -> hpa(ns, "web").at("/status/currentMetrics/0/resource/current").has("averageUtilization"));
        String idle = Kubectl.ok(k.run("-n", ns, "get", "hpa", "web", "--no-headers")).out();
        assertTrue(Pattern.compile("^web +Deployment/web +cpu: [12]%/50% +1 +5 +1 +\\S+\n$").matcher(idle).matches(), idle);

        // load: 150m on the one pod is 150% of its request, three times the target
        String loaded = runningPods(ns).get(0).at("/metadata/name").asText();
        Kubectl.ok(k.run("-n", ns, "annotate", "pod", loaded, "kubefake.dev/cpu-usage=150m"));
        advanceUntil(Duration.ofSeconds(40), "scale up", () -> replicas(ns, "web") == 3);
        advanceUntil(Duration.ofMinutes(5), "three pods counted", () -> hpa(ns, "web").at("/status/currentReplicas").asInt() == 3
                && runningPods(ns).size() == 3);
        JsonNode up = hpa(ns, "web");
        assertEquals(3, up.at("/status/desiredReplicas").asInt());
        assertTrue(up.at("/status").has("lastScaleTime"), up.toString());
        String describe = Kubectl.ok(k.run("-n", ns, "describe", "hpa", "web")).out();
        assertTrue(describe.contains("Reference:                                             Deployment/web\n"), describe);
        assertTrue(Pattern.compile("\n  resource cpu on pods  \\(as a percentage of request\\):  \\d+% \\(\\d+m\\) / 50%\n")
                .matcher(describe).find(), describe);
        assertTrue(describe.contains("Min replicas:                                          1\n"
                + "Max replicas:                                          5\n"
                + "Deployment pods:                                       3 current / 3 desired\n"), describe);
        assertTrue(line("AbleToScale +True +ReadyForNewScale +recommended size matches current size", describe), describe);
        assertTrue(line("ScalingActive +True +ValidMetricFound +the HPA was able to successfully calculate a replica "
                + "count from cpu resource utilization \\(percentage of request\\)", describe), describe);
        assertTrue(line("ScalingLimited +False +DesiredWithinRange +the desired count is within the acceptable range", describe), describe);
        assertTrue(line("Normal +SuccessfulRescale +\\S+ +horizontal-pod-autoscaler +New size: 3; reason: cpu resource "
                + "utilization \\(percentage of request\\) above target", describe), describe);

        // load gone: the recommendation is 1, but the window keeps the highest of the last 300 s
        Kubectl.ok(k.run("-n", ns, "annotate", "pod", loaded, "kubefake.dev/cpu-usage-"));
        Instant lowered = lab.clock().instant();
        advanceUntil(Duration.ofSeconds(60), "stabilized", () -> hpa(ns, "web").at("/status/conditions/0/reason").asText()
                .equals("ScaleDownStabilized"));
        String stabilized = Kubectl.ok(k.run("-n", ns, "describe", "hpa", "web")).out();
        assertTrue(line("AbleToScale +True +ScaleDownStabilized +recent recommendations were higher than current one, "
                + "applying the highest recent recommendation", stabilized), stabilized);
        advanceUntil(Duration.ofSeconds(270), "270 s after the load went", () -> !lab.clock().instant().isBefore(lowered.plusSeconds(270)));
        assertEquals(3, replicas(ns, "web"), "still within the stabilization window");
        advanceUntil(Duration.ofSeconds(60), "scale down", () -> replicas(ns, "web") == 1);
        long after = Duration.between(lowered, lab.clock().instant()).toSeconds();
        assertTrue(after >= 285 && after <= 330, "scaled down " + after + " s after the load went");
        String down = Kubectl.ok(k.run("-n", ns, "describe", "hpa", "web")).out();
        assertTrue(line("Normal +SuccessfulRescale +\\S+ +horizontal-pod-autoscaler +New size: 1; reason: All metrics below target", down), down);
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void podsWithoutCpuRequestsCannotBeScaledOnUtilization(String v) throws Exception {
        Kubectl k = new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
        String ns = "hpa-norequests-" + v.replace('.', '-');
        deploy(k, ns, DEPLOYMENT.replace("    resources: {requests: {cpu: 100m}}\n", ""));
        Kubectl.ok(k.run("-n", ns, "autoscale", "deployment", "web", "--cpu-percent=50", "--min=1", "--max=3"));
        advanceUntil(Duration.ofMinutes(5), "a running pod", () -> runningPods(ns).size() == 1);
        String pod = runningPods(ns).get(0).at("/metadata/name").asText();
        String message = "failed to get cpu utilization: missing request for cpu in container nginx of Pod " + pod;
        try {
            advanceUntil(Duration.ofMinutes(10), "the missing request reported", () -> hpa(ns, "web").at("/status/conditions/1/message")
                    .asText().equals("the HPA was unable to compute the replica count: " + message));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + hpa(ns, "web").get("status") + "\n"
                    + k.run("-n", ns, "get", "pods", "-o", "yaml").out(), e);
        }
        String describe = Kubectl.ok(k.run("-n", ns, "describe", "hpa", "web")).out();
        assertTrue(line("ScalingActive +False +FailedGetResourceMetric +the HPA was unable to compute the replica count: "
                + Pattern.quote(message), describe), describe);
        assertTrue(line("Warning +FailedGetResourceMetric +\\S+ +horizontal-pod-autoscaler +" + Pattern.quote(message), describe), describe);
        assertTrue(line("Warning +FailedComputeMetricsReplicas +\\S+ +horizontal-pod-autoscaler +invalid metrics \\(1 invalid out of 1\\), "
                + "first error is: " + Pattern.quote(message), describe), describe);
        assertEquals(1, replicas(ns, "web"));
        String table = Kubectl.ok(k.run("-n", ns, "get", "hpa", "web", "--no-headers")).out();
        assertTrue(Pattern.compile("^web +Deployment/web +cpu: <unknown>/50% +1 +3 +1 +\\S+\n$").matcher(table).matches(), table);
        Kubectl.ok(k.run("delete", "namespace", ns, "--wait=false"));
    }

    /** {@code up --no-metrics-server}: the controller gets the API server's 404 for the metrics API, as a real one does. */
    @org.junit.jupiter.api.Test
    void withoutMetricsServerTheMetricsApiIsNotFound() throws Exception {
        ManualClusterClock bareClock = new ManualClusterClock(Instant.now());
        try (KubefakeCluster bare = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("bare")).withClock(bareClock)
                .withShape(ClusterShape.lab().withProfile("fast")).withMetricsServer(false))) {
            Kubectl k = new Kubectl("1.33", bare.adminConf(), Files.createTempDirectory(dir, "home"));
            Kubectl.ok(k.runWithInput(DEPLOYMENT, "apply", "-f", "-"));
            Kubectl.ok(k.run("autoscale", "deployment", "web", "--cpu-percent=50", "--max=3"));
            String message = "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from "
                    + "resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!bare.registry().resource("autoscaling", "horizontalpodautoscalers").get("default", "web").toNode()
                    .at("/status/conditions/1/message").asText().equals("the HPA was unable to compute the replica count: " + message)) {
                if (System.nanoTime() > end) throw new AssertionError("no FailedGetResourceMetric condition");
                bareClock.advance(Duration.ofSeconds(1));
                Thread.sleep(10);
            }
            for (String v : new String[] {"1.29", "1.33"}) {
                String describe = Kubectl.ok(new Kubectl(v, bare.adminConf(), Files.createTempDirectory(dir, "home"))
                        .run("describe", "hpa", "web")).out();
                assertTrue(line("Warning +FailedGetResourceMetric +\\S+ +horizontal-pod-autoscaler +" + Pattern.quote(message), describe),
                        describe);
            }
        }
    }
}
