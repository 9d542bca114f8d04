package kubefake.store.registry.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PatchSchemaTest {

    private static SchemaType deployment() {
        return PatchSchema.forGroupVersionKind("apps", "v1", "Deployment");
    }

    private static SchemaType podSpec() {
        return deployment().field("spec").type().field("template").type().field("spec").type();
    }

    @Test
    void findsKindsByTheirGroupVersionKind() {
        assertEquals("io.k8s.api.apps.v1.Deployment", deployment().name());
        assertEquals("io.k8s.api.core.v1.Pod", PatchSchema.forGroupVersionKind("", "v1", "Pod").name());
        assertEquals("io.k8s.api.core.v1.Node", PatchSchema.forGroupVersionKind("", "v1", "Node").name());
        assertEquals("io.k8s.api.autoscaling.v1.Scale",
                PatchSchema.forGroupVersionKind("autoscaling", "v1", "Scale").name());
        assertEquals("io.k8s.api.rbac.v1.ClusterRole",
                PatchSchema.forGroupVersionKind("rbac.authorization.k8s.io", "v1", "ClusterRole").name());
    }

    @Test
    void eachBundledDocumentIsReadWithItsSchemasAsTheDocumentHasThemLessTheirDescriptions() throws Exception {
        List<Path> documents;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/openapi/v3"))) {
            documents = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(documents.size() > 20, documents.toString());
        for (Path document : documents) {
            String name = document.getFileName().toString();
            String group = name.startsWith("api_") ? "" : name.substring("apis_".length(), name.lastIndexOf('_'));
            String version = name.substring(name.lastIndexOf('_') + 1, name.length() - ".json".length());
            try (InputStream in = Files.newInputStream(document)) {
                assertEquals(PatchSchema.schemasWithoutProse(in), PatchSchema.forGroupVersion(group, version).schemas(), name);
            }
        }
        var pod = PatchSchema.forGroupVersion("", "v1").schemas().get("io.k8s.api.core.v1.Pod");
        assertFalse(pod.has("description"));
        assertTrue(pod.path("properties").has("spec"));
    }

    @Test
    void unknownKindsAndGroupsHaveNoSchema() {
        assertNull(PatchSchema.forGroupVersionKind("stable.example.com", "v1", "CronTab"));
        assertNull(PatchSchema.forGroupVersionKind("apps", "v1", "CronTab"));
        assertNull(PatchSchema.forGroupVersionKind("apps", "v1beta1", "Deployment"));
        assertNull(PatchSchema.forGroupVersionKind("../x", "v1", "Pod"));
    }

    @Test
    void eachDocumentIsLoadedOnceAndShared() {
        assertSame(PatchSchema.forGroupVersion("", "v1"), PatchSchema.forGroupVersion("", "v1"));
        assertSame(PatchSchema.forGroupVersionKind("", "v1", "Pod"), PatchSchema.forGroupVersionKind("", "v1", "Pod"));
    }

    @Test
    void containersMergeByName() {
        SchemaField containers = podSpec().field("containers");
        assertEquals(List.of("merge"), containers.patchStrategies());
        assertEquals("name", containers.patchMergeKey());
        assertEquals(SchemaType.Shape.LIST, containers.type().shape());
        assertEquals("map", containers.listType());
        assertEquals(List.of("name"), containers.type().listMapKeys());
        assertEquals("io.k8s.api.core.v1.Container", containers.type().elementType().name());
    }

    @Test
    void containerListsMergeByTheirKeys() {
        SchemaType container = podSpec().field("containers").type().elementType();
        assertEquals("containerPort", container.field("ports").patchMergeKey());
        assertEquals("name", container.field("env").patchMergeKey());
        assertEquals("mountPath", container.field("volumeMounts").patchMergeKey());
        assertNull(container.field("args").patchMergeKey());
        assertEquals(List.of(), container.field("args").patchStrategies());
    }

    @Test
    void volumesMergeByNameAndRetainKeys() {
        SchemaField volumes = podSpec().field("volumes");
        assertEquals(List.of("merge", "retainKeys"), volumes.patchStrategies());
        assertEquals("name", volumes.patchMergeKey());
    }

    @Test
    void tolerationsAreAtomic() {
        SchemaField tolerations = podSpec().field("tolerations");
        assertEquals(List.of(), tolerations.patchStrategies());
        assertEquals("atomic", tolerations.listType());
    }

    @Test
    void metadataListsAndMaps() {
        SchemaType metadata = deployment().field("metadata").type();
        assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", metadata.name());
        SchemaField finalizers = metadata.field("finalizers");
        assertEquals(List.of("merge"), finalizers.patchStrategies());
        assertNull(finalizers.patchMergeKey());
        assertEquals("set", finalizers.listType());
        assertEquals("uid", metadata.field("ownerReferences").patchMergeKey());
        SchemaType labels = metadata.field("labels").type();
        assertEquals(SchemaType.Shape.MAP, labels.shape());
        assertEquals(SchemaType.Shape.SCALAR, labels.elementType().shape());
        assertEquals(SchemaType.Shape.SCALAR, labels.field("app").type().shape());
    }

    @Test
    void deploymentStrategyRetainsKeys() {
        assertEquals(List.of("retainKeys"), deployment().field("spec").type().field("strategy").patchStrategies());
    }

    @Test
    void serviceAndNodeFields() {
        SchemaType service = PatchSchema.forGroupVersionKind("", "v1", "Service");
        assertEquals("port", service.field("spec").type().field("ports").patchMergeKey());
        SchemaType nodeSpec = PatchSchema.forGroupVersionKind("", "v1", "Node").field("spec").type();
        assertEquals(SchemaType.Shape.SCALAR, nodeSpec.field("unschedulable").type().shape());
    }

    @Test
    void undeclaredAndFreeFormFieldsAreUntyped() {
        SchemaField unknown = deployment().field("nonsense");
        assertFalse(unknown.declared());
        assertSame(SchemaType.UNTYPED, unknown.type());
        assertTrue(deployment().field("spec").declared());
        SchemaType revision = PatchSchema.forGroupVersionKind("apps", "v1", "ControllerRevision");
        assertEquals(SchemaType.Shape.UNTYPED, revision.field("data").type().shape());
        assertSame(SchemaType.UNTYPED, SchemaType.UNTYPED.field("x").type());
    }

    @Test
    void fieldNamesListTheDeclaredFields() {
        assertEquals(List.of("apiVersion", "kind", "metadata", "spec", "status"), deployment().fieldNames());
    }

    @Test
    void everyBundledDocumentLoads() {
        String[][] groupVersions = {
            {"", "v1"}, {"admissionregistration.k8s.io", "v1"}, {"apiextensions.k8s.io", "v1"},
            {"apiregistration.k8s.io", "v1"}, {"apps", "v1"}, {"authentication.k8s.io", "v1"},
            {"authorization.k8s.io", "v1"}, {"autoscaling", "v1"}, {"autoscaling", "v2"}, {"batch", "v1"},
            {"certificates.k8s.io", "v1"}, {"coordination.k8s.io", "v1"}, {"discovery.k8s.io", "v1"},
            {"events.k8s.io", "v1"}, {"flowcontrol.apiserver.k8s.io", "v1"}, {"networking.k8s.io", "v1"},
            {"node.k8s.io", "v1"}, {"policy", "v1"}, {"rbac.authorization.k8s.io", "v1"},
            {"scheduling.k8s.io", "v1"}, {"storage.k8s.io", "v1"}};
        for (String[] gv : groupVersions) {
            assertNotNull(PatchSchema.forGroupVersion(gv[0], gv[1]), gv[0] + "/" + gv[1]);
        }
        assertNotNull(PatchSchema.forGroupVersionKind("batch", "v1", "CronJob"));
        assertNotNull(PatchSchema.forGroupVersionKind("apiextensions.k8s.io", "v1", "CustomResourceDefinition"));
    }
}
