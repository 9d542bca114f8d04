package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.NodeSimCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static kubefake.nodesim.NodeSimCluster.condition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Init containers run one after the other before the others; probes decide readiness and restarts. */
class InitContainersAndProbesTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private JsonNode status(String name) {
        return cluster.pod("default", name).path("status");
    }

    @Test
    void initContainersRunInOrderBeforeTheOthers() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: init, namespace: default}
                spec:
                  nodeName: w1-k8s
                  initContainers:
                  - {name: first, image: busybox, command: ["sleep", "3"]}
                  - {name: second, image: busybox, command: ["sh", "-c", "echo ready"]}
                  containers:
                  - {name: web, image: nginx}
                """);
        JsonNode pending = status("init");
        assertEquals("PodInitializing", pending.path("containerStatuses").get(0).path("state").path("waiting").path("reason").asText());
        assertEquals("PodInitializing", pending.path("initContainerStatuses").get(0).path("state").path("waiting").path("reason").asText());
        ObjectNode pod = cluster.pod("default", "init");
        assertEquals("ContainersNotInitialized", condition(pod, "Initialized").path("reason").asText());
        assertEquals("containers with incomplete status: [first second]", condition(pod, "Initialized").path("message").asText());

        cluster.advanceUntil(() -> status("init").path("initContainerStatuses").get(0).path("state").has("running"), Duration.ofSeconds(10));
        JsonNode running = status("init");
        assertEquals("Pending", running.path("phase").asText());
        assertEquals("PodInitializing", running.path("initContainerStatuses").get(1).path("state").path("waiting").path("reason").asText(),
                "the second waits for the first");
        assertEquals("PodInitializing", running.path("containerStatuses").get(0).path("state").path("waiting").path("reason").asText());

        cluster.advanceUntil(() -> status("init").path("phase").asText().equals("Running"), Duration.ofSeconds(20));
        JsonNode done = status("init");
        for (JsonNode init : done.path("initContainerStatuses")) {
            assertEquals("Completed", init.path("state").path("terminated").path("reason").asText());
            assertEquals(0, init.path("state").path("terminated").path("exitCode").asInt());
            assertFalse(init.path("ready").asBoolean());
        }
        Instant firstFinished = Instant.parse(done.path("initContainerStatuses").get(0).path("state").path("terminated").path("finishedAt").asText());
        Instant secondStarted = Instant.parse(done.path("initContainerStatuses").get(1).path("state").path("terminated").path("startedAt").asText());
        assertFalse(secondStarted.isBefore(firstFinished));
        assertEquals("True", condition(cluster.pod("default", "init"), "Initialized").path("status").asText());
        assertTrue(cluster.eventObjects("default", "init").stream().anyMatch(e ->
                e.path("involvedObject").path("fieldPath").asText().equals("spec.initContainers{first}")));
    }

    @Test
    void aKubeSystemPodFoundRunningHasItsInitContainersDoneAtOnce() {
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: agent, namespace: %s}
                spec:
                  nodeName: w1-k8s
                  initContainers:
                  - {name: install, image: busybox, command: ["sleep", "3"]}
                  - {name: check, image: busybox, command: ["sh", "-c", "exit 0"]}
                  containers:
                  - {name: web, image: nginx}
                """;
        // within its kubelet's first 30 s, a kube-system pod is one of a cluster that has been up a while (calico-node)
        cluster.create(pod.formatted("kube-system"));
        cluster.create(pod.formatted("default"));
        JsonNode found = cluster.pod("kube-system", "agent").path("status");
        assertEquals("Running", found.path("phase").asText(), "its init containers finished before the kubelet looked");
        for (JsonNode init : found.path("initContainerStatuses")) {
            assertEquals("Completed", init.path("state").path("terminated").path("reason").asText(), init.toString());
            assertEquals(0, init.path("state").path("terminated").path("exitCode").asInt());
        }
        java.util.List<String> started = cluster.eventObjects("kube-system", "agent").stream()
                .filter(e -> e.path("reason").asText().equals("Started")).map(e -> e.path("message").asText()).sorted().toList();
        assertEquals(java.util.List.of("Started container check", "Started container install", "Started container web"), started,
                "each container is still created and started, with its events");
        assertEquals("Pending", status("agent").path("phase").asText(), "elsewhere the first init container sleeps its 3 s");
        cluster.advanceUntil(() -> status("agent").path("phase").asText().equals("Running"), Duration.ofSeconds(20));
    }

    @Test
    void aFailingInitContainerWithRestartPolicyNeverFailsThePod() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: badinit, namespace: default}
                spec:
                  nodeName: w1-k8s
                  restartPolicy: Never
                  initContainers: [{name: setup, image: busybox, command: ["sh", "-c", "exit 2"]}]
                  containers: [{name: web, image: nginx}]
                """);
        cluster.advanceUntil(() -> status("badinit").path("phase").asText().equals("Failed"), Duration.ofSeconds(10));
        assertEquals("PodInitializing", status("badinit").path("containerStatuses").get(0).path("state").path("waiting").path("reason").asText(),
                "the regular container never got its turn");
    }

    @Test
    void aReadinessProbeOnAServedPortPassesAfterItsInitialDelay() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: probed, namespace: default}
                spec:
                  nodeName: w2-k8s
                  containers:
                  - name: web
                    image: nginx
                    ports: [{name: http, containerPort: 80}]
                    readinessProbe:
                      httpGet: {path: /, port: http}
                      initialDelaySeconds: 5
                """);
        cluster.advanceUntil(() -> status("probed").path("containerStatuses").get(0).path("state").has("running"), Duration.ofSeconds(10));
        Instant started = Instant.parse(status("probed").path("containerStatuses").get(0).path("state").path("running").path("startedAt").asText());
        assertFalse(status("probed").path("containerStatuses").get(0).path("ready").asBoolean());
        assertTrue(status("probed").path("containerStatuses").get(0).path("started").asBoolean());
        cluster.advanceUntil(() -> status("probed").path("containerStatuses").get(0).path("ready").asBoolean(), Duration.ofSeconds(10));
        long after = Duration.between(started, cluster.runtime.clock().instant()).toSeconds();
        assertTrue(after >= 5 && after <= 6, "ready " + after + " s after the start");
        assertEquals("True", condition(cluster.pod("default", "probed"), "Ready").path("status").asText());
    }

    @Test
    void aReadinessProbeOnAPortNobodyServesFailsWithTheProbersMessage() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: unready, namespace: default}
                spec:
                  nodeName: w2-k8s
                  containers:
                  - name: web
                    image: nginx
                    readinessProbe:
                      httpGet: {path: /healthz, port: 8080}
                      periodSeconds: 5
                """);
        cluster.advance(Duration.ofSeconds(30));
        JsonNode c = status("unready").path("containerStatuses").get(0);
        assertTrue(c.path("state").has("running"));
        assertFalse(c.path("ready").asBoolean());
        assertEquals("Running", status("unready").path("phase").asText());
        String ip = status("unready").path("podIP").asText();
        String message = "Readiness probe failed: Get \"http://" + ip + ":8080/healthz\": dial tcp " + ip + ":8080: connect: connection refused";
        assertTrue(cluster.events("default", "unready").stream().anyMatch(e -> e.startsWith("Warning Unhealthy " + message + " (x")),
                cluster.events("default", "unready")::toString);
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainer() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: dying, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers:
                  - name: web
                    image: nginx
                    livenessProbe:
                      tcpSocket: {port: 9999}
                      periodSeconds: 10
                      failureThreshold: 3
                """);
        cluster.advanceUntil(() -> status("dying").path("containerStatuses").get(0).path("restartCount").asInt() == 1, Duration.ofSeconds(45));
        assertTrue(cluster.events("default", "dying").contains("Normal Killing Container web failed liveness probe, will be restarted"),
                cluster.events("default", "dying")::toString);
        JsonNode last = status("dying").path("containerStatuses").get(0).path("lastState").path("terminated");
        assertEquals(0, last.path("exitCode").asInt(), "nginx exits 0 on SIGTERM");
    }

    @Test
    void anExecProbePassesWhenItsCommandSucceedsInTheContainer() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: exec, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers:
                  - name: app
                    image: busybox
                    command: ["sh", "-c", "sleep 3; touch /tmp/healthy; sleep infinity"]
                    readinessProbe:
                      exec: {command: ["cat", "/tmp/healthy"]}
                      periodSeconds: 1
                """);
        cluster.advanceUntil(() -> status("exec").path("phase").asText().equals("Running"), Duration.ofSeconds(10));
        assertFalse(status("exec").path("containerStatuses").get(0).path("ready").asBoolean(), "no file yet");
        cluster.advanceUntil(() -> status("exec").path("containerStatuses").get(0).path("ready").asBoolean(), Duration.ofSeconds(10));
    }
}
