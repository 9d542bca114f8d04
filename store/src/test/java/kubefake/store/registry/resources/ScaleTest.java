package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The scale subresource as the store serves it to the HTTP handler and in-process controllers alike. */
class ScaleTest {
    private Registry registry;
    private ResourceStore deployments;

    @BeforeEach
    void setUp() throws Exception {
        registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", (ObjectNode) Json.MAPPER.readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"lab\"}}"), RequestContext.LOOPBACK);
        deployments = registry.resource("apps", "deployments");
        deployments.create("lab", (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"},
                   "matchExpressions":[{"key":"tier","operator":"In","values":["front","edge"]}]},
                   "template":{"metadata":{"labels":{"app":"web","tier":"front"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}"""), RequestContext.LOOPBACK);
    }

    @Test
    void theScaleShowsReplicasAndTheSelectorAsText() {
        ObjectNode scale = deployments.getScale("lab", "web");
        assertEquals("Scale", scale.path("kind").asText());
        assertEquals("autoscaling/v1", scale.path("apiVersion").asText());
        assertEquals("web", scale.at("/metadata/name").asText());
        assertEquals(3, scale.at("/spec/replicas").asInt());
        assertEquals(0, scale.at("/status/replicas").asInt());
        assertEquals("app=web,tier in (front,edge)", scale.at("/status/selector").asText());
    }

    @Test
    void writingTheScaleChangesOnlyTheParentsReplicas() {
        long generation = deployments.get("lab", "web").toNode().at("/metadata/generation").asLong();
        ObjectNode scale = deployments.updateScale("lab", "web", s -> {
            ((ObjectNode) s.get("spec")).put("replicas", 5);
            return s;
        }, RequestContext.LOOPBACK);
        assertEquals(5, scale.at("/spec/replicas").asInt());
        JsonNode parent = deployments.get("lab", "web").toNode();
        assertEquals(5, parent.at("/spec/replicas").asInt());
        assertEquals(generation + 1, parent.at("/metadata/generation").asLong(), "a spec change");
        assertEquals(parent.at("/metadata/resourceVersion"), scale.at("/metadata/resourceVersion"));
    }

    @Test
    void aStaleResourceVersionIsAConflictAndNegativeReplicasInvalid() {
        StatusException stale = assertThrows(StatusException.class, () -> deployments.updateScale("lab", "web", s -> {
            ((ObjectNode) s.get("metadata")).put("resourceVersion", "1");
            return s;
        }, RequestContext.LOOPBACK));
        assertEquals(409, stale.code());
        assertEquals("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please "
                + "apply your changes to the latest version and try again", stale.getMessage());
        StatusException negative = assertThrows(StatusException.class, () -> deployments.updateScale("lab", "web", s -> {
            ((ObjectNode) s.get("spec")).put("replicas", -1);
            return s;
        }, RequestContext.LOOPBACK));
        assertEquals(422, negative.code());
        assertEquals("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                negative.getMessage());
    }

    @Test
    void resourcesWithoutScaleAnswer404() {
        assertEquals(404, assertThrows(StatusException.class,
                () -> registry.resource("", "configmaps").getScale("lab", "x")).code());
        assertEquals(404, assertThrows(StatusException.class,
                () -> registry.resource("apps", "daemonsets").updateScale("lab", "x", s -> s, RequestContext.LOOPBACK)).code());
    }

    @Test
    void aReplicationControllersSelectorIsAPlainMap() throws Exception {
        ObjectNode rc = (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"old"},
                 "spec":{"replicas":2,"selector":{"run":"old"},"template":{"metadata":{"labels":{"run":"old"}},
                   "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
        ResourceStore rcs = registry.resource("", "replicationcontrollers");
        rcs.create("lab", rc, RequestContext.LOOPBACK);
        assertEquals("run=old", rcs.getScale("lab", "old").at("/status/selector").asText());
    }
}
