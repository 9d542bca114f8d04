package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.NodeSimCluster;
import kubefake.store.registry.DeleteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deleting pods: graceful termination, and a stopped kubelet that makes a deletion wait. */
class TerminationTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private void runningPod(String name, String node, String image, String command) {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default}
                spec:
                  nodeName: %s
                  containers:
                  - name: c
                    image: %s
                %s""".formatted(name, node, image, command == null ? "" : "    command: " + command + "\n"));
        cluster.advanceUntil(() -> cluster.pod("default", name).path("status").path("phase").asText().equals("Running"), Duration.ofSeconds(10));
    }

    private boolean gone(String name) {
        return !cluster.exists("default", name);
    }

    @Test
    void nginxStopsAtOnceAndTheKubeletDeletesThePod() {
        runningPod("web", "w1-k8s", "nginx", null);
        int addresses = cluster.ipam.inUse();
        cluster.admin.resource("", "pods").delete("default", "web");
        ObjectNode deleting = cluster.pod("default", "web");
        assertTrue(deleting.path("metadata").has("deletionTimestamp"), "Terminating until the kubelet is done");
        assertEquals(30, deleting.path("metadata").path("deletionGracePeriodSeconds").asInt());
        cluster.advance(Duration.ofSeconds(1));
        assertTrue(gone("web"), "nginx exits on SIGTERM: the kubelet deletes the pod for good");
        assertTrue(cluster.events("default", "web").contains("Normal Killing Stopping container c"), cluster.events("default", "web")::toString);
        assertEquals(addresses - 1, cluster.ipam.inUse(), "its address went back to Calico");
    }

    @Test
    void aSleepThatIgnoresSigtermIsKilledWhenTheGracePeriodEnds() {
        runningPod("sleeper", "w2-k8s", "busybox", "[\"sleep\", \"3600\"]");
        Instant deleted = cluster.runtime.clock().instant();
        cluster.admin.resource("", "pods").delete("default", "sleeper");
        cluster.advance(Duration.ofSeconds(29));
        assertFalse(gone("sleeper"), "sleep as PID 1 ignores SIGTERM: Terminating for the whole grace period");
        Duration took = cluster.advanceUntil(() -> gone("sleeper"), Duration.ofSeconds(5));
        assertEquals(30, Duration.between(deleted, cluster.runtime.clock().instant()).toSeconds(), "gone after 30 s: " + took);
    }

    @Test
    void aScriptThatTrapsSigtermEndsAsItsTrapSaysInsteadOfWaitingForTheGracePeriod() {
        runningPod("trapper", "w2-k8s", "busybox", "[\"sh\", \"-c\", \"trap 'echo bye; exit 0' TERM; sleep 3600 & wait\"]");
        Instant deleted = cluster.runtime.clock().instant();
        cluster.admin.resource("", "pods").delete("default", "trapper");
        cluster.advanceUntil(() -> gone("trapper"), Duration.ofSeconds(29));
        assertTrue(Duration.between(deleted, cluster.runtime.clock().instant()).toSeconds() < 5,
                "its trap exits at once: gone long before the 30 s grace period");
    }

    @Test
    void aScriptWithoutATrapIgnoresSigtermAsPid1AndWaitsForItsBackgroundJob() {
        runningPod("waiter", "w2-k8s", "busybox", "[\"sh\", \"-c\", \"sleep 3600 & wait\"]");
        cluster.advance(Duration.ofSeconds(60));
        assertFalse(gone("waiter"));
        assertEquals("Running", cluster.pod("default", "waiter").path("status").path("phase").asText(),
                "wait waits for the background sleep: the container keeps running");
        Instant deleted = cluster.runtime.clock().instant();
        cluster.admin.resource("", "pods").delete("default", "waiter");
        cluster.advance(Duration.ofSeconds(29));
        assertFalse(gone("waiter"), "a shell as PID 1 without a trap ignores SIGTERM");
        cluster.advanceUntil(() -> gone("waiter"), Duration.ofSeconds(5));
        assertEquals(30, Duration.between(deleted, cluster.runtime.clock().instant()).toSeconds());
    }

    @Test
    void aShorterGracePeriodIsHonoured() {
        runningPod("quick", "w2-k8s", "busybox", "[\"sleep\", \"3600\"]");
        cluster.admin.resource("", "pods").delete("default", "quick", new DeleteOptions(5L, null, null, null, false));
        cluster.advance(Duration.ofSeconds(4));
        assertFalse(gone("quick"));
        cluster.advance(Duration.ofSeconds(2));
        assertTrue(gone("quick"));
    }

    @Test
    void aStoppedKubeletRenewsNothingAndADeletionWaitsUntilItIsBack() {
        runningPod("nginx-pod", "w1-k8s", "nginx", null);
        var leases = cluster.admin.resource("coordination.k8s.io", "leases");
        cluster.advance(Duration.ofSeconds(10));
        String renewed = leases.get("kube-node-lease", "w1-k8s").toNode().path("spec").path("renewTime").asText();

        cluster.nodes.stopKubelet("w1-k8s");
        assertFalse(cluster.nodes.kubeletRunning("w1-k8s"));
        cluster.runtime.runUntilIdle();
        cluster.advance(Duration.ofSeconds(60));
        assertEquals(renewed, leases.get("kube-node-lease", "w1-k8s").toNode().path("spec").path("renewTime").asText(),
                "no renewal while the kubelet is stopped");
        assertTrue(Instant.parse(leases.get("kube-node-lease", "w2-k8s").toNode().path("spec").path("renewTime").asText())
                .isAfter(Instant.parse(renewed)), "the other kubelets renew theirs");

        cluster.admin.resource("", "pods").delete("default", "nginx-pod");
        cluster.advance(Duration.ofMinutes(2));
        assertTrue(cluster.pod("default", "nginx-pod").path("metadata").has("deletionTimestamp"), "Terminating, and it stays");
        assertEquals("Running", cluster.pod("default", "nginx-pod").path("status").path("phase").asText());

        cluster.nodes.startKubelet("w1-k8s");
        cluster.advance(Duration.ofSeconds(1));
        assertTrue(gone("nginx-pod"), "the kubelet is back: it stops the container and finishes the deletion");
        assertTrue(Instant.parse(leases.get("kube-node-lease", "w1-k8s").toNode().path("spec").path("renewTime").asText())
                .isAfter(Instant.parse(renewed).plusSeconds(100)), "renewed again at once");
    }

    @Test
    void podsBoundToAStoppedKubeletWaitForIt() {
        cluster.nodes.stopKubelet("w3-k8s");
        cluster.runtime.runUntilIdle();
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: later, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers: [{name: c, image: nginx}]
                """);
        cluster.advance(Duration.ofSeconds(30));
        assertEquals("Pending", cluster.pod("default", "later").path("status").path("phase").asText());
        assertFalse(cluster.pod("default", "later").path("status").has("containerStatuses"), "no kubelet has looked at it");
        cluster.nodes.startKubelet("w3-k8s");
        cluster.advanceUntil(() -> cluster.pod("default", "later").path("status").path("phase").asText().equals("Running"), Duration.ofSeconds(10));
    }

    @Test
    void aContainerThatExitsWhileTheKubeletIsStoppedIsSeenWhenItStarts() {
        runningPod("short", "w2-k8s", "busybox", "[\"sleep\", \"20\"]");
        cluster.nodes.stopKubelet("w2-k8s");
        cluster.runtime.runUntilIdle();
        cluster.advance(Duration.ofSeconds(60));
        assertTrue(cluster.pod("default", "short").path("status").path("containerStatuses").get(0).path("state").has("running"),
                "nobody reports the exit");
        cluster.nodes.startKubelet("w2-k8s");
        cluster.advanceUntil(() -> cluster.pod("default", "short").path("status").path("containerStatuses").get(0)
                .path("restartCount").asInt() == 1, Duration.ofSeconds(10));
    }
}
