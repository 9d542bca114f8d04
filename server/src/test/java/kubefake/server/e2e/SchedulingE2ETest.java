package kubefake.server.e2e;

import static kubefake.server.e2e.Kubectl.ok;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler and the DaemonSet controller in the running cluster, seen with the real kubectl. */
class SchedulingE2ETest {

    private static void assertLines(String expectedRegex, String text) {
        assertTrue(Pattern.compile(expectedRegex, Pattern.MULTILINE).matcher(text).find(),
                () -> "expected a line matching /" + expectedRegex + "/ in:\n" + text);
    }


    /** Polls until the condition holds (the cluster's controllers run on their own threads). */
    private static void eventually(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
            Thread.sleep(50);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void podsAreScheduledToWorkersAndAPodThatFitsNowhereSaysWhy(String v) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-sched-" + v.replace('.', '-');
        ok(k.run("create", "namespace", ns));
        for (int i = 1; i <= 3; i++) ok(k.run("-n", ns, "run", "web-" + i, "--image=nginx"));
        ok(k.run("-n", ns, "run", "picky", "--image=nginx", "--overrides={\"spec\":{\"nodeSelector\":{\"disk\":\"ssd\"}}}"));
        ResourceClient pods = new Client(TestCluster.get().registry(), UserInfo.KUBE_SCHEDULER, "test").resource("", "pods");
        eventually("the pods scheduled", () -> pods.list(ns).stream()
                .filter(p -> !Json.text(p.toNode().path("spec"), "nodeName").isEmpty()).count() == 3);

        String wide = ok(k.run("-n", ns, "get", "pods", "-o", "wide")).out();
        for (int i = 1; i <= 3; i++) assertLines("^web-" + i + " +[01]/1 +(Pending|ContainerCreating|Running) +0 +\\S+ +\\S+ +w[123]-k8s +<none> +<none>$", wide);
        assertLines("^picky +0/1 +Pending +0 +\\S+ +<none> +<none> +<none> +<none>$", wide);

        String describe = ok(k.run("-n", ns, "describe", "pod", "web-1")).out();
        assertLines("^  Normal  Scheduled  \\S+ +default-scheduler  Successfully assigned " + ns + "/web-1 to w[123]-k8s$", describe);

        String message = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: },"
                + " 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available:"
                + " 4 Preemption is not helpful for scheduling.";
        eventually("the FailedScheduling event", () -> k.run("-n", ns, "describe", "pod", "picky").out().contains("FailedScheduling"));
        String picky = ok(k.run("-n", ns, "describe", "pod", "picky")).out();
        assertLines("^  Warning  FailedScheduling  \\S+ +default-scheduler  " + Pattern.quote(message) + "$", picky);
        assertLines("^  PodScheduled +False $", picky);
        assertEquals("Unschedulable " + message, ok(k.run("-n", ns, "get", "pod", "picky", "-o",
                "jsonpath={.status.conditions[0].reason} {.status.conditions[0].message}")).out());
        ok(k.run("delete", "namespace", ns, "--timeout=90s"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.33"})
    void aDaemonSetRunsOnEveryWorkerAndRolloutStatusCompletes(String v, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(v);
        String ns = "e2e-ds-" + v.replace('.', '-');
        ok(k.run("create", "namespace", ns));
        Path ds = tmp.resolve("ds.yaml");
        Files.writeString(ds, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: agent
                spec:
                  selector:
                    matchLabels: {app: agent}
                  template:
                    metadata:
                      labels: {app: agent}
                    spec:
                      containers:
                      - name: agent
                        image: busybox
                        command: [sleep, "3600"]
                """);
        assertEquals("daemonset.apps/agent created\n", ok(k.run("-n", ns, "apply", "-f", ds.toString())).out());
        ResourceClient pods = new Client(TestCluster.get().registry(), UserInfo.node("w1-k8s"), "kubelet").resource("", "pods");
        eventually("three daemon pods bound", () -> pods.list(ns).stream()
                .filter(p -> !Json.text(p.toNode().path("spec"), "nodeName").isEmpty()).count() == 3);
        List<String> nodes = pods.list(ns).stream().map(p -> Json.text(p.toNode().path("spec"), "nodeName")).sorted().toList();
        assertEquals(List.of("w1-k8s", "w2-k8s", "w3-k8s"), nodes, "not on the tainted control plane");

        // what the kubelets would report once the containers run
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        for (StoredObject p : pods.list(ns)) {
            pods.patchStatus(ns, Json.text(p.toNode().path("metadata"), "name"), pod -> {
                ObjectNode s = pod.with("status");
                s.put("phase", "Running");
                s.withArray("conditions").addObject().put("type", "Ready").put("status", "True").putNull("lastProbeTime").put("lastTransitionTime", now);
                return pod;
            });
        }
        Kubectl.Result rollout = ok(k.run("-n", ns, "rollout", "status", "ds/agent", "--timeout=60s"));
        assertTrue(rollout.out().endsWith("daemon set \"agent\" successfully rolled out\n"), rollout.out());
        assertLines("^agent +3 +3 +3 +3 +3 +<none> +\\S+$", ok(k.run("-n", ns, "get", "ds", "agent")).out());
        assertLines("^agent-[4-9bcdf]+ +daemonset.apps/agent +1 +\\S+$", ok(k.run("-n", ns, "get", "controllerrevisions")).out());
        ok(k.run("delete", "namespace", ns, "--timeout=90s"));
    }
}
