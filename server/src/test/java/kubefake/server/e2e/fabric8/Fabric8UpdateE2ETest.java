package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.configMap;
import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How fabric8 changes objects: createOrReplace, createOr, server-side apply, edit, the three patch types and scale. */
class Fabric8UpdateE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.adminWithHttpWatches();
        ns = Fabric8Clients.newNamespace(client, "fabric8-update");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    @Test
    @SuppressWarnings("deprecation") // createOrReplace is deprecated in fabric8 7 but still widely called
    void createOrReplaceCreatesThenReplaces() {
        ConfigMap first = client.configMaps().inNamespace(ns).resource(configMap("cor", Map.of("v", "1"))).createOrReplace();
        assertEquals(Map.of("v", "1"), first.getData());
        ConfigMap second = client.configMaps().inNamespace(ns).resource(configMap("cor", Map.of("v", "2"))).createOrReplace();
        assertEquals(Map.of("v", "2"), second.getData());
        assertEquals(first.getMetadata().getUid(), second.getMetadata().getUid());
        assertNotEquals(first.getMetadata().getResourceVersion(), second.getMetadata().getResourceVersion());
    }

    @Test
    void createOrUpdate() {
        ConfigMap first = client.configMaps().inNamespace(ns).resource(configMap("cou", Map.of("v", "1")))
                .createOr(NonDeletingOperation::update);
        ConfigMap second = client.configMaps().inNamespace(ns).resource(configMap("cou", Map.of("v", "2")))
                .createOr(NonDeletingOperation::update);
        assertEquals(Map.of("v", "2"), second.getData());
        assertEquals(first.getMetadata().getUid(), second.getMetadata().getUid());
    }

    /**
     * kubefake does not implement server-side apply yet (README): its PATCH with application/apply-patch+yaml is
     * refused as a content type the resource does not accept. A real 1.33 server would apply it; when kubefake
     * learns SSA these two tests must become real applies.
     */
    @Test
    void serverSideApplyToAnExistingObjectIsRefusedWith415() {
        client.configMaps().inNamespace(ns).resource(configMap("ssa-existing", Map.of("v", "1"))).create();
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .resource(configMap("ssa-existing", Map.of("v", "2"))).fieldManager("fabric8-e2e").forceConflicts().serverSideApply());
        assertSsaRefused(e);
        assertEquals(Map.of("v", "1"), client.configMaps().inNamespace(ns).withName("ssa-existing").get().getData());
    }

    /**
     * The API server checks a PATCH's Content-Type before it reads the object (the patch handler answers 415 for a
     * type not in its list first), so an apply of an object that does not exist yet gets the same 415, not a 404.
     */
    @Test
    void serverSideApplyOfANewObjectIsRefusedWith415() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .resource(configMap("ssa-new", Map.of("v", "1"))).fieldManager("fabric8-e2e").forceConflicts().serverSideApply());
        assertSsaRefused(e);
        assertNull(client.configMaps().inNamespace(ns).withName("ssa-new").get());
    }

    private static void assertSsaRefused(KubernetesClientException e) {
        assertEquals(415, e.getCode(), e::getMessage);
        assertEquals("UnsupportedMediaType", e.getStatus().getReason());
        assertEquals("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
                e.getStatus().getMessage());
    }

    @Test
    void editSendsTheDifferenceAsAJsonPatch() {
        client.configMaps().inNamespace(ns).resource(configMap("edited", Map.of("a", "1", "b", "2"))).create();
        ConfigMap edited = client.configMaps().inNamespace(ns).withName("edited").edit(cm -> new ConfigMapBuilder(cm)
                .removeFromData("a").addToData("c", "3").editMetadata().addToLabels("tier", "web").endMetadata().build());
        assertEquals(Map.of("b", "2", "c", "3"), edited.getData());
        assertEquals(Map.of("tier", "web"), edited.getMetadata().getLabels());
        assertEquals(edited, client.configMaps().inNamespace(ns).withName("edited").get());
    }

    @Test
    void editOfADeploymentBumpsItsGeneration() {
        Deployment created = client.apps().deployments().inNamespace(ns).resource(deployment("edit-me", 1)).create();
        // edit names the resourceVersion it read; the deployment controller may write the status in between
        Deployment edited = retryOnConflict(() -> client.apps().deployments().inNamespace(ns).withName("edit-me").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editContainer(0).withImage("nginx:1.28").endContainer().endSpec()
                .endTemplate().endSpec().build()));
        assertEquals("nginx:1.28", edited.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(created.getMetadata().getGeneration() + 1, edited.getMetadata().getGeneration());
        ConfigMap unchanged = client.configMaps().inNamespace(ns).resource(configMap("meta-only", Map.of())).create();
        assertEquals(unchanged.getMetadata().getGeneration(), null); // configmaps have no generation
    }

    @Test
    void jsonPatch() {
        client.configMaps().inNamespace(ns).resource(configMap("json", Map.of("a", "1"))).create();
        ConfigMap patched = client.configMaps().inNamespace(ns).withName("json").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"1\"},"
                        + "{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"2\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"json\"}}]");
        assertEquals(Map.of("a", "2"), patched.getData());
        assertEquals(Map.of("patched", "json"), patched.getMetadata().getLabels());

        // a failed "test" operation changes nothing and is the client's error
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .withName("json").patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"1\"}]"));
        assertEquals(422, e.getCode(), e::getMessage);
        assertEquals("2", client.configMaps().inNamespace(ns).withName("json").get().getData().get("a"));
    }

    @Test
    void mergePatchRemovesKeysWithNullAndReplacesLists() {
        client.configMaps().inNamespace(ns).resource(configMap("merge", Map.of("a", "1", "b", "2"))).create();
        ConfigMap patched = client.configMaps().inNamespace(ns).withName("merge").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"data\":{\"a\":null,\"c\":\"3\"}}");
        assertEquals(Map.of("b", "2", "c", "3"), patched.getData());

        client.apps().deployments().inNamespace(ns).resource(deployment("merged", 1)).create();
        Deployment d = client.apps().deployments().inNamespace(ns).withName("merged").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}}}");
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(List.of("app"), containers.stream().map(Container::getName).toList());
        assertEquals("IfNotPresent", containers.get(0).getImagePullPolicy()); // the replaced list is defaulted again
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        client.apps().deployments().inNamespace(ns).resource(deployment("strategic", 1)).create();
        Deployment d = client.apps().deployments().inNamespace(ns).withName("strategic")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}}}");
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(List.of("app", "sidecar"), containers.stream().map(Container::getName).toList());
        assertEquals("nginx:1.28", containers.get(0).getImage());
        assertEquals("busybox:1.36", containers.get(1).getImage());

        // the object form: fabric8 diffs it against the server's copy and sends a strategic merge patch naming the
        // copy's resourceVersion (the deployment controller writes the status meanwhile: on a conflict, read again)
        Deployment fromObject = retryOnConflict(() -> {
            Deployment fresh = client.apps().deployments().inNamespace(ns).withName("strategic").get();
            Deployment local = new DeploymentBuilder(fresh).editMetadata().addToLabels("patched", "object").endMetadata().build();
            return client.apps().deployments().inNamespace(ns).resource(local).patch(PatchContext.of(PatchType.STRATEGIC_MERGE));
        });
        assertEquals("object", fromObject.getMetadata().getLabels().get("patched"));
        assertEquals(2, fromObject.getSpec().getTemplate().getSpec().getContainers().size());
    }

    @Test
    void scaleADeployment() {
        client.apps().deployments().inNamespace(ns).resource(deployment("scaled", 1)).create();
        Deployment scaled = client.apps().deployments().inNamespace(ns).withName("scaled").scale(3);
        assertEquals(3, scaled.getSpec().getReplicas());
        assertEquals(2L, scaled.getMetadata().getGeneration());

        Scale scale = client.apps().deployments().inNamespace(ns).withName("scaled").scale();
        assertEquals("autoscaling/v1", scale.getApiVersion());
        assertEquals("Scale", scale.getKind());
        assertEquals("scaled", scale.getMetadata().getName());
        assertEquals(3, scale.getSpec().getReplicas());
        assertEquals("app=scaled", scale.getStatus().getSelector());
        assertEquals(3, client.apps().deployments().inNamespace(ns).withName("scaled").get().getSpec().getReplicas());
    }

    /** What a client of a live cluster does when a controller wrote the object between its read and its write. */
    static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) throw e;
            }
        }
    }
}
