package kubefake.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.ControllerTestCluster;
import kubefake.controllers.replicaset.ReplicaSetController;
import kubefake.controllers.replicaset.ReplicaSetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Deployment controller with the ReplicaSet controller on the manual runtime; pods are made ready by hand. */
class DeploymentControllerTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private DeploymentController deployments;
    private ReplicaSetController replicaSets;

    @BeforeEach
    void start() {
        deployments = new DeploymentController(cluster.controllerClient("deployment-controller"), cluster.informers, cluster.runtime);
        replicaSets = new ReplicaSetController(ReplicaSetKind.REPLICA_SET, cluster.controllerClient("replicaset-controller"),
                cluster.informers, cluster.runtime);
        deployments.start();
        replicaSets.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        deployments.close();
        replicaSets.close();
        cluster.close();
    }

    private ObjectNode deployment(String name) {
        return cluster.deployments.get("lab", name).toNode();
    }

    private void create(ObjectNode d) {
        cluster.deployments.create(d);
        cluster.runtime.runUntilIdle();
    }

    private void setImage(String name, String image) {
        cluster.deployments.patch("lab", name, d -> {
            ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0)).put("image", image);
            return d;
        });
        cluster.runtime.runUntilIdle();
    }

    private void scale(String name, int replicas) {
        cluster.deployments.patch("lab", name, d -> {
            d.with("spec").put("replicas", replicas);
            return d;
        });
        cluster.runtime.runUntilIdle();
    }

    /** Makes every live pod ready, one round at a time, until the rollout stops creating pods. */
    private void readyUntilSettled() {
        for (int i = 0; i < 50; i++) {
            boolean any = false;
            for (ObjectNode p : cluster.livePods("lab")) {
                if (!ControllerTestCluster.isReady(p)) {
                    cluster.markRunningReady("lab", name(p));
                    any = true;
                }
            }
            cluster.runtime.runUntilIdle();
            if (!any) return;
        }
        throw new AssertionError("the rollout did not settle");
    }

    private static String annotation(JsonNode o, String key) {
        return o.path("metadata").path("annotations").path(key).asText(null);
    }

    private static JsonNode condition(JsonNode d, String type) {
        for (JsonNode c : d.path("status").path("conditions")) if (c.path("type").asText().equals(type)) return c;
        return null;
    }

    private static String reasonOf(JsonNode d, String type) {
        JsonNode c = condition(d, type);
        return c == null ? null : c.path("status").asText() + " " + c.path("reason").asText();
    }

    private static String image(JsonNode o) {
        return o.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText();
    }

    @Test
    void aNewDeploymentGetsAReplicaSetNamedByItsTemplateHashAndItsPods() {
        create(ControllerTestCluster.deployment("lab", "web", 3, "nginx"));
        ObjectNode d = deployment("web");
        List<ObjectNode> rss = cluster.replicaSets("lab");
        assertEquals(1, rss.size());
        ObjectNode rs = rss.get(0);
        String hash = rs.path("metadata").path("labels").path("pod-template-hash").asText();
        assertTrue(hash.matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}"), hash);
        assertEquals("web-" + hash, name(rs));
        assertEquals("{\"app\":\"web\",\"pod-template-hash\":\"" + hash + "\"}", rs.path("metadata").path("labels").toString());
        assertEquals("{\"matchLabels\":{\"app\":\"web\",\"pod-template-hash\":\"" + hash + "\"}}", rs.path("spec").path("selector").toString());
        assertEquals(hash, rs.path("spec").path("template").path("metadata").path("labels").path("pod-template-hash").asText());
        assertEquals("{\"deployment.kubernetes.io/desired-replicas\":\"3\",\"deployment.kubernetes.io/max-replicas\":\"4\","
                + "\"deployment.kubernetes.io/revision\":\"1\"}", rs.path("metadata").path("annotations").toString());
        JsonNode ref = rs.path("metadata").path("ownerReferences").get(0);
        assertEquals("Deployment", ref.path("kind").asText());
        assertEquals(d.path("metadata").path("uid").asText(), ref.path("uid").asText());
        assertEquals("1", annotation(d, "deployment.kubernetes.io/revision"));

        List<ObjectNode> pods = cluster.pods("lab");
        assertEquals(3, pods.size());
        for (ObjectNode p : pods) {
            assertTrue(name(p).matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}"), name(p));
            assertEquals(name(rs), p.path("metadata").path("ownerReferences").get(0).path("name").asText());
        }
        assertEquals(List.of("ScalingReplicaSet: Scaled up replica set web-" + hash + " from 0 to 3"), cluster.events("lab", "Deployment", "web"));

        assertEquals("False MinimumReplicasUnavailable", reasonOf(d, "Available"));
        assertEquals("Deployment does not have minimum availability.", condition(d, "Available").path("message").asText());
        assertEquals("True ReplicaSetUpdated", reasonOf(d, "Progressing"));
        assertEquals("ReplicaSet \"web-" + hash + "\" is progressing.", condition(d, "Progressing").path("message").asText());
        assertEquals(3, d.path("status").path("unavailableReplicas").asInt());

        readyUntilSettled();
        d = deployment("web");
        assertEquals("{\"observedGeneration\":1,\"replicas\":3,\"updatedReplicas\":3,\"readyReplicas\":3,\"availableReplicas\":3,",
                d.path("status").toString().substring(0, d.path("status").toString().indexOf("\"conditions\"")));
        List<String> types = new ArrayList<>();
        d.path("status").path("conditions").forEach(c -> types.add(c.path("type").asText()));
        assertEquals(List.of("Available", "Progressing"), types, "as a real cluster lists them");
        assertEquals("True MinimumReplicasAvailable", reasonOf(d, "Available"));
        assertEquals("Deployment has minimum availability.", condition(d, "Available").path("message").asText());
        assertEquals("True NewReplicaSetAvailable", reasonOf(d, "Progressing"));
        assertEquals("ReplicaSet \"web-" + hash + "\" has successfully progressed.", condition(d, "Progressing").path("message").asText());
    }

    @Test
    void theSameTemplateAlwaysHasTheSameHashAndAnotherTemplateAnother() {
        create(ControllerTestCluster.deployment("lab", "a", 1, "nginx"));
        ObjectNode other = ControllerTestCluster.deployment("lab", "b", 1, "nginx");
        ((ObjectNode) other.path("spec").path("template").path("metadata").path("labels")).put("app", "a");
        ((ObjectNode) other.path("spec").path("selector").path("matchLabels")).put("app", "a");
        create(ControllerTestCluster.deployment("lab", "c", 1, "httpd"));
        List<String> names = cluster.replicaSets("lab").stream().map(ControllerTestCluster::name).toList();
        String hashA = names.stream().filter(n -> n.startsWith("a-")).findFirst().orElseThrow().substring(2);
        String hashC = names.stream().filter(n -> n.startsWith("c-")).findFirst().orElseThrow().substring(2);
        assertNotEquals(hashA, hashC);
    }

    @Test
    void aDeletedPodIsReplacedByExactlyOneNewPod() {
        create(ControllerTestCluster.deployment("lab", "web", 3, "nginx"));
        readyUntilSettled();
        List<ObjectNode> before = cluster.pods("lab");
        cluster.pods.delete("lab", name(before.get(1)));
        cluster.runtime.runUntilIdle();
        List<ObjectNode> after = cluster.pods("lab");
        assertEquals(3, after.size());
        assertEquals(1, after.stream().filter(p -> before.stream().noneMatch(b -> name(b).equals(name(p)))).count());
        assertEquals(1, cluster.replicaSets("lab").size());
    }

    @Test
    void scalingChangesTheReplicaSetAndItsAnnotations() {
        create(ControllerTestCluster.deployment("lab", "web", 3, "nginx"));
        readyUntilSettled();
        scale("web", 5);
        ObjectNode rs = cluster.replicaSets("lab").get(0);
        assertEquals(5, rs.path("spec").path("replicas").asInt());
        assertEquals("5", annotation(rs, "deployment.kubernetes.io/desired-replicas"));
        assertEquals("7", annotation(rs, "deployment.kubernetes.io/max-replicas"));
        assertEquals(5, cluster.pods("lab").size());
        scale("web", 2);
        assertEquals(2, cluster.livePods("lab").size());
        List<String> events = cluster.events("lab", "Deployment", "web");
        String rsName = name(rs);
        assertEquals(List.of("ScalingReplicaSet: Scaled up replica set " + rsName + " from 0 to 3",
                "ScalingReplicaSet: Scaled up replica set " + rsName + " from 3 to 5",
                "ScalingReplicaSet: Scaled down replica set " + rsName + " from 5 to 2"), events);
    }

    @Test
    void aRollingUpdateKeepsWithinMaxSurgeAndMaxUnavailableStepByStep() {
        create(ControllerTestCluster.deployment("lab", "web", 4, "nginx:1.25")); // 25%: surge 1, unavailable 1
        readyUntilSettled();
        String oldRS = name(cluster.replicaSets("lab").get(0));
        setImage("web", "nginx:1.26");

        List<ObjectNode> rss = cluster.replicaSets("lab");
        assertEquals(2, rss.size());
        ObjectNode newRS = rss.stream().filter(r -> !name(r).equals(oldRS)).findFirst().orElseThrow();
        assertEquals("2", annotation(newRS, "deployment.kubernetes.io/revision"));
        assertEquals("2", annotation(deployment("web"), "deployment.kubernetes.io/revision"));
        // one surge pod, one unavailable old pod: the old ReplicaSet goes to 3, which lets the new one have 2
        assertEquals(2, cluster.replicaSets.get("lab", name(newRS)).toNode().path("spec").path("replicas").asInt());
        assertEquals(3, cluster.replicaSets.get("lab", oldRS).toNode().path("spec").path("replicas").asInt());

        // each round: the ready pods let the controller go one step further, never past 5 pods or under 3 ready
        for (int round = 0; round < 20; round++) {
            List<ObjectNode> live = cluster.livePods("lab");
            long ready = live.stream().filter(ControllerTestCluster::isReady).count();
            assertTrue(live.size() <= 5, "at most replicas + maxSurge pods: " + live.size());
            assertTrue(ready >= 3, "at least replicas - maxUnavailable ready: " + ready);
            ObjectNode next = live.stream().filter(p -> !ControllerTestCluster.isReady(p)).findFirst().orElse(null);
            if (next == null) break;
            cluster.markRunningReady("lab", name(next));
            cluster.runtime.runUntilIdle();
        }
        ObjectNode d = deployment("web");
        assertEquals("True NewReplicaSetAvailable", reasonOf(d, "Progressing"));
        assertEquals(4, d.path("status").path("updatedReplicas").asInt());
        assertEquals(0, cluster.replicaSets.get("lab", oldRS).toNode().path("spec").path("replicas").asInt());
        assertEquals(4, cluster.livePods("lab").size());
        for (ObjectNode p : cluster.livePods("lab")) assertEquals("nginx:1.26", p.path("spec").path("containers").get(0).path("image").asText());
        List<String> events = cluster.events("lab", "Deployment", "web");
        assertEquals(List.of("ScalingReplicaSet: Scaled up replica set " + oldRS + " from 0 to 4",
                "ScalingReplicaSet: Scaled up replica set " + name(newRS) + " from 0 to 1",
                "ScalingReplicaSet: Scaled down replica set " + oldRS + " from 4 to 3",
                "ScalingReplicaSet: Scaled up replica set " + name(newRS) + " from 1 to 2"), events.subList(0, 4));
        assertTrue(events.contains("ScalingReplicaSet: Scaled down replica set " + oldRS + " from 1 to 0"), events::toString);
    }

    @Test
    void undoBringsBackThePreviousTemplateAsTheNextRevision() {
        create(ControllerTestCluster.deployment("lab", "web", 2, "nginx:1.25"));
        readyUntilSettled();
        String first = name(cluster.replicaSets("lab").get(0));
        setImage("web", "nginx:1.26");
        readyUntilSettled();

        // kubectl rollout undo: the template of the previous revision's ReplicaSet, without its hash label
        ObjectNode previous = cluster.replicaSets.get("lab", first).toNode();
        ObjectNode template = previous.path("spec").path("template").deepCopy();
        ((ObjectNode) template.path("metadata").path("labels")).remove("pod-template-hash");
        cluster.deployments.patch("lab", "web", d -> {
            d.with("spec").set("template", template);
            return d;
        });
        cluster.runtime.runUntilIdle();
        readyUntilSettled();

        assertEquals(2, cluster.replicaSets("lab").size(), "the old ReplicaSet is reused");
        ObjectNode reused = cluster.replicaSets.get("lab", first).toNode();
        assertEquals("3", annotation(reused, "deployment.kubernetes.io/revision"));
        assertEquals("1", annotation(reused, "deployment.kubernetes.io/revision-history"));
        assertEquals(2, reused.path("spec").path("replicas").asInt());
        assertEquals("3", annotation(deployment("web"), "deployment.kubernetes.io/revision"));
        for (ObjectNode p : cluster.livePods("lab")) assertEquals("nginx:1.25", p.path("spec").path("containers").get(0).path("image").asText());
    }

    @Test
    void oldReplicaSetsBeyondTheRevisionHistoryLimitAreDeleted() {
        ObjectNode d = ControllerTestCluster.deployment("lab", "web", 1, "nginx:1");
        d.with("spec").put("revisionHistoryLimit", 1);
        create(d);
        readyUntilSettled();
        for (String image : List.of("nginx:2", "nginx:3", "nginx:4")) {
            setImage("web", image);
            readyUntilSettled();
        }
        List<ObjectNode> rss = cluster.replicaSets("lab");
        assertEquals(2, rss.size(), "the current one and one old one");
        List<String> images = rss.stream().map(DeploymentControllerTest::image).sorted().toList();
        assertEquals(List.of("nginx:3", "nginx:4"), images);
    }

    @Test
    void recreateScalesTheOldPodsAwayBeforeTheNewReplicaSetStarts() {
        ObjectNode d = ControllerTestCluster.deployment("lab", "web", 2, "nginx:1");
        ObjectNode strategy = d.with("spec").putObject("strategy");
        strategy.put("type", "Recreate");
        // pods on a node: their deletion waits for the kubelet, so the old pods stay Terminating for a while
        ((ObjectNode) d.path("spec").path("template").path("spec")).put("nodeName", "w1-k8s");
        create(d);
        readyUntilSettled();
        String oldRS = name(cluster.replicaSets("lab").get(0));
        setImage("web", "nginx:2");

        assertEquals(1, cluster.replicaSets("lab").size(), "no new ReplicaSet while old pods exist");
        assertEquals(0, cluster.replicaSets.get("lab", oldRS).toNode().path("spec").path("replicas").asInt());
        assertEquals(0, cluster.livePods("lab").size());

        for (ObjectNode p : cluster.pods("lab")) {
            cluster.pods.delete("lab", name(p), new kubefake.store.registry.DeleteOptions(0L, null, null, null, false));
        }
        cluster.runtime.runUntilIdle();
        List<ObjectNode> rss = cluster.replicaSets("lab");
        assertEquals(2, rss.size());
        assertEquals(2, cluster.livePods("lab").size());
        for (ObjectNode p : cluster.livePods("lab")) assertEquals("nginx:2", p.path("spec").path("containers").get(0).path("image").asText());
    }

    @Test
    void aPausedDeploymentDoesNotRollOutUntilResumed() {
        create(ControllerTestCluster.deployment("lab", "web", 2, "nginx:1"));
        readyUntilSettled();
        cluster.deployments.patch("lab", "web", d -> {
            d.with("spec").put("paused", true);
            return d;
        });
        cluster.runtime.runUntilIdle();
        assertEquals("Unknown DeploymentPaused", reasonOf(deployment("web"), "Progressing"));
        assertEquals("Deployment is paused", condition(deployment("web"), "Progressing").path("message").asText());
        setImage("web", "nginx:2");
        assertEquals(1, cluster.replicaSets("lab").size());

        cluster.deployments.patch("lab", "web", d -> {
            d.with("spec").put("paused", false);
            return d;
        });
        cluster.runtime.runUntilIdle();
        assertEquals(2, cluster.replicaSets("lab").size());
        readyUntilSettled();
        assertEquals("True NewReplicaSetAvailable", reasonOf(deployment("web"), "Progressing"));
    }

    @Test
    void aRolloutWithoutProgressTimesOutAfterItsDeadline() {
        ObjectNode d = ControllerTestCluster.deployment("lab", "web", 1, "nginx");
        d.with("spec").put("progressDeadlineSeconds", 60);
        create(d);
        cluster.runtime.advance(Duration.ofSeconds(59));
        assertEquals("True ReplicaSetUpdated", reasonOf(deployment("web"), "Progressing"));
        cluster.runtime.advance(Duration.ofSeconds(3));
        ObjectNode timedOut = deployment("web");
        assertEquals("False ProgressDeadlineExceeded", reasonOf(timedOut, "Progressing"));
        String rs = name(cluster.replicaSets("lab").get(0));
        assertEquals("ReplicaSet \"" + rs + "\" has timed out progressing.", condition(timedOut, "Progressing").path("message").asText());
    }

    @Test
    void anOrphanedReplicaSetMatchingTheSelectorIsAdopted() {
        create(ControllerTestCluster.deployment("lab", "web", 1, "nginx"));
        readyUntilSettled();
        ObjectNode rs = cluster.replicaSets("lab").get(0);
        cluster.replicaSets.patch("lab", name(rs), r -> {
            r.with("metadata").remove("ownerReferences");
            return r;
        });
        cluster.runtime.runUntilIdle();
        ObjectNode adopted = cluster.replicaSets.get("lab", name(rs)).toNode();
        assertEquals(deployment("web").path("metadata").path("uid").asText(),
                adopted.path("metadata").path("ownerReferences").get(0).path("uid").asText());
        assertEquals(1, cluster.replicaSets("lab").size());
    }
}
