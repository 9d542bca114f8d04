package kubefake.controllers.apiregistration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** crd-autoregister on the manual runtime: the APIServices of the group-versions CRDs serve, as `kubectl get apiservices` lists them. */
class CustomResourceApiServicesTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster();
    private final ResourceClient definitions = cluster.admin.resource("apiextensions.k8s.io", "customresourcedefinitions");
    private final ResourceClient apiServices = cluster.admin.resource("apiregistration.k8s.io", "apiservices");
    private CustomResourceApiServices controller;

    private void start() {
        controller = new CustomResourceApiServices(new Client(cluster.registry, UserInfo.API_SERVER, "kube-apiserver"),
                cluster.informers, cluster.runtime);
        controller.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        cluster.close();
    }

    /** A definition of widgets in {@code group} with versions v1 (served as given) and v2 (not served). */
    private static ObjectNode definition(String group, boolean v1Served) {
        ObjectNode crd = ControllerTestCluster.object("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets." + group);
        ObjectNode spec = crd.putObject("spec").put("group", group).put("scope", "Namespaced");
        spec.putObject("names").put("plural", "widgets").put("singular", "widget").put("kind", "Widget").put("listKind", "WidgetList");
        ArrayNode versions = spec.putArray("versions");
        for (String v : new String[]{"v1", "v2"}) {
            ObjectNode version = versions.addObject().put("name", v).put("served", v.equals("v1") && v1Served).put("storage", v.equals("v1"));
            version.putObject("schema").putObject("openAPIV3Schema").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        }
        return crd;
    }

    /** Deletes a definition as its controller ends the deletion: the cleanup finalizer removed. */
    private void deleteDefinition(String name) {
        definitions.delete("", name);
        definitions.patch("", name, crd -> {
            crd.with("metadata").remove("finalizers");
            return crd;
        });
    }

    private Optional<ObjectNode> apiService(String name) {
        return apiServices.find("", name).map(StoredObject::toNode);
    }

    @Test
    void aServedVersionGetsALocalAvailableApiServiceAndAnUnservedOneNone() {
        definitions.create(definition("widgets.example.com", true));
        start();
        ObjectNode a = apiService("v1.widgets.example.com").orElseThrow();
        assertEquals(4, a.path("spec").size(), a::toString);
        assertEquals("widgets.example.com", a.path("spec").path("group").asText());
        assertEquals("v1", a.path("spec").path("version").asText());
        assertEquals(1000, a.path("spec").path("groupPriorityMinimum").asInt());
        assertEquals(100, a.path("spec").path("versionPriority").asInt());
        assertEquals("true", a.path("metadata").path("labels").path("kube-aggregator.kubernetes.io/automanaged").asText());
        ObjectNode available = (ObjectNode) a.path("status").path("conditions").get(0);
        assertEquals("Available True Local Local APIServices are always available", String.join(" ",
                available.path("type").asText(), available.path("status").asText(), available.path("reason").asText(),
                available.path("message").asText()));
        assertTrue(apiService("v2.widgets.example.com").isEmpty());
    }

    @Test
    void aChangedSpecIsPutBackAndADeletedOneComesBackKeepingNothingElse() {
        definitions.create(definition("widgets.example.com", true));
        start();
        apiServices.patch("", "v1.widgets.example.com", a -> {
            a.with("spec").put("versionPriority", 7);
            a.with("metadata").with("annotations").put("team", "infra");
            return a;
        });
        cluster.runtime.runUntilIdle();
        ObjectNode a = apiService("v1.widgets.example.com").orElseThrow();
        assertEquals(100, a.path("spec").path("versionPriority").asInt());
        assertEquals("infra", a.path("metadata").path("annotations").path("team").asText());

        apiServices.delete("", "v1.widgets.example.com");
        cluster.runtime.runUntilIdle();
        assertEquals(1000, apiService("v1.widgets.example.com").orElseThrow().path("spec").path("groupPriorityMinimum").asInt());
    }

    @Test
    void itGoesWhenNoDefinitionServesTheVersionAnyMore() {
        definitions.create(definition("widgets.example.com", true));
        start();
        definitions.patch("", "widgets.widgets.example.com", crd -> {
            crd.with("spec").withArray("versions").forEach(v -> ((ObjectNode) v).put("served", v.path("name").asText().equals("v2")));
            return crd;
        });
        cluster.runtime.runUntilIdle();
        assertTrue(apiService("v1.widgets.example.com").isEmpty());
        assertTrue(apiService("v2.widgets.example.com").isPresent());

        definitions.create(definition("gadgets.example.com", true));
        cluster.runtime.runUntilIdle();
        assertTrue(apiService("v1.gadgets.example.com").isPresent());
        deleteDefinition("widgets.gadgets.example.com");
        cluster.runtime.runUntilIdle();
        assertTrue(apiService("v1.gadgets.example.com").isEmpty());
    }

    @Test
    void anApiServiceItDoesNotManageIsLeftAlone() {
        ObjectNode own = CustomResourceApiServices.apiService("v1.widgets.example.com", "widgets.example.com", "v1");
        own.with("metadata").remove("labels");
        own.with("spec").put("groupPriorityMinimum", 2000);
        apiServices.create(own);
        definitions.create(definition("widgets.example.com", true));
        start();
        deleteDefinition("widgets.widgets.example.com");
        cluster.runtime.runUntilIdle();
        ObjectNode a = apiService("v1.widgets.example.com").orElseThrow();
        assertEquals(2000, a.path("spec").path("groupPriorityMinimum").asInt());
        assertTrue(a.path("metadata").path("labels").isMissingNode());
    }
}
