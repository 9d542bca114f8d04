package kubefake.store.registry;

import kubefake.store.registry.request.RequestContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import kubefake.store.mvcc.MemoryKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every write through the registry, in process too, is stored in the shape of the real server's typed round trip. */
class StoredShapeTest {
    private Registry registry;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        registry = new Registry(new MemoryKeyValueStore(), clock, ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"),
                RequestContext.LOOPBACK);
    }

    @Test
    void aNodeWithoutSpecIsStoredWithOne() {
        ResourceStore nodes = registry.resource("", "nodes");
        nodes.create("", ResourceStoreTest.obj("v1", "Node", "n"), RequestContext.LOOPBACK);
        ObjectNode stored = nodes.get("", "n").toNode();
        assertEquals(Json.MAPPER.createObjectNode(), stored.get("spec"));
        assertEquals(0, stored.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(-1));
    }

    @Test
    void anUpdateThatOnlyAddsEmptyCollectionsChangesNothing() {
        ResourceStore configmaps = registry.resource("", "configmaps");
        StoredObject created = configmaps.create("default", ResourceStoreTest.obj("v1", "ConfigMap", "c"), RequestContext.LOOPBACK);
        ObjectNode update = created.toNode();
        ((ObjectNode) update.get("metadata")).putObject("labels");
        ((ObjectNode) update.get("metadata")).putArray("finalizers");
        update.putObject("data");
        StoredObject updated = configmaps.update("default", "c", update, RequestContext.LOOPBACK);
        assertEquals(created.resourceVersion(), updated.resourceVersion());
        assertFalse(updated.toNode().path("metadata").has("labels"));
    }

    @Test
    void anEventWrittenThroughEventsV1ReadsAsACoreEventInTheCoreShape() {
        ObjectNode event = ResourceStoreTest.obj("events.k8s.io/v1", "Event", "e");
        event.put("eventTime", "2026-11-22T10:00:00.123456Z").put("action", "Binding").put("reason", "Scheduled")
                .put("reportingController", "default-scheduler").put("reportingInstance", "s").put("type", "Normal");
        event.putObject("regarding").put("kind", "Pod").put("name", "p");
        registry.resource("events.k8s.io", "events").create("default", event, RequestContext.LOOPBACK);
        JsonNode core = registry.resource("", "events").get("default", "e").toNode();
        assertTrue(core.get("firstTimestamp").isNull());
        assertTrue(core.get("lastTimestamp").isNull());
        assertEquals(Json.MAPPER.createObjectNode(), core.get("source"));
        assertEquals("default-scheduler", core.path("reportingComponent").asText());
        JsonNode v1 = registry.resource("events.k8s.io", "events").get("default", "e").toNode();
        assertTrue(v1.get("deprecatedFirstTimestamp").isNull());
        assertEquals(Json.MAPPER.createObjectNode(), v1.get("deprecatedSource"));
        assertEquals("2026-11-22T10:00:00.123456Z", v1.path("eventTime").asText());
    }
}
