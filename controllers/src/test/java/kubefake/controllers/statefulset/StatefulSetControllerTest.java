package kubefake.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The StatefulSet controller on the manual runtime; pods are made ready by hand. */
class StatefulSetControllerTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private final ResourceClient sets = cluster.admin.resource("apps", "statefulsets");
    private final ResourceClient revisions = cluster.admin.resource("apps", "controllerrevisions");
    private final ResourceClient claims = cluster.admin.resource("", "persistentvolumeclaims");
    private StatefulSetController controller;

    @BeforeEach
    void start() {
        controller = new StatefulSetController(cluster.controllerClient("statefulset-controller"), cluster.informers, cluster.runtime);
        controller.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        controller.close();
        cluster.close();
    }

    private static ObjectNode statefulSet(int replicas, String image) {
        ObjectNode sts = ControllerTestCluster.workload("apps/v1", "StatefulSet", "lab", "web", replicas, image);
        sts.with("spec").put("serviceName", "nginx");
        ObjectNode claim = sts.with("spec").putArray("volumeClaimTemplates").addObject();
        claim.putObject("metadata").put("name", "www");
        ObjectNode spec = claim.putObject("spec");
        spec.putArray("accessModes").add("ReadWriteOnce");
        spec.putObject("resources").putObject("requests").put("storage", "1Gi");
        return sts;
    }

    private List<String> podNames() {
        return cluster.livePods("lab").stream().map(ControllerTestCluster::name).toList();
    }

    private ObjectNode status() {
        return (ObjectNode) sets.get("lab", "web").toNode().path("status");
    }

    private void readyAll() {
        for (int i = 0; i < 20; i++) {
            List<ObjectNode> notReady = cluster.livePods("lab").stream().filter(p -> !ControllerTestCluster.isReady(p)).toList();
            if (notReady.isEmpty()) return;
            for (ObjectNode p : notReady) cluster.markRunningReady("lab", name(p));
            cluster.runtime.runUntilIdle();
        }
    }

    @Test
    void orderedReadyCreatesOnePodAtATimeWithItsIdentityAndClaim() {
        sets.create(statefulSet(3, "nginx"));
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("web-0"), podNames(), "the next pod waits for web-0 to be Running and Ready");

        ObjectNode pod = cluster.pods.get("lab", "web-0").toNode();
        List<StoredObject> revs = revisions.list("lab");
        assertEquals(1, revs.size());
        ObjectNode revision = revs.get(0).toNode();
        String revisionName = name(revision);
        String hash = revision.path("metadata").path("labels").path("controller.kubernetes.io/hash").asText();
        assertEquals("web-" + hash, revisionName);
        assertEquals(1, revision.path("revision").asInt());
        assertEquals("replace", revision.path("data").path("spec").path("template").path("$patch").asText());
        assertEquals("{\"app\":\"web\",\"apps.kubernetes.io/pod-index\":\"0\",\"controller-revision-hash\":\"" + revisionName
                + "\",\"statefulset.kubernetes.io/pod-name\":\"web-0\"}", sortedLabels(pod));
        assertEquals("web-", pod.path("metadata").path("generateName").asText());
        assertEquals("StatefulSet", pod.path("metadata").path("ownerReferences").get(0).path("kind").asText());
        assertEquals("web-0", pod.path("spec").path("hostname").asText());
        assertEquals("nginx", pod.path("spec").path("subdomain").asText());
        assertEquals("www-web-0", pod.path("spec").path("volumes").get(0).path("persistentVolumeClaim").path("claimName").asText());
        ObjectNode claim = claims.get("lab", "www-web-0").toNode();
        assertEquals("web", claim.path("metadata").path("labels").path("app").asText());
        assertEquals("Pending", claim.path("status").path("phase").asText("Pending"));
        assertEquals(List.of("SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success",
                "SuccessfulCreate: create Pod web-0 in StatefulSet web successful"), cluster.events("lab", "StatefulSet", "web"));

        cluster.markRunningReady("lab", "web-0");
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("web-0", "web-1"), podNames());
        readyAll();
        assertEquals(List.of("web-0", "web-1", "web-2"), podNames());
        ObjectNode status = status();
        assertEquals("{\"observedGeneration\":1,\"replicas\":3,\"readyReplicas\":3,\"currentReplicas\":3,\"updatedReplicas\":3,"
                + "\"currentRevision\":\"" + revisionName + "\",\"updateRevision\":\"" + revisionName
                + "\",\"collisionCount\":0,\"availableReplicas\":3}", status.toString());
    }

    private static String sortedLabels(JsonNode o) {
        ObjectNode sorted = kubefake.store.registry.Json.MAPPER.createObjectNode();
        List<String> keys = new ArrayList<>();
        o.path("metadata").path("labels").fieldNames().forEachRemaining(keys::add);
        keys.stream().sorted().forEach(k -> sorted.set(k, o.path("metadata").path("labels").get(k)));
        return sorted.toString();
    }

    @Test
    void scalingDownRemovesTheHighestOrdinalFirstOneAtATime() {
        sets.create(statefulSet(3, "nginx"));
        cluster.runtime.runUntilIdle();
        readyAll();
        // each deletion is seen before the next one starts (the pods have no node: they go at once)
        sets.patch("lab", "web", s -> {
            s.with("spec").put("replicas", 1);
            return s;
        });
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("web-0"), podNames());
        assertTrue(cluster.events("lab", "StatefulSet", "web").containsAll(List.of(
                "SuccessfulDelete: delete Pod web-2 in StatefulSet web successful",
                "SuccessfulDelete: delete Pod web-1 in StatefulSet web successful")));
        List<String> events = cluster.events("lab", "StatefulSet", "web");
        assertTrue(events.indexOf("SuccessfulDelete: delete Pod web-2 in StatefulSet web successful")
                < events.indexOf("SuccessfulDelete: delete Pod web-1 in StatefulSet web successful"));
        assertEquals(3, claims.list("lab").size(), "claims are kept (retention policy Retain)");
    }

    @Test
    void parallelCreatesEveryPodAtOnce() {
        ObjectNode sts = statefulSet(3, "nginx");
        sts.with("spec").put("podManagementPolicy", "Parallel");
        sets.create(sts);
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("web-0", "web-1", "web-2"), podNames());
    }

    @Test
    void aRollingUpdateReplacesPodsFromTheTopDownToThePartition() {
        sets.create(statefulSet(3, "nginx:1"));
        cluster.runtime.runUntilIdle();
        readyAll();
        String first = status().path("currentRevision").asText();
        sets.patch("lab", "web", s -> {
            ((ObjectNode) s.path("spec").path("template").path("spec").path("containers").get(0)).put("image", "nginx:2");
            ((ObjectNode) s.path("spec").path("updateStrategy").path("rollingUpdate")).put("partition", 1);
            return s;
        });
        cluster.runtime.runUntilIdle();
        readyAll();
        String second = status().path("updateRevision").asText();
        assertNotEquals(first, second);
        assertEquals(2, revisions.list("lab").size());
        assertEquals("nginx:1", image("web-0"), "below the partition");
        assertEquals("nginx:2", image("web-1"));
        assertEquals("nginx:2", image("web-2"));
        assertEquals(second, cluster.pods.get("lab", "web-2").toNode().path("metadata").path("labels").path("controller-revision-hash").asText());
        assertEquals(first, status().path("currentRevision").asText(), "not all pods are updated yet");
        assertEquals(2, status().path("updatedReplicas").asInt());

        sets.patch("lab", "web", s -> {
            ((ObjectNode) s.path("spec").path("updateStrategy").path("rollingUpdate")).put("partition", 0);
            return s;
        });
        cluster.runtime.runUntilIdle();
        readyAll();
        assertEquals("nginx:2", image("web-0"));
        assertEquals(second, status().path("currentRevision").asText());
        assertEquals(3, status().path("currentReplicas").asInt());
    }

    private String image(String pod) {
        return cluster.pods.get("lab", pod).toNode().path("spec").path("containers").get(0).path("image").asText();
    }
}
