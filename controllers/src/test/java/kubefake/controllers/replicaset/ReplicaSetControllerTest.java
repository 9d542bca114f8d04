package kubefake.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.DeleteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ReplicaSet controller on the manual runtime, asserting what kubectl would show. */
class ReplicaSetControllerTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private ReplicaSetController controller;

    private void start() {
        controller = new ReplicaSetController(ReplicaSetKind.REPLICA_SET, cluster.controllerClient("replicaset-controller"),
                cluster.informers, cluster.runtime);
        controller.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        cluster.close();
    }

    private ObjectNode rs(String name) {
        return cluster.replicaSets.get("lab", name).toNode();
    }

    private void scale(String name, int replicas) {
        cluster.replicaSets.patch("lab", name, rs -> {
            rs.with("spec").put("replicas", replicas);
            return rs;
        });
    }

    @Test
    void createsTheReplicasFromTheTemplateWithNamesLabelsAndOwnerReferences() {
        start();
        ObjectNode created = cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 3, "nginx")).toNode();
        cluster.runtime.runUntilIdle();

        List<ObjectNode> pods = cluster.pods("lab");
        assertEquals(3, pods.size());
        for (ObjectNode pod : pods) {
            assertTrue(name(pod).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"), name(pod));
            assertEquals("web-", pod.path("metadata").path("generateName").asText());
            assertEquals("{\"app\":\"web\"}", pod.path("metadata").path("labels").toString());
            assertEquals("[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"web\",\"uid\":\""
                    + created.path("metadata").path("uid").asText() + "\",\"controller\":true,\"blockOwnerDeletion\":true}]",
                    pod.path("metadata").path("ownerReferences").toString());
            assertEquals("nginx", pod.path("spec").path("containers").get(0).path("image").asText());
        }
        Set<String> expectedEvents = new HashSet<>();
        for (ObjectNode pod : pods) expectedEvents.add("SuccessfulCreate: Created pod: " + name(pod));
        assertEquals(expectedEvents, new HashSet<>(cluster.events("lab", "ReplicaSet", "web")));
        assertEquals("{\"replicas\":3,\"fullyLabeledReplicas\":3,\"observedGeneration\":1}", rs("web").path("status").toString());
    }

    @Test
    void readyPodsCountAsReadyAndAvailable() {
        start();
        cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 2, "nginx"));
        cluster.runtime.runUntilIdle();
        cluster.markAllRunningReady("lab");
        cluster.runtime.runUntilIdle();
        assertEquals("{\"replicas\":2,\"fullyLabeledReplicas\":2,\"readyReplicas\":2,\"availableReplicas\":2,\"observedGeneration\":1}",
                rs("web").path("status").toString());
    }

    @Test
    void podsBecomeAvailableOnlyAfterMinReadySeconds() {
        start();
        ObjectNode spec = ControllerTestCluster.replicaSet("lab", "web", 1, "nginx");
        spec.with("spec").put("minReadySeconds", 10);
        cluster.replicaSets.create(spec);
        cluster.runtime.runUntilIdle();
        cluster.markAllRunningReady("lab");
        cluster.runtime.runUntilIdle();
        assertEquals(1, rs("web").path("status").path("readyReplicas").asInt());
        assertEquals(0, rs("web").path("status").path("availableReplicas").asInt());
        cluster.runtime.advance(Duration.ofSeconds(10));
        assertEquals(0, rs("web").path("status").path("availableReplicas").asInt(), "ready for 10 s is not more than 10 s");
        // the controller looks again minReadySeconds after each look (timestamps have whole seconds here)
        cluster.runtime.advance(Duration.ofSeconds(10));
        assertEquals(1, rs("web").path("status").path("availableReplicas").asInt());
    }

    @Test
    void aDeletedPodIsReplacedByExactlyOne() {
        start();
        cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 3, "nginx"));
        cluster.runtime.runUntilIdle();
        List<ObjectNode> before = cluster.pods("lab");
        cluster.pods.delete("lab", name(before.get(0)));
        cluster.runtime.runUntilIdle();
        List<ObjectNode> after = cluster.pods("lab");
        assertEquals(3, after.size());
        Set<String> names = new HashSet<>();
        after.forEach(p -> names.add(name(p)));
        assertFalse(names.contains(name(before.get(0))));
        assertTrue(names.containsAll(List.of(name(before.get(1)), name(before.get(2)))));
    }

    @Test
    void aPodTerminatingOnItsNodeIsReplacedAtOnceAndOnlyOnce() {
        start();
        ObjectNode spec = ControllerTestCluster.replicaSet("lab", "web", 2, "nginx");
        ((ObjectNode) spec.path("spec").path("template").path("spec")).put("nodeName", "w1-k8s");
        cluster.replicaSets.create(spec);
        cluster.runtime.runUntilIdle();
        String victim = name(cluster.pods("lab").get(0));

        cluster.pods.delete("lab", victim); // bound to a node: Terminating until its kubelet confirms
        cluster.runtime.runUntilIdle();
        assertEquals(3, cluster.pods("lab").size(), "the replacement does not wait for the kubelet");
        assertEquals(2, cluster.livePods("lab").size());

        cluster.pods.delete("lab", victim, new DeleteOptions(0L, null, null, null, false)); // the kubelet is done
        cluster.runtime.runUntilIdle();
        assertEquals(2, cluster.pods("lab").size());
        assertEquals(3, cluster.events("lab", "ReplicaSet", "web").size(), "two creates and one replacement");
    }

    @Test
    void expectationsKeepALaggingCacheFromCreatingTwice() {
        // informers run, the controller's workers do not: the test calls its sync itself, between deliveries
        controller = new ReplicaSetController(ReplicaSetKind.REPLICA_SET, cluster.controllerClient("replicaset-controller"),
                cluster.informers, cluster.runtime);
        cluster.start();
        cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 3, "nginx"));
        cluster.runtime.runUntilIdle();

        controller.sync("lab/web");
        assertEquals(3, cluster.pods("lab").size());
        controller.sync("lab/web"); // the pod informer has not delivered the three creations yet
        assertEquals(3, cluster.pods("lab").size(), "no second batch while the creations are unseen");

        cluster.runtime.runUntilIdle();
        controller.sync("lab/web");
        assertEquals(3, cluster.pods("lab").size());

        // a deletion the informer has not seen yet is not acted on twice either
        scale("web", 1);
        cluster.runtime.runUntilIdle();
        controller.sync("lab/web");
        controller.sync("lab/web");
        assertEquals(1, cluster.pods("lab").size());
        scale("web", 2);
        cluster.runtime.runUntilIdle();
        controller.sync("lab/web");
        assertEquals(2, cluster.pods("lab").size());
    }

    @Test
    void expectationsExpireAfterFiveMinutes() {
        controller = new ReplicaSetController(ReplicaSetKind.REPLICA_SET, cluster.controllerClient("replicaset-controller"),
                cluster.informers, cluster.runtime);
        cluster.start();
        cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 1, "nginx"));
        cluster.runtime.runUntilIdle();
        controller.expectations().expectCreations("lab/web", 1); // a creation that will never be observed
        controller.sync("lab/web");
        assertEquals(0, cluster.pods("lab").size());
        cluster.runtime.clock().advance(Duration.ofMinutes(5).plusSeconds(1));
        controller.sync("lab/web");
        assertEquals(1, cluster.pods("lab").size());
    }

    @Test
    void scalingDownDeletesUnreadyPodsFirstThenTheMostRecentlyReady() {
        start();
        cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 4, "nginx"));
        cluster.runtime.runUntilIdle();
        List<ObjectNode> pods = cluster.pods("lab");
        cluster.markRunningReady("lab", name(pods.get(0)));
        cluster.runtime.advance(Duration.ofMinutes(2));
        cluster.markRunningReady("lab", name(pods.get(1)));
        cluster.markRunning("lab", name(pods.get(2)));
        cluster.runtime.runUntilIdle();

        scale("web", 2);
        cluster.runtime.runUntilIdle();
        Set<String> left = new HashSet<>();
        cluster.pods("lab").forEach(p -> left.add(name(p)));
        assertEquals(Set.of(name(pods.get(0)), name(pods.get(1))), left, "the pending and the unready pods went");

        scale("web", 1);
        cluster.runtime.runUntilIdle();
        assertEquals(List.of(name(pods.get(0))), cluster.pods("lab").stream().map(ControllerTestCluster::name).toList(),
                "of two ready pods the one ready for less time goes");
        assertTrue(cluster.events("lab", "ReplicaSet", "web").contains("SuccessfulDelete: Deleted pod: " + name(pods.get(1))));
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsWhoseLabelsNoLongerMatch() {
        ObjectNode orphan = ControllerTestCluster.object("v1", "Pod", "lab", "stray");
        orphan.with("metadata").putObject("labels").put("app", "web");
        orphan.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "nginx");
        cluster.pods.create(orphan);
        start();
        ObjectNode created = cluster.replicaSets.create(ControllerTestCluster.replicaSet("lab", "web", 2, "nginx")).toNode();
        cluster.runtime.runUntilIdle();

        assertEquals(2, cluster.pods("lab").size(), "the orphan counts as one of the two");
        JsonNode ref = cluster.pods.get("lab", "stray").toNode().path("metadata").path("ownerReferences").get(0);
        assertEquals(created.path("metadata").path("uid").asText(), ref.path("uid").asText());
        assertTrue(ref.path("controller").asBoolean() && ref.path("blockOwnerDeletion").asBoolean());

        cluster.pods.patch("lab", "stray", p -> {
            p.with("metadata").with("labels").put("app", "debug");
            return p;
        });
        cluster.runtime.runUntilIdle();
        assertFalse(cluster.pods.get("lab", "stray").toNode().path("metadata").has("ownerReferences"), "released");
        assertEquals(3, cluster.pods("lab").size(), "a replacement for the released pod");
    }

    @Test
    void aReplicaSetBeingDeletedCreatesNothing() {
        start();
        ObjectNode spec = ControllerTestCluster.replicaSet("lab", "web", 2, "nginx");
        spec.with("metadata").putArray("finalizers").add("example.com/hold");
        cluster.replicaSets.create(spec);
        cluster.runtime.runUntilIdle();
        cluster.replicaSets.delete("lab", "web");
        cluster.pods.delete("lab", name(cluster.pods("lab").get(0)));
        cluster.runtime.runUntilIdle();
        assertEquals(1, cluster.pods("lab").size());
    }
}
