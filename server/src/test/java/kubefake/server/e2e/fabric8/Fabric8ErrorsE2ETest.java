package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.configMap;
import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The errors Java code under test handles, as fabric8 reports them: the real server's codes, reasons and messages. */
class Fabric8ErrorsE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.adminWithHttpWatches();
        ns = Fabric8Clients.newNamespace(client, "fabric8-errors");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    @Test
    void notFound() {
        assertNull(client.configMaps().inNamespace(ns).withName("nope").get());
        assertNull(client.apps().deployments().inNamespace(ns).withName("nope").get());
        assertEquals(List.of(), client.configMaps().inNamespace(ns).withName("nope").delete());

        ConfigMap stale = new ConfigMapBuilder(configMap("nope", Map.of())).editMetadata().withResourceVersion("1").endMetadata().build();
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace(ns).resource(stale).update());
        assertStatus(e, 404, "NotFound", "configmaps \"nope\" not found");
        assertEquals("nope", e.getStatus().getDetails().getName());
        assertEquals("configmaps", e.getStatus().getDetails().getKind());
    }

    @Test
    void creatingInAMissingNamespaceIsNotFound() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace("no-such-namespace").resource(configMap("x", Map.of())).create());
        assertStatus(e, 404, "NotFound", "namespaces \"no-such-namespace\" not found");
        assertEquals("namespaces", e.getStatus().getDetails().getKind());
    }

    @Test
    void alreadyExists() {
        client.configMaps().inNamespace(ns).resource(configMap("dup", Map.of())).create();
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace(ns).resource(configMap("dup", Map.of())).create());
        assertStatus(e, 409, "AlreadyExists", "configmaps \"dup\" already exists");
        assertEquals("dup", e.getStatus().getDetails().getName());

        client.apps().deployments().inNamespace(ns).resource(deployment("dup", 1)).create();
        KubernetesClientException d = assertThrows(KubernetesClientException.class,
                () -> client.apps().deployments().inNamespace(ns).resource(deployment("dup", 1)).create());
        assertStatus(d, 409, "AlreadyExists", "deployments.apps \"dup\" already exists");
        assertEquals("apps", d.getStatus().getDetails().getGroup());
    }

    @Test
    void aStaleResourceVersionIsAConflict() {
        ConfigMap original = client.configMaps().inNamespace(ns).resource(configMap("contended", Map.of("v", "0"))).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder(original).withData(Map.of("v", "1")).build()).update();

        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .resource(new ConfigMapBuilder(original).withData(Map.of("v", "2")).build()).update());
        assertStatus(e, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"contended\": the object has been modified; "
                + "please apply your changes to the latest version and try again");
        assertEquals("1", client.configMaps().inNamespace(ns).withName("contended").get().getData().get("v"));

        // a merge patch that carries the stale resourceVersion is held to it as well
        KubernetesClientException p = assertThrows(KubernetesClientException.class, () -> client.configMaps().inNamespace(ns)
                .withName("contended").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"resourceVersion\":\"" + original.getMetadata().getResourceVersion() + "\"},\"data\":{\"v\":\"3\"}}"));
        assertEquals(409, p.getCode(), p::getMessage);
        assertEquals("Conflict", p.getStatus().getReason());
    }

    @Test
    void anInvalidPodIsUnprocessableWithItsCauses() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.pods().inNamespace(ns)
                .resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
                        .withNewSpec().addNewContainer().withName("c").endContainer().endSpec().build()).create());
        assertStatus(e, 422, "Invalid", "Pod \"p\" is invalid: spec.containers[0].image: Required value");
        assertEquals("Pod", e.getStatus().getDetails().getKind());
        List<StatusCause> causes = e.getStatus().getDetails().getCauses();
        assertEquals(1, causes.size(), causes::toString);
        assertEquals("FieldValueRequired", causes.get(0).getReason());
        assertEquals("Required value", causes.get(0).getMessage());
        assertEquals("spec.containers[0].image", causes.get(0).getField());
    }

    @Test
    void anInvalidNameIsUnprocessable() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.configMaps().inNamespace(ns).resource(configMap("Bad_Name", Map.of())).create());
        String rule = "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
                + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        assertStatus(e, 422, "Invalid", "ConfigMap \"Bad_Name\" is invalid: metadata.name: " + rule);
        StatusCause cause = e.getStatus().getDetails().getCauses().get(0);
        assertEquals("FieldValueInvalid", cause.getReason());
        assertEquals("metadata.name", cause.getField());
        assertEquals(rule, cause.getMessage());
    }

    @Test
    void aDeploymentWhoseSelectorMissesItsTemplateIsUnprocessable() {
        Deployment bad = new DeploymentBuilder(deployment("mismatch", 1)).editSpec().editTemplate().editMetadata()
                .withLabels(Map.of("app", "other")).endMetadata().endTemplate().endSpec().build();
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.apps().deployments().inNamespace(ns).resource(bad).create());
        assertStatus(e, 422, "Invalid", "Deployment.apps \"mismatch\" is invalid: spec.template.metadata.labels: "
                + "Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`");
        assertEquals("apps", e.getStatus().getDetails().getGroup());
        assertEquals("Deployment", e.getStatus().getDetails().getKind());
        assertEquals("spec.template.metadata.labels", e.getStatus().getDetails().getCauses().get(0).getField());
    }

    private static void assertStatus(KubernetesClientException e, int code, String reason, String message) {
        assertEquals(code, e.getCode(), e::getMessage);
        Status s = e.getStatus();
        assertEquals("Failure", s.getStatus());
        assertEquals(code, s.getCode());
        assertEquals(reason, s.getReason());
        assertEquals(message, s.getMessage());
        assertTrue(e.getMessage().contains("Message: " + message), e.getMessage());
    }
}
