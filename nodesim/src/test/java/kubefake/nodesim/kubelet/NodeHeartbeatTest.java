package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.NodeSimCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kubelet's Lease and node status, on the real cadence. */
class NodeHeartbeatTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private JsonNode lease(String node) {
        return cluster.admin.resource("coordination.k8s.io", "leases").get("kube-node-lease", node).toNode();
    }

    private ObjectNode node(String name) {
        return cluster.admin.resource("", "nodes").get("", name).toNode();
    }

    private static JsonNode condition(ObjectNode node, String type) {
        for (JsonNode c : node.path("status").path("conditions")) if (c.path("type").asText().equals(type)) return c;
        return null;
    }

    @Test
    void theLeaseIsRenewedEveryTenSeconds() {
        Instant first = Instant.parse(lease("w1-k8s").path("spec").path("renewTime").asText());
        cluster.advance(Duration.ofSeconds(10));
        JsonNode lease = lease("w1-k8s");
        assertEquals("w1-k8s", lease.path("spec").path("holderIdentity").asText());
        assertEquals(40, lease.path("spec").path("leaseDurationSeconds").asInt());
        assertEquals(10, Duration.between(first, Instant.parse(lease.path("spec").path("renewTime").asText())).toSeconds());
        assertTrue(lease.path("spec").path("renewTime").asText().matches(".*\\.\\d{6}Z"), "a MicroTime");
        assertEquals("Node", lease.path("metadata").path("ownerReferences").get(0).path("kind").asText());
    }

    @Test
    void aDeletedLeaseIsCreatedAgain() {
        cluster.admin.resource("coordination.k8s.io", "leases").delete("kube-node-lease", "w2-k8s");
        cluster.advance(Duration.ofSeconds(10));
        JsonNode lease = lease("w2-k8s");
        assertEquals("w2-k8s", lease.path("spec").path("holderIdentity").asText());
        assertEquals(node("w2-k8s").path("metadata").path("uid").asText(),
                lease.path("metadata").path("ownerReferences").get(0).path("uid").asText());
    }

    @Test
    void theNodeStatusIsReportedEveryFiveMinutesOrWhenSomethingChanged() {
        cluster.advance(Duration.ofSeconds(1));
        String heartbeat = condition(node("w1-k8s"), "Ready").path("lastHeartbeatTime").asText();
        cluster.advance(Duration.ofMinutes(2));
        assertEquals(heartbeat, condition(node("w1-k8s"), "Ready").path("lastHeartbeatTime").asText(), "nothing changed: no write");
        cluster.advance(Duration.ofMinutes(3));
        String later = condition(node("w1-k8s"), "Ready").path("lastHeartbeatTime").asText();
        assertNotEquals(heartbeat, later, "reported after 5 minutes");
        assertEquals(condition(node("w1-k8s"), "Ready").path("lastTransitionTime").asText(),
                condition(node("w3-k8s"), "Ready").path("lastTransitionTime").asText(), "Ready has not changed since registration");
        assertEquals("kubelet is posting ready status", condition(node("w1-k8s"), "Ready").path("message").asText());
        assertEquals("KubeletHasSufficientMemory", condition(node("w1-k8s"), "MemoryPressure").path("reason").asText());
        assertEquals("CalicoIsUp", condition(node("w1-k8s"), "NetworkUnavailable").path("reason").asText(), "Calico's condition is kept");

        // the node lifecycle controller marks the node Unknown: the kubelet's next look (10 s) sets it Ready again
        cluster.admin.resource("", "nodes").patchStatus("", "w1-k8s", n -> {
            for (JsonNode c : n.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    ((ObjectNode) c).put("status", "Unknown").put("reason", "NodeStatusUnknown").put("message", "Kubelet stopped posting node status.");
                }
            }
            return n;
        });
        Instant unknownAt = cluster.runtime.clock().instant();
        cluster.advance(Duration.ofSeconds(10));
        JsonNode ready = condition(node("w1-k8s"), "Ready");
        assertEquals("True", ready.path("status").asText());
        assertEquals("KubeletReady", ready.path("reason").asText());
        assertTrue(!Instant.parse(ready.path("lastTransitionTime").asText()).isBefore(unknownAt.minusSeconds(1)), "it transitioned again");
        assertTrue(cluster.events("default", "w1-k8s").contains("Normal NodeReady Node w1-k8s status is now: NodeReady"),
                cluster.events("default", "w1-k8s")::toString);
    }

    @Test
    void aPulledImageIsInTheNodesImageList() {
        cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  nodeName: w3-k8s
                  containers: [{name: web, image: nginx}]
                """);
        cluster.advance(Duration.ofSeconds(20));
        JsonNode images = node("w3-k8s").path("status").path("images");
        boolean found = false;
        for (JsonNode i : images) {
            if (i.path("names").toString().contains("docker.io/library/nginx:latest")) {
                found = true;
                assertEquals(72188133, i.path("sizeBytes").asLong());
                assertTrue(i.path("names").get(0).asText().startsWith("docker.io/library/nginx@sha256:"));
            }
        }
        assertTrue(found, images::toString);
        assertTrue(images.toString().contains("registry.k8s.io/pause:3.10"), "the sandbox image is always there");
    }

    @Test
    void theKubeletRecordsItsStartOnTheNode() {
        cluster.runtime.runUntilIdle();
        var events = cluster.events("default", "w2-k8s");
        assertTrue(events.contains("Normal Starting Starting kubelet."), events::toString);
        assertTrue(events.contains("Normal NodeAllocatableEnforced Updated Node Allocatable limit across pods"));
        assertTrue(events.contains("Normal NodeHasSufficientMemory Node w2-k8s status is now: NodeHasSufficientMemory"));
        ObjectNode starting = cluster.eventObjects("default", "w2-k8s").get(0);
        assertEquals("Node", starting.path("involvedObject").path("kind").asText());
        assertEquals("w2-k8s", starting.path("involvedObject").path("uid").asText(), "the kubelet writes the node's name as its uid");
    }
}
