package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.NodeSimCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static kubefake.nodesim.NodeSimCluster.condition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Containers that exit, images that cannot be pulled, pods that complete: with the lab profile's real back-offs. */
class ContainerFailuresTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private JsonNode container(String name) {
        return cluster.pod("default", name).path("status").path("containerStatuses").path(0);
    }

    private String waitingReason(String name) {
        return container(name).path("state").path("waiting").path("reason").asText("");
    }

    @Test
    void aContainerThatExitsGoesIntoCrashLoopBackOffWithTheKubeletsBackOff() {
        ObjectNode created = cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crash, namespace: default}
                spec:
                  nodeName: w1-k8s
                  containers:
                  - name: busybox
                    image: busybox
                    command: ["sh", "-c", "echo failing; exit 1"]
                """);
        String uid = created.path("metadata").path("uid").asText();
        cluster.advanceUntil(() -> waitingReason("crash").equals("CrashLoopBackOff"), Duration.ofSeconds(15));
        JsonNode c = container("crash");
        // the first exit is restarted at once, the second waits 10 s
        assertEquals(1, c.path("restartCount").asInt());
        assertEquals("back-off 10s restarting failed container=busybox pod=crash_default(" + uid + ")",
                c.path("state").path("waiting").path("message").asText());
        JsonNode last = c.path("lastState").path("terminated");
        assertEquals(1, last.path("exitCode").asInt());
        assertEquals("Error", last.path("reason").asText());
        assertTrue(c.path("containerID").asText().startsWith("containerd://"));
        assertEquals(last.path("containerID").asText(), c.path("containerID").asText());
        assertFalse(c.path("ready").asBoolean());
        ObjectNode pod = cluster.pod("default", "crash");
        assertEquals("Running", pod.path("status").path("phase").asText(), "restartPolicy Always: the pod runs on");
        assertEquals("ContainersNotReady", condition(pod, "Ready").path("reason").asText());
        assertTrue(cluster.events("default", "crash").contains(
                "Warning BackOff Back-off restarting failed container busybox in pod crash_default(" + uid + ")"));

        // each restart waits twice as long: 10 s, 20 s, 40 s after the previous exit
        Instant finished = Instant.parse(last.path("finishedAt").asText());
        for (int restart = 2, backOff = 10; restart <= 4; restart++, backOff *= 2) {
            int expected = restart;
            cluster.advanceUntil(() -> container("crash").path("restartCount").asInt() == expected
                    && waitingReason("crash").equals("CrashLoopBackOff"), Duration.ofSeconds(backOff + 10));
            JsonNode now = container("crash");
            JsonNode exited = now.path("lastState").path("terminated");
            Instant started = Instant.parse(exited.path("startedAt").asText());
            long waited = Duration.between(finished, started).toSeconds();
            assertTrue(waited >= backOff && waited <= backOff + 3, "restart " + restart + " waited " + waited + " s, back-off " + backOff + " s");
            assertEquals("back-off " + (backOff * 2) + "s restarting failed container=busybox pod=crash_default(" + uid + ")",
                    now.path("state").path("waiting").path("message").asText().replace("1m20s", "80s"));
            finished = Instant.parse(exited.path("finishedAt").asText());
        }
        long backOffEvents = cluster.eventObjects("default", "crash").stream()
                .filter(e -> e.path("reason").asText().equals("BackOff")).mapToInt(e -> e.path("count").asInt()).sum();
        assertTrue(backOffEvents >= 7, "the back-off event repeats on every sync while it waits: " + backOffEvents);
    }

    @Test
    void anImageThatDoesNotExistIsErrImagePullThenImagePullBackOff() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: missing, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers:
                  - name: app
                    image: doesnotexist
                """);
        cluster.advanceUntil(() -> waitingReason("missing").equals("ErrImagePull"), Duration.ofSeconds(5));
        String error = "rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/doesnotexist:latest\": "
                + "failed to resolve reference \"docker.io/library/doesnotexist:latest\": pull access denied, repository does not "
                + "exist or may require authorization: server message: insufficient_scope: authorization failed";
        assertEquals(error, container("missing").path("state").path("waiting").path("message").asText());
        assertEquals("Pending", cluster.pod("default", "missing").path("status").path("phase").asText());
        cluster.advanceUntil(() -> waitingReason("missing").equals("ImagePullBackOff"), Duration.ofSeconds(5));
        assertEquals("Back-off pulling image \"doesnotexist\"", container("missing").path("state").path("waiting").path("message").asText());
        assertEquals(List.of(
                "Normal Pulling Pulling image \"doesnotexist\"",
                "Warning Failed Failed to pull image \"doesnotexist\": " + error,
                "Warning Failed Error: ErrImagePull",
                "Normal BackOff Back-off pulling image \"doesnotexist\"",
                "Warning Failed Error: ImagePullBackOff"), cluster.events("default", "missing"));
        // the kubelet tries again once the back-off (10 s from the failure) has passed: a second Pulling, then 20 s
        cluster.advanceUntil(() -> waitingReason("missing").equals("ErrImagePull"), Duration.ofSeconds(12));
        cluster.advanceUntil(() -> waitingReason("missing").equals("ImagePullBackOff"), Duration.ofSeconds(5));
        Duration backOff = cluster.advanceUntil(() -> waitingReason("missing").equals("ErrImagePull"), Duration.ofSeconds(30));
        assertTrue(backOff.toSeconds() >= 15, "the second back-off is 20 s: " + backOff);
        assertTrue(cluster.events("default", "missing").contains("Normal Pulling Pulling image \"doesnotexist\" (x3)"),
                cluster.events("default", "missing")::toString);
    }

    @Test
    void aTagThatDoesNotExistIsNotFound() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: badtag, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers:
                  - {name: web, image: "nginx:no-such-tag-1"}
                """);
        cluster.advanceUntil(() -> waitingReason("badtag").equals("ErrImagePull"), Duration.ofSeconds(5));
        assertEquals("rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:no-such-tag-1\": "
                        + "failed to resolve reference \"docker.io/library/nginx:no-such-tag-1\": docker.io/library/nginx:no-such-tag-1: not found",
                container("badtag").path("state").path("waiting").path("message").asText());
    }

    @Test
    void aPodWhoseCommandEndsCompletes() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: sleeper, namespace: default}
                spec:
                  nodeName: w1-k8s
                  restartPolicy: Never
                  containers:
                  - {name: busybox, image: busybox, command: ["sleep", "5"]}
                """);
        int addressesBefore = cluster.ipam.inUse();
        cluster.advanceUntil(() -> container("sleeper").path("state").has("running"), Duration.ofSeconds(5));
        assertEquals(addressesBefore + 1, cluster.ipam.inUse());
        Instant started = Instant.parse(container("sleeper").path("state").path("running").path("startedAt").asText());
        cluster.advanceUntil(() -> cluster.pod("default", "sleeper").path("status").path("phase").asText().equals("Succeeded"),
                Duration.ofSeconds(7));
        ObjectNode pod = cluster.pod("default", "sleeper");
        JsonNode t = container("sleeper").path("state").path("terminated");
        assertEquals(0, t.path("exitCode").asInt());
        assertEquals("Completed", t.path("reason").asText());
        assertEquals(5, Duration.between(started, Instant.parse(t.path("finishedAt").asText())).toSeconds());
        assertEquals("PodCompleted", condition(pod, "Ready").path("reason").asText());
        assertEquals("False", condition(pod, "Ready").path("status").asText());
        assertEquals("PodCompleted", condition(pod, "ContainersReady").path("reason").asText());
        assertEquals("PodCompleted", condition(pod, "Initialized").path("reason").asText());
        assertEquals("True", condition(pod, "Initialized").path("status").asText());
        assertEquals("False", condition(pod, "PodReadyToStartContainers").path("status").asText());
        assertTrue(pod.path("status").path("podIP").asText().startsWith("172.16.221."), "the IP stays in the status");
        assertEquals(addressesBefore, cluster.ipam.inUse(), "the sandbox is gone: its address is back in the pool");
        cluster.advance(Duration.ofMinutes(1));
        assertEquals("Succeeded", cluster.pod("default", "sleeper").path("status").path("phase").asText());
        assertEquals(0, container("sleeper").path("restartCount").asInt());
    }

    @Test
    void aCommandThatFailsWithRestartPolicyNeverFailsThePod() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: fails, namespace: default}
                spec:
                  nodeName: w1-k8s
                  restartPolicy: Never
                  containers:
                  - {name: busybox, image: busybox, command: ["false"]}
                """);
        cluster.advanceUntil(() -> cluster.pod("default", "fails").path("status").path("phase").asText().equals("Failed"),
                Duration.ofSeconds(5));
        JsonNode t = container("fails").path("state").path("terminated");
        assertEquals(1, t.path("exitCode").asInt());
        assertEquals("Error", t.path("reason").asText());
        assertEquals("PodFailed", condition(cluster.pod("default", "fails"), "Ready").path("reason").asText());
    }

    @Test
    void onFailureRestartsOnlyAFailure() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: retry, namespace: default}
                spec:
                  nodeName: w1-k8s
                  restartPolicy: OnFailure
                  containers:
                  - {name: busybox, image: busybox, command: ["sh", "-c", "sleep 1; exit 3"]}
                """);
        cluster.advanceUntil(() -> container("retry").path("restartCount").asInt() == 1, Duration.ofSeconds(10));
        assertEquals("Running", cluster.pod("default", "retry").path("status").path("phase").asText());
        assertEquals(3, container("retry").path("lastState").path("terminated").path("exitCode").asInt());
    }
}
