package kubefake.controllers.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReplicationControllers run by the ReplicaSet controller's mechanism, under their own names. */
class ReplicationManagerTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private final ResourceClient rcs = cluster.admin.resource("", "replicationcontrollers");
    private ReplicationManager manager;

    @AfterEach
    void close() {
        if (manager != null) manager.close();
        cluster.close();
    }

    @Test
    void keepsTheReplicasOfAReplicationControllerWithItsOwnReferencesAndEvents() {
        manager = new ReplicationManager(cluster.controllerClient(ReplicationManager.NAME), cluster.informers, cluster.runtime);
        manager.start();
        cluster.start();
        ObjectNode rc = ControllerTestCluster.object("v1", "ReplicationController", "lab", "legacy");
        ObjectNode spec = rc.putObject("spec");
        spec.put("replicas", 2);
        spec.putObject("selector").put("app", "legacy");
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "legacy");
        template.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", "nginx");
        String uid = rcs.create(rc).toNode().path("metadata").path("uid").asText();
        cluster.runtime.runUntilIdle();

        List<ObjectNode> pods = cluster.pods("lab");
        assertEquals(2, pods.size());
        for (ObjectNode p : pods) {
            assertTrue(name(p).matches("legacy-[bcdfghjklmnpqrstvwxz2456789]{5}"), name(p));
            JsonNode ref = p.path("metadata").path("ownerReferences").get(0);
            assertEquals("v1 ReplicationController legacy " + uid, ref.path("apiVersion").asText() + " " + ref.path("kind").asText()
                    + " " + ref.path("name").asText() + " " + ref.path("uid").asText());
        }
        assertEquals(2, cluster.events("lab", "ReplicationController", "legacy").stream()
                .filter(e -> e.startsWith("SuccessfulCreate: Created pod: legacy-")).count());
        JsonNode source = cluster.events.list("lab").get(0).toNode().path("source");
        assertEquals("replication-controller", source.path("component").asText());
        assertEquals("{\"replicas\":2,\"fullyLabeledReplicas\":2,\"observedGeneration\":1}", rcs.get("lab", "legacy").toNode().path("status").toString());
    }
}
