package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.APIService;
import io.fabric8.kubernetes.api.model.APIServiceBuilder;
import io.fabric8.kubernetes.api.model.APIServiceCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom resources through fabric8's generic ({@link GenericKubernetesResource}) and typed ({@link CustomResource})
 * clients: created with the schema's defaults, refused with the real 422 causes, updated, patched, scaled, their
 * status written through the status subresource, and gone with their CRD.
 */
class Fabric8CustomResourceE2ETest {
    static final String GROUP = "fabric8.example.com";
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gizmos.fabric8.example.com
            spec:
              group: fabric8.example.com
              scope: Namespaced
              names: {plural: gizmos, singular: gizmo, kind: Gizmo, shortNames: [gz]}
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                  scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [size]
                        properties:
                          size: {type: string, enum: [small, large]}
                          replicas: {type: integer, minimum: 0, default: 1}
                      status:
                        type: object
                        properties:
                          replicas: {type: integer}
                          phase: {type: string}
            """;

    private static KubernetesClient client;
    private static String ns;

    public static class GizmoSpec {
        public String size;
        public Integer replicas;
    }

    public static class GizmoStatus {
        public Integer replicas;
        public String phase;
    }

    @Group(GROUP)
    @Version("v1")
    @Kind("Gizmo")
    @Plural("gizmos")
    public static class Gizmo extends CustomResource<GizmoSpec, GizmoStatus> implements Namespaced {
    }

    @BeforeAll
    static void createDefinition() {
        client = Fabric8Clients.adminWithHttpWatches();
        Fabric8Clients.createEstablishedDefinition(client, CRD);
        ns = Fabric8Clients.newNamespace(client, "fabric8-crd");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private static GenericKubernetesResource generic(String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion(GROUP + "/v1").withKind("Gizmo")
                .withNewMetadata().withName(name).endMetadata().withAdditionalProperties(Map.of("spec", spec)).build();
    }

    @Test
    void genericClientCreatesUpdatesPatchesAndDeletes() {
        var gizmos = client.genericKubernetesResources(GROUP + "/v1", "Gizmo").inNamespace(ns);
        GenericKubernetesResource created = gizmos.resource(generic("g1", Map.of("size", "small"))).create();
        assertEquals(Map.of("size", "small", "replicas", 1), created.get("spec"), "the schema's default");
        assertEquals(1L, created.getMetadata().getGeneration());

        created.setAdditionalProperty("spec", Map.of("size", "large", "replicas", 2));
        GenericKubernetesResource updated = gizmos.resource(created).update();
        assertEquals("large", updated.get("spec", "size"));
        assertEquals(2L, updated.getMetadata().getGeneration());

        GenericKubernetesResource patched = gizmos.withName("g1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"replicas\":4}}");
        assertEquals(4, ((Number) patched.get("spec", "replicas")).intValue());
        assertEquals(List.of("g1"), gizmos.list().getItems().stream().map(g -> g.getMetadata().getName()).toList());

        KubernetesClientException strategic = assertThrows(KubernetesClientException.class,
                () -> gizmos.withName("g1").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"spec\":{\"replicas\":5}}"));
        assertEquals(415, strategic.getCode());
        assertEquals("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                strategic.getStatus().getMessage());

        gizmos.withName("g1").delete();
        gizmos.withName("g1").waitUntilCondition(java.util.Objects::isNull, 10, TimeUnit.SECONDS);
    }

    @Test
    void invalidObjectsAreRefusedWithTheRealCauses() {
        var gizmos = client.genericKubernetesResources(GROUP + "/v1", "Gizmo").inNamespace(ns);
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> gizmos.resource(generic("bad", Map.of("size", "huge", "replicas", -1))).create());
        assertEquals(422, e.getCode());
        assertEquals("Invalid", e.getStatus().getReason());
        assertEquals("Gizmo", e.getStatus().getDetails().getKind());
        assertEquals(GROUP, e.getStatus().getDetails().getGroup());
        List<String> causes = e.getStatus().getDetails().getCauses().stream()
                .map((StatusCause c) -> c.getReason() + " " + c.getField() + ": " + c.getMessage()).sorted().toList();
        assertEquals(List.of(
                "FieldValueInvalid spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
                "FieldValueNotSupported spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\""), causes);
    }

    @Test
    void typedClientWithStatusAndScale() {
        var gizmos = client.resources(Gizmo.class).inNamespace(ns);
        Gizmo g = new Gizmo();
        g.getMetadata().setName("t1");
        GizmoSpec spec = new GizmoSpec();
        spec.size = "small";
        g.setSpec(spec);
        GizmoStatus ignored = new GizmoStatus();
        ignored.phase = "Ignored";
        g.setStatus(ignored);
        Gizmo created = gizmos.resource(g).create();
        assertEquals(1, created.getSpec().replicas);
        assertNull(created.getStatus(), "status is written through its subresource only");

        GizmoStatus status = new GizmoStatus();
        status.replicas = 1;
        status.phase = "Running";
        created.setStatus(status);
        Gizmo withStatus = gizmos.resource(created).updateStatus();
        assertEquals("Running", withStatus.getStatus().phase);
        assertEquals(1L, withStatus.getMetadata().getGeneration(), "a status write leaves the generation");

        gizmos.withName("t1").scale(3);
        Scale scale = gizmos.withName("t1").scale();
        assertEquals(3, scale.getSpec().getReplicas());
        assertEquals(1, scale.getStatus().getReplicas());
        assertEquals(3, gizmos.withName("t1").get().getSpec().replicas);
        assertEquals("Running", gizmos.withName("t1").get().getStatus().phase);
    }

    @Test
    void deletingTheDefinitionDeletesItsObjects() {
        CustomResourceDefinition other = client.apiextensions().v1().customResourceDefinitions()
                .load(new ByteArrayInputStream(CRD.replace("gizmos", "gadgets").replace("gizmo", "gadget").replace("Gizmo", "Gadget")
                        .replace("[gz]", "[gd]").getBytes(StandardCharsets.UTF_8))).item();
        client.apiextensions().v1().customResourceDefinitions().resource(other).create();
        var definition = client.apiextensions().v1().customResourceDefinitions().withName("gadgets." + GROUP);
        definition.waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                .anyMatch(cond -> cond.getType().equals("Established") && cond.getStatus().equals("True")), 30, TimeUnit.SECONDS);
        var gadgets = client.genericKubernetesResources(GROUP + "/v1", "Gadget").inNamespace(ns);
        gadgets.resource(new GenericKubernetesResourceBuilder().withApiVersion(GROUP + "/v1").withKind("Gadget")
                .withNewMetadata().withName("doomed").endMetadata().withAdditionalProperties(Map.of("spec", Map.of("size", "small")))
                .build()).create();

        definition.delete();
        definition.waitUntilCondition(java.util.Objects::isNull, 30, TimeUnit.SECONDS);
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> gadgets.list());
        assertEquals(404, e.getCode());
        var group = client.getApiGroup(GROUP);
        assertEquals(List.of(GROUP + "/v1"), group.getVersions().stream().map(gv -> gv.getGroupVersion()).toList(),
                "gizmos still serve the group");
        assertEquals(List.of("gizmos", "gizmos/scale", "gizmos/status"), client.getApiResources(GROUP + "/v1").getResources()
                .stream().map(r -> r.getName()).sorted().toList(), "gadgets are gone from discovery");
    }

    /**
     * As kube-apiserver's crd-autoregister controller: a served version of a definition gets its local APIService
     * (what fabric8's apiServices() lists), which keeps a user's annotations and goes with the definition.
     */
    @Test
    void aServedVersionHasItsApiServiceWhileTheDefinitionLasts() {
        String group = "registered.fabric8.example.com";
        CustomResourceDefinition definition = client.apiextensions().v1().customResourceDefinitions()
                .load(new ByteArrayInputStream(CRD.replace("fabric8.example.com", group).replace("  - name: v1\n",
                        "  - name: v1beta1\n    served: false\n    storage: false\n"
                                + "    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}\n"
                                + "  - name: v1\n").getBytes(StandardCharsets.UTF_8))).item();
        client.apiextensions().v1().customResourceDefinitions().resource(definition).create();
        var apiService = client.apiServices().withName("v1." + group);
        APIService registered = apiService.waitUntilCondition(a -> a != null && a.getStatus() != null, 30, TimeUnit.SECONDS);
        assertEquals(group, registered.getSpec().getGroup());
        assertEquals("v1", registered.getSpec().getVersion());
        assertEquals(1000, registered.getSpec().getGroupPriorityMinimum());
        assertEquals(100, registered.getSpec().getVersionPriority());
        assertNull(registered.getSpec().getService(), "served by the API server itself");
        assertEquals(Map.of("kube-aggregator.kubernetes.io/automanaged", "true"), registered.getMetadata().getLabels());
        APIServiceCondition available = registered.getStatus().getConditions().get(0);
        assertEquals(List.of("Available", "True", "Local", "Local APIServices are always available"),
                List.of(available.getType(), available.getStatus(), available.getReason(), available.getMessage()));
        assertNull(client.apiServices().withName("v1beta1." + group).get(), "a version not served has none");

        APIService annotated = apiService.edit(a -> new APIServiceBuilder(a).editMetadata().addToAnnotations("foo", "bar")
                .endMetadata().build());
        assertEquals("bar", annotated.getMetadata().getAnnotations().get("foo"));
        assertEquals(group, annotated.getSpec().getGroup());

        client.apiextensions().v1().customResourceDefinitions().withName("gizmos." + group).delete();
        apiService.waitUntilCondition(java.util.Objects::isNull, 30, TimeUnit.SECONDS);
        assertTrue(client.apiServices().list().getItems().stream().noneMatch(a -> group.equals(a.getSpec().getGroup())));
    }
}
