package kubefake.server.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preemption seen with kubectl 1.29 and 1.33, in a cluster whose clock the test moves: three workers filled by a
 * low-priority Deployment, a high-priority pod evicts one replica (Terminating for its 30 s of grace, with the
 * DisruptionTarget condition and the Preempted event), is nominated to its node and Running once the replica is gone.
 */
class PreemptionE2ETest {
    private static final List<String> VERSIONS = List.of("1.29", "1.33");
    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabCluster lab = LabCluster.clocked(Duration.ofMillis(10));

    private static Kubectl kubectl(String v) throws Exception {
        return new Kubectl(v, lab.cluster().adminConf(), Files.createTempDirectory(dir, "home"));
    }

    private static String has(String regex, String text) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), () -> "no /" + regex + "/ in:\n" + text);
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    /** Moves the clock a second at a time until the condition holds. */
    private static void advanceUntil(String what, BooleanSupplier condition) throws InterruptedException {
        for (int s = 0; !condition.getAsBoolean(); s++) {
            if (s > 120) throw new AssertionError("not within 120 s of cluster time: " + what);
            lab.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aHighPriorityPodEvictsALowPriorityReplicaAndRunsInItsPlace() throws Exception {
        Kubectl k = kubectl("1.33");
        String ns = "preempt";
        Kubectl.ok(k.run("create", "namespace", ns));
        Kubectl.ok(k.run("create", "priorityclass", "urgent", "--value=1000", "--description=for the test"));
        // each replica takes 60% of a worker's CPU: one a worker, and the urgent pod's 50% fits only without one
        String cpu = Kubectl.ok(k.run("get", "node", "w1-k8s", "-o", "jsonpath={.status.allocatable.cpu}")).out();
        long milli = cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) : Long.parseLong(cpu) * 1000;
        Path yaml = dir.resolve("filler.yaml");
        Files.writeString(yaml, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: filler
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: filler}
                  template:
                    metadata:
                      labels: {app: filler}
                    spec:
                      containers:
                      - name: sleeper
                        image: busybox
                        command: [sleep, "3600"]
                        resources:
                          requests: {cpu: %dm}
                """.formatted(milli * 6 / 10));
        Kubectl.ok(k.run("-n", ns, "apply", "-f", yaml.toString()));
        advanceUntil("three replicas running", () -> k.run("-n", ns, "get", "pods", "--no-headers").out().split("Running").length == 4);

        Kubectl.ok(k.run("-n", ns, "run", "vip", "--image=nginx", "--overrides={\"spec\":{\"priorityClassName\":\"urgent\","
                + "\"containers\":[{\"name\":\"vip\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"" + milli / 2 + "m\"}}}]}}"));
        String node = k.runUntil(Duration.ofSeconds(30), r -> !r.out().isEmpty(), "-n", ns, "get", "pod", "vip", "-o",
                "jsonpath={.status.nominatedNodeName}").out();
        String uid = Kubectl.ok(k.run("-n", ns, "get", "pod", "vip", "-o", "jsonpath={.metadata.uid}")).out();

        for (String v : VERSIONS) {
            Kubectl kv = kubectl(v);
            String wide = Kubectl.ok(kv.run("-n", ns, "get", "pods", "-o", "wide")).out();
            String victim = has("^(filler-\\S+) +1/1 +Terminating +0 +\\S+ +\\S+ +" + node + " +<none> +<none>$", wide);
            has("^filler-\\S+ +0/1 +Pending +0 +\\S+ +<none> +<none> +<none> +<none>$", wide); // its replacement finds no room
            has("^vip +0/1 +Pending +0 +\\S+ +<none> +<none> +" + node + " +<none>$", wide);
            String describe = Kubectl.ok(kv.run("-n", ns, "describe", "pod", victim)).out();
            has("^  DisruptionTarget +True $", describe);
            has("^  Normal  Preempted  \\S+ +default-scheduler  Preempted by pod " + uid + " on node " + node + "$", describe);
            String events = Kubectl.ok(kv.run("-n", ns, "get", "events", "--field-selector", "reason=Preempted")).out();
            has("^\\S+ +Normal +Preempted +pod/" + victim + " +Preempted by pod " + uid + " on node " + node + "$", events);
            String vip = Kubectl.ok(kv.run("-n", ns, "describe", "pod", "vip")).out();
            has("^  Warning  FailedScheduling  \\S+ +default-scheduler  0/4 nodes are available: 1 node\\(s\\) had untolerated taint"
                    + " \\{node-role.kubernetes.io/control-plane: \\}, 3 Insufficient cpu\\.$", vip);
        }

        advanceUntil("vip running", () -> k.run("-n", ns, "get", "pod", "vip", "-o", "jsonpath={.status.phase}").out().equals("Running"));
        assertEquals(node, Kubectl.ok(k.run("-n", ns, "get", "pod", "vip", "-o", "jsonpath={.spec.nodeName}")).out());
        for (String v : VERSIONS) {
            String wide = Kubectl.ok(kubectl(v).run("-n", ns, "get", "pods", "-o", "wide")).out();
            has("^vip +1/1 +Running +0 +\\S+ +\\S+ +" + node + " +<none> +<none>$", wide);
            assertEquals(2, Pattern.compile("^filler-\\S+ +1/1 +Running ", Pattern.MULTILINE).matcher(wide).results().count(), wide);
            has("^filler-\\S+ +0/1 +Pending ", wide); // the third replica waits for room
            assertTrue(!wide.contains("Terminating"), wide);
        }
    }
}
