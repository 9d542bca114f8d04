package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What fabric8 sees of CEL: a custom resource breaking an {@code x-kubernetes-validations} rule refused with the real
 * 422 and cause, and a ValidatingAdmissionPolicy's Deny binding refusing a Deployment with the real Status.
 */
class Fabric8CelValidationE2ETest {
    private static final String GROUP = "cel-fabric8.example.com";
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.cel-fabric8.example.com
            spec:
              group: cel-fabric8.example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-validations:
                        - rule: "self.replicas % 2 == 0"
                          message: replicas must be even
                        properties:
                          replicas: {type: integer}
            """;
    private static final String POLICY = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: fabric8-max-replicas}
            spec:
              matchConstraints:
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
              validations:
              - expression: "object.spec.replicas <= 5"
                message: at most 5 replicas
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: fabric8-max-replicas-binding}
            spec:
              policyName: fabric8-max-replicas
              validationActions: [Deny]
              matchResources:
                namespaceSelector:
                  matchLabels: {fabric8-cel: "yes"}
            """;

    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void setUp() {
        client = Fabric8Clients.adminWithHttpWatches();
        Fabric8Clients.createEstablishedDefinition(client, CRD);
        ns = Fabric8Clients.newNamespace(client, "fabric8-cel");
        client.namespaces().withName(ns).edit(n -> {
            n.getMetadata().setLabels(Map.of("fabric8-cel", "yes"));
            return n;
        });
        List<HasMetadata> policy = client.load(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8))).items();
        policy.forEach(o -> client.resource(o).create());
    }

    @AfterAll
    static void tearDown() {
        client.load(new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8))).delete();
        client.apiextensions().v1().customResourceDefinitions().withName("widgets." + GROUP).delete();
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private static GenericKubernetesResource widget(String name, int replicas) {
        return new GenericKubernetesResourceBuilder().withApiVersion(GROUP + "/v1").withKind("Widget")
                .withNewMetadata().withName(name).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("replicas", replicas))).build();
    }

    @Test
    void aRuleRefusesACustomResource() {
        var widgets = client.genericKubernetesResources(GROUP + "/v1", "Widget").inNamespace(ns);
        widgets.resource(widget("even", 2)).create();
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> widgets.resource(widget("odd", 3)).create());
        assertEquals(422, e.getCode());
        assertEquals("Invalid", e.getStatus().getReason());
        assertEquals("Widget.cel-fabric8.example.com \"odd\" is invalid: spec: Invalid value: \"object\": replicas must be even",
                e.getStatus().getMessage());
        StatusCause cause = e.getStatus().getDetails().getCauses().get(0);
        assertEquals("FieldValueInvalid spec Invalid value: \"object\": replicas must be even",
                cause.getReason() + " " + cause.getField() + " " + cause.getMessage());
    }

    @Test
    void aPolicyRefusesADeployment() {
        Deployment big = new DeploymentBuilder().withNewMetadata().withName("big").endMetadata().withNewSpec().withReplicas(6)
                .withNewSelector().addToMatchLabels("app", "big").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "big").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
                .endSpec().build();
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.apps().deployments().inNamespace(ns).resource(big).create());
        assertEquals(422, e.getCode());
        assertEquals("Invalid", e.getStatus().getReason());
        String message = "ValidatingAdmissionPolicy 'fabric8-max-replicas' with binding 'fabric8-max-replicas-binding' "
                + "denied request: at most 5 replicas";
        assertEquals("deployments.apps \"big\" is forbidden: " + message, e.getStatus().getMessage());
        assertEquals("deployments", e.getStatus().getDetails().getKind());
        assertEquals(message, e.getStatus().getDetails().getCauses().get(0).getMessage());
    }
}
