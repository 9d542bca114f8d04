package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
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

    @Test
    void serverSideApplyCreatesThenUpdatesAnObject() {
        ConfigMap created = client.configMaps().inNamespace(ns).resource(configMap("ssa", Map.of("v", "1")))
                .fieldManager("fabric8-e2e").serverSideApply();
        assertEquals(Map.of("v", "1"), created.getData());
        ManagedFieldsEntry entry = created.getMetadata().getManagedFields().get(0);
        assertEquals("fabric8-e2e", entry.getManager());
        assertEquals("Apply", entry.getOperation());
        assertEquals("v1", entry.getApiVersion());
        assertEquals("FieldsV1", entry.getFieldsType());
        assertEquals(Map.of("f:data", Map.of("f:v", Map.of())), entry.getFieldsV1().getAdditionalProperties());

        ConfigMap updated = client.configMaps().inNamespace(ns).resource(configMap("ssa", Map.of("v", "2", "w", "3")))
                .fieldManager("fabric8-e2e").serverSideApply();
        assertEquals(Map.of("v", "2", "w", "3"), updated.getData());
        assertEquals(created.getMetadata().getUid(), updated.getMetadata().getUid());
    }

    @Test
    void serverSideApplyOfAnotherManagersFieldConflictsUnlessForced() {
        client.configMaps().inNamespace(ns).resource(configMap("ssa-owned", Map.of("v", "1"))).fieldManager("owner").serverSideApply();
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .resource(configMap("ssa-owned", Map.of("v", "2"))).fieldManager("intruder").serverSideApply());
        assertEquals(409, e.getCode(), e::getMessage);
        assertEquals("Conflict", e.getStatus().getReason());
        assertEquals("Apply failed with 1 conflict: conflict with \"owner\": .data.v", e.getStatus().getMessage());
        StatusCause cause = e.getStatus().getDetails().getCauses().get(0);
        assertEquals("FieldManagerConflict", cause.getReason());
        assertEquals("conflict with \"owner\"", cause.getMessage());
        assertEquals(".data.v", cause.getField());
        assertEquals(Map.of("v", "1"), client.configMaps().inNamespace(ns).withName("ssa-owned").get().getData());

        ConfigMap forced = client.configMaps().inNamespace(ns).resource(configMap("ssa-owned", Map.of("v", "2")))
                .fieldManager("intruder").forceConflicts().serverSideApply();
        assertEquals(Map.of("v", "2"), forced.getData());
        assertEquals(List.of("intruder"), forced.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).toList());
    }

    @Test
    void serverSideApplyPatchContextAppliesWithAndWithoutForce() {
        client.configMaps().inNamespace(ns).resource(configMap("ssa-patch", Map.of("v", "1"))).create();
        PatchContext apply = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("patcher").build();
        // kubectl-create's Update entry owns data.v: a different value conflicts
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .withName("ssa-patch").patch(apply, configMap("ssa-patch", Map.of("v", "2"))));
        assertEquals(409, e.getCode(), e::getMessage);
        assertEquals("Conflict", e.getStatus().getReason());
        PatchContext forcing = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("patcher")
                .withForce(true).build();
        ConfigMap patched = client.configMaps().inNamespace(ns).withName("ssa-patch").patch(forcing, configMap("ssa-patch", Map.of("v", "2")));
        assertEquals(Map.of("v", "2"), patched.getData());
        // the same configuration again changes nothing, not even the resourceVersion
        ConfigMap same = client.configMaps().inNamespace(ns).withName("ssa-patch").patch(apply, configMap("ssa-patch", Map.of("v", "2")));
        assertEquals(patched.getMetadata().getResourceVersion(), same.getMetadata().getResourceVersion());
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
