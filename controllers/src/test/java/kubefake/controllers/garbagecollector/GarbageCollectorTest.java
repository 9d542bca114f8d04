package kubefake.controllers.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.ControllerTestCluster;
import kubefake.controllers.deployment.DeploymentController;
import kubefake.controllers.replicaset.ReplicaSetController;
import kubefake.controllers.replicaset.ReplicaSetKind;
import kubefake.store.registry.DeleteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The garbage collector with the Deployment and ReplicaSet controllers: deletions with each propagation policy. */
class GarbageCollectorTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private DeploymentController deployments;
    private ReplicaSetController replicaSets;
    private GarbageCollector gc;

    @BeforeEach
    void start() {
        deployments = new DeploymentController(cluster.controllerClient("deployment-controller"), cluster.informers, cluster.runtime);
        replicaSets = new ReplicaSetController(ReplicaSetKind.REPLICA_SET, cluster.controllerClient("replicaset-controller"),
                cluster.informers, cluster.runtime);
        gc = new GarbageCollector(cluster.controllerClient(GarbageCollector.SERVICE_ACCOUNT), cluster.informers, cluster.runtime);
        deployments.start();
        replicaSets.start();
        gc.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        gc.close();
        deployments.close();
        replicaSets.close();
        cluster.close();
    }

    private static DeleteOptions policy(String p) {
        return new DeleteOptions(null, null, null, p, false);
    }

    private void createDeployment(boolean onNode) {
        ObjectNode d = ControllerTestCluster.deployment("lab", "web", 2, "nginx");
        if (onNode) ((ObjectNode) d.path("spec").path("template").path("spec")).put("nodeName", "w1-k8s");
        cluster.deployments.create(d);
        cluster.runtime.runUntilIdle();
        assertEquals(1, cluster.replicaSets("lab").size());
        assertEquals(2, cluster.pods("lab").size());
    }

    private List<String> finalizers(ObjectNode o) {
        List<String> out = new java.util.ArrayList<>();
        o.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
        return out;
    }

    @Test
    void backgroundDeletionTakesTheReplicaSetsAndPodsAfterTheDeployment() {
        createDeployment(false);
        assertTrue(cluster.deployments.delete("lab", "web", policy("Background")).deleted());
        cluster.runtime.runUntilIdle();
        assertEquals(List.of(), cluster.replicaSets("lab"));
        assertEquals(List.of(), cluster.pods("lab"));
    }

    @Test
    void aDeleteWithoutPolicyOfAnAppsV1ObjectIsABackgroundDeletion() {
        createDeployment(false);
        cluster.deployments.delete("lab", "web");
        cluster.runtime.runUntilIdle();
        assertEquals(List.of(), cluster.replicaSets("lab"));
        assertEquals(List.of(), cluster.pods("lab"));
    }

    @Test
    void foregroundDeletionKeepsTheOwnerUntilItsDependentsAreGone() {
        createDeployment(true); // pods on a node: they stay Terminating until their kubelet confirms
        cluster.deployments.delete("lab", "web", policy("Foreground"));
        cluster.runtime.runUntilIdle();

        ObjectNode d = cluster.deployments.get("lab", "web").toNode();
        assertTrue(d.path("metadata").has("deletionTimestamp"));
        assertEquals(List.of("foregroundDeletion"), finalizers(d));
        ObjectNode rs = cluster.replicaSets("lab").get(0);
        assertTrue(rs.path("metadata").has("deletionTimestamp"), "the ReplicaSet is deleted in the foreground too");
        assertEquals(List.of("foregroundDeletion"), finalizers(rs));
        assertEquals(2, cluster.pods("lab").size());
        assertEquals(0, cluster.livePods("lab").size(), "both pods terminating");

        for (ObjectNode p : cluster.pods("lab")) cluster.pods.delete("lab", name(p), new DeleteOptions(0L, null, null, null, false));
        cluster.runtime.runUntilIdle();
        assertEquals(List.of(), cluster.replicaSets("lab"));
        assertTrue(cluster.deployments.find("lab", "web").isEmpty());
    }

    @Test
    void orphanDeletionKeepsTheDependentsWithoutTheirOwnerReference() {
        createDeployment(false);
        List<String> pods = cluster.pods("lab").stream().map(ControllerTestCluster::name).toList();
        cluster.deployments.delete("lab", "web", policy("Orphan"));
        cluster.runtime.runUntilIdle();

        assertTrue(cluster.deployments.find("lab", "web").isEmpty());
        List<ObjectNode> rss = cluster.replicaSets("lab");
        assertEquals(1, rss.size());
        assertFalse(rss.get(0).path("metadata").has("ownerReferences"));
        assertEquals(pods, cluster.pods("lab").stream().map(ControllerTestCluster::name).toList(), "the same pods, still running");
        for (ObjectNode p : cluster.pods("lab")) {
            assertEquals(name(rss.get(0)), p.path("metadata").path("ownerReferences").get(0).path("name").asText());
        }
    }

    @Test
    void dependentsOfAnOwnerThatDoesNotExistAreDeleted() {
        ObjectNode cm = ControllerTestCluster.object("v1", "ConfigMap", "lab", "orphaned");
        cm.with("metadata").putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
                .put("name", "gone").put("uid", "8d5e5d0c-0000-4000-8000-000000000000");
        cluster.admin.resource("", "configmaps").create(cm);
        cluster.runtime.runUntilIdle();
        assertTrue(cluster.admin.resource("", "configmaps").find("lab", "orphaned").isEmpty());
    }

    @Test
    void aDependentOfAnOwnerReplacedUnderTheSameNameIsDeleted() {
        ObjectNode owner = cluster.admin.resource("", "configmaps").create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "owner")).toNode();
        cluster.admin.resource("", "configmaps").delete("lab", "owner", policy("Orphan"));
        cluster.runtime.runUntilIdle();
        cluster.admin.resource("", "configmaps").create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "owner"));
        ObjectNode dep = ControllerTestCluster.object("v1", "ConfigMap", "lab", "dep");
        dep.with("metadata").putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
                .put("name", "owner").put("uid", owner.path("metadata").path("uid").asText());
        cluster.admin.resource("", "configmaps").create(dep);
        cluster.runtime.runUntilIdle();
        assertTrue(cluster.admin.resource("", "configmaps").find("lab", "dep").isEmpty());
        assertTrue(cluster.admin.resource("", "configmaps").find("lab", "owner").isPresent());
    }

    @Test
    void aDependentWithAnotherOwnerLeftOnlyLosesTheReferenceToTheGoneOne() {
        ObjectNode a = cluster.admin.resource("", "configmaps").create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "a")).toNode();
        ObjectNode b = cluster.admin.resource("", "configmaps").create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "b")).toNode();
        ObjectNode dep = ControllerTestCluster.object("v1", "ConfigMap", "lab", "dep");
        var refs = dep.with("metadata").putArray("ownerReferences");
        for (ObjectNode o : List.of(a, b)) {
            refs.addObject().put("apiVersion", "v1").put("kind", "ConfigMap").put("name", name(o)).put("uid", o.path("metadata").path("uid").asText());
        }
        cluster.admin.resource("", "configmaps").create(dep);
        cluster.runtime.runUntilIdle();
        cluster.admin.resource("", "configmaps").delete("lab", "a");
        cluster.runtime.runUntilIdle();
        ObjectNode left = cluster.admin.resource("", "configmaps").get("lab", "dep").toNode();
        assertEquals(1, left.path("metadata").path("ownerReferences").size());
        assertEquals("b", left.path("metadata").path("ownerReferences").get(0).path("name").asText());
    }

    private ObjectNode configMapOwnedBy(String name, ObjectNode owner, boolean blockOwnerDeletion) {
        ObjectNode dep = ControllerTestCluster.object("v1", "ConfigMap", "lab", name);
        dep.with("metadata").putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
                .put("name", name(owner)).put("uid", owner.path("metadata").path("uid").asText())
                .put("blockOwnerDeletion", blockOwnerDeletion);
        return cluster.admin.resource("", "configmaps").create(dep).toNode();
    }

    @Test
    void aDependentOfAnObjectWithNoOwnersGoesWithIt() {
        var configMaps = cluster.admin.resource("", "configmaps");
        ObjectNode owner = configMaps.create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "owner")).toNode();
        cluster.runtime.runUntilIdle(); // the owner observed long before anything names it
        String uid = owner.path("metadata").path("uid").asText();
        assertEquals(null, gc.graphNode(uid), "an object in no ownership has no node");
        configMapOwnedBy("dep", owner, false);
        cluster.runtime.runUntilIdle();
        assertFalse(gc.graphNode(uid).virtual(), "named by a dependent, the owner's node is made from the informer's cache");
        configMaps.delete("lab", "owner", policy("Background"));
        cluster.runtime.runUntilIdle();
        assertTrue(configMaps.find("lab", "dep").isEmpty());
    }

    @Test
    void aForegroundDeletionOfAnObjectWithNoOwnersWaitsForItsBlockingDependentOnly() {
        var configMaps = cluster.admin.resource("", "configmaps");
        configMaps.create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "alone"));
        ObjectNode owner = configMaps.create(ControllerTestCluster.object("v1", "ConfigMap", "lab", "owner")).toNode();
        cluster.runtime.runUntilIdle();
        ObjectNode dep = configMapOwnedBy("dep", owner, true);
        // a finalizer of someone else's keeps the dependent while it is deleted in its turn
        ((ObjectNode) dep.path("metadata")).putArray("finalizers").add("example.com/hold");
        configMaps.update(dep);
        cluster.runtime.runUntilIdle();

        configMaps.delete("lab", "alone", policy("Foreground"));
        configMaps.delete("lab", "owner", policy("Foreground"));
        cluster.runtime.runUntilIdle();
        assertTrue(configMaps.find("lab", "alone").isEmpty(), "no dependent: the finalizer is removed at once");
        ObjectNode waiting = configMaps.get("lab", "owner").toNode();
        assertEquals(List.of("foregroundDeletion"), finalizers(waiting));
        assertTrue(configMaps.get("lab", "dep").toNode().path("metadata").has("deletionTimestamp"));

        ObjectNode held = configMaps.get("lab", "dep").toNode();
        ((ObjectNode) held.path("metadata")).remove("finalizers");
        configMaps.update(held);
        cluster.runtime.runUntilIdle();
        assertTrue(configMaps.find("lab", "dep").isEmpty());
        assertTrue(configMaps.find("lab", "owner").isEmpty(), "its blocking dependent gone, the owner goes");
    }
}
