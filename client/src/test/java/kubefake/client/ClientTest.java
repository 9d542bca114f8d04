package kubefake.client;

import kubefake.store.registry.request.UserInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static kubefake.client.TestCluster.configMap;
import static kubefake.client.TestCluster.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientTest {
    private final TestCluster cluster = new TestCluster("default");
    private final Client client = new Client(cluster.registry, UserInfo.KUBE_CONTROLLER_MANAGER, "kube-controller-manager");

    @Test
    void treesGoThroughTheRegistryWithItsDefaultsAndErrors() {
        ResourceClient configMaps = client.resource("", "configmaps");
        ObjectNode sent = configMap("default", "a", "1");
        StoredObject created = configMaps.create(sent);
        assertEquals(configMap("default", "a", "1"), sent, "the caller's tree is left as it was");
        ObjectNode tree = created.toNode();
        assertFalse(tree.path("metadata").path("uid").asText().isEmpty());
        assertEquals(cluster.runtime.clock().instant().toString().replace(".000", ""),
                tree.path("metadata").path("creationTimestamp").asText(), "stamped by the cluster clock");

        StatusException exists = assertThrows(StatusException.class, () -> configMaps.create(configMap("default", "a", "1")));
        assertEquals(409, exists.code());
        assertEquals("AlreadyExists", exists.reason());
        assertEquals(404, assertThrows(StatusException.class, () -> configMaps.get("default", "nope")).code());
        assertTrue(configMaps.find("default", "nope").isEmpty());

        ObjectNode stale = created.toNode();
        configMaps.patch("default", "a", cm -> { cm.with("data").put("v", "2"); return cm; });
        stale.with("data").put("v", "3");
        StatusException conflict = assertThrows(StatusException.class, () -> configMaps.update(stale));
        assertTrue(Conflicts.isConflict(conflict));
        assertFalse(Conflicts.isConflict(exists), "AlreadyExists shares the code, not the reason");

        assertEquals(1, configMaps.list("default").size());
        assertTrue(configMaps.delete("default", "a").deleted());
        assertEquals(0, configMaps.list(null).size());
    }

    @Test
    void retryOnConflictReadsAgainAndWins() {
        ResourceClient configMaps = client.resource("", "configmaps");
        configMaps.create(configMap("default", "a", "1"));
        AtomicInteger attempts = new AtomicInteger();
        StoredObject updated = Conflicts.retryOnConflict(() -> {
            ObjectNode cm = configMaps.get("default", "a").toNode();
            if (attempts.incrementAndGet() < 3) {
                // someone else writes between our read and our write
                configMaps.patch("default", "a", other -> { other.with("data").put("other", "x" + attempts.get()); return other; });
            }
            cm.with("data").put("v", "mine");
            return configMaps.update(cm);
        });
        assertEquals(3, attempts.get());
        assertEquals("mine", updated.toNode().path("data").path("v").asText());

        AtomicInteger forever = new AtomicInteger();
        assertThrows(StatusException.class, () -> Conflicts.retryOnConflict(() -> {
            forever.incrementAndGet();
            throw StatusException.conflict("", "configmaps", "a", "the object has been modified");
        }));
        assertEquals(Conflicts.ATTEMPTS, forever.get());
    }

    @Test
    void typedObjectsRoundTripThroughTheRegistry() {
        TypedClient<Pod> pods = client.typed(Pod.class);
        Pod created = pods.create(new PodBuilder().withNewMetadata().withName("web").withNamespace("default")
                .addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build());
        assertEquals("web", created.getMetadata().getName());
        assertEquals("Always", created.getSpec().getRestartPolicy(), "defaulted by the registry");
        assertEquals("Pending", created.getStatus().getPhase());
        assertEquals(30L, created.getSpec().getTerminationGracePeriodSeconds());

        // a typed read-modify-write that changes nothing writes nothing
        Pod same = pods.update(pods.get("default", "web"));
        assertEquals(created.getMetadata().getResourceVersion(), same.getMetadata().getResourceVersion());

        Pod labelled = pods.patch("default", "web", p -> {
            p.getMetadata().getLabels().put("tier", "front");
            return p;
        });
        assertEquals(Map.of("app", "web", "tier", "front"), labelled.getMetadata().getLabels());
        assertNotEquals(created.getMetadata().getResourceVersion(), labelled.getMetadata().getResourceVersion());
        assertEquals(labelled.getMetadata().getResourceVersion(),
                pods.patch("default", "web", p -> null).getMetadata().getResourceVersion(), "a change that returns null writes nothing");
    }

    @Test
    void statusWritesChangeOnlyTheStatus() {
        TypedClient<Pod> pods = client.typed(Pod.class);
        client.resource("", "pods").create(pod("default", "p", "w1-k8s"));
        Pod running = pods.patchStatus("default", "p", p -> {
            p.getStatus().setPhase("Running");
            p.getMetadata().getLabels().put("ignored", "by the status subresource");
            return p;
        });
        assertEquals("Running", running.getStatus().getPhase());
        assertTrue(running.getMetadata().getLabels() == null || !running.getMetadata().getLabels().containsKey("ignored"));

        ObjectNode tree = client.resource("", "pods").get("default", "p").toNode();
        tree.with("status").put("phase", "Succeeded");
        assertEquals("Succeeded", client.resource("", "pods").updateStatus(tree).toNode().path("status").path("phase").asText());
    }

    @Test
    void typedClassesMapToTheirResources() {
        assertEquals("deployments", client.typed(Deployment.class).trees().type().resource());
        assertEquals("apps", client.typed(Deployment.class).trees().type().group());
        TypedClient<ConfigMap> cms = client.typed(ConfigMap.class);
        cms.create(new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("default").endMetadata()
                .addToData("k", "v").build());
        assertEquals("v", cms.list("default").get(0).getData().get("k"));
        assertEquals("v", TypedObjects.as(client.resource("", "configmaps").get("default", "c"), ConfigMap.class).getData().get("k"));
    }

    @Test
    void controllersScaleThroughTheScaleSubresource() throws Exception {
        ResourceClient replicaSets = client.resource("apps", "replicasets");
        replicaSets.create((ObjectNode) kubefake.store.registry.Json.MAPPER.readTree("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web","namespace":"default"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""));
        assertEquals(1, replicaSets.getScale("default", "web").path("spec").path("replicas").asInt());
        assertEquals("app=web", replicaSets.getScale("default", "web").path("status").path("selector").asText());
        ObjectNode scale = replicaSets.scale("default", "web", 4);
        assertEquals(4, scale.path("spec").path("replicas").asInt());
        assertEquals(4, replicaSets.get("default", "web").toNode().path("spec").path("replicas").asInt());
        assertEquals(404, assertThrows(StatusException.class, () -> client.resource("", "configmaps").getScale("default", "x")).code());
    }

    @Test
    void namespacesAreFinalizedThroughTheirSubresource() {
        ResourceClient namespaces = client.resource("", "namespaces");
        namespaces.create(TestCluster.object("v1", "Namespace", null, "doomed"));
        namespaces.delete("", "doomed");
        assertEquals("Terminating", namespaces.get("", "doomed").toNode().path("status").path("phase").asText());
        namespaces.patchSubresource("finalize", "", "doomed", ns -> {
            ns.with("spec").putArray("finalizers");
            return ns;
        });
        assertTrue(namespaces.find("", "doomed").isEmpty());
    }

    @Test
    void identities() {
        assertEquals("system:node:w1-k8s", UserInfo.node("w1-k8s").name());
        assertTrue(UserInfo.node("w1-k8s").groups().contains("system:nodes"));
        assertEquals("system:kube-scheduler", UserInfo.KUBE_SCHEDULER.name());
        assertEquals(UserInfo.KUBE_CONTROLLER_MANAGER, client.user());
        assertEquals("kube-controller-manager", client.fieldManager());
    }
}
