package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PriorityClasses and the Priority plugin: what a pod's priority becomes, and the 403s and 422s of the real server. */
class PriorityAdmissionTest {
    private Registry registry;

    @BeforeEach
    void setUp() throws Exception {
        registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC),
                ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", parse("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}"),
                RequestContext.LOOPBACK);
    }

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private JsonNode priorityClass(String name, long value, boolean globalDefault) throws Exception {
        return registry.resource("scheduling.k8s.io", "priorityclasses").create("", parse("{\"apiVersion\":\"scheduling.k8s.io/v1\","
                + "\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + name + "\"},\"value\":" + value
                + ",\"globalDefault\":" + globalDefault + "}"), RequestContext.LOOPBACK).toNode();
    }

    private JsonNode pod(String name, String specExtra) throws Exception {
        return registry.resource("", "pods").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{" + specExtra + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"),
                RequestContext.LOOPBACK).toNode().path("spec");
    }

    @Test
    void aPodTakesItsClassOrTheGlobalDefault() throws Exception {
        assertEquals("PreemptLowerPriority", priorityClass("high", 1000, false).path("preemptionPolicy").asText());
        JsonNode high = pod("a", "\"priorityClassName\":\"high\",");
        assertEquals(1000, high.path("priority").asInt());
        assertEquals("PreemptLowerPriority", high.path("preemptionPolicy").asText());
        assertEquals(0, pod("b", "").path("priority").asInt());
        priorityClass("normal", 10, true);
        JsonNode defaulted = pod("c", "");
        assertEquals("normal 10", defaulted.path("priorityClassName").asText() + " " + defaulted.path("priority").asInt());
        assertEquals(2000001000, pod("d", "\"priorityClassName\":\"system-node-critical\",").path("priority").asInt());
    }

    @Test
    void refusesUnknownClassesAndPrioritiesThatDisagree() throws Exception {
        StatusException missing = assertThrows(StatusException.class, () -> pod("a", "\"priorityClassName\":\"nope\","));
        assertEquals(403, missing.code());
        assertEquals("pods \"a\" is forbidden: no PriorityClass with name nope was found", missing.getMessage());
        priorityClass("high", 1000, false);
        StatusException stated = assertThrows(StatusException.class,
                () -> pod("b", "\"priorityClassName\":\"high\",\"priority\":5,"));
        assertEquals("pods \"b\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority "
                + "admission controller computed 1000 from the given PriorityClass name", stated.getMessage());
    }

    @Test
    void classRules() throws Exception {
        priorityClass("normal", 10, true);
        StatusException second = assertThrows(StatusException.class, () -> priorityClass("other", 20, true));
        assertEquals("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass normal is already marked as "
                + "default. Only one default can exist", second.getMessage());
        StatusException tooHigh = assertThrows(StatusException.class, () -> priorityClass("huge", 1_000_000_001, false));
        assertEquals(422, tooHigh.code());
        assertEquals("PriorityClass.scheduling.k8s.io \"huge\" is invalid: value: Forbidden: maximum allowed value of a user "
                + "defined priority is 1000000000", tooHigh.getMessage());
        StatusException reserved = assertThrows(StatusException.class, () -> priorityClass("system-mine", 1, false));
        assertEquals("PriorityClass.scheduling.k8s.io \"system-mine\" is invalid: metadata.name: Forbidden: priority class "
                + "names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system "
                + "priority class", reserved.getMessage());
        priorityClass("system-node-critical", 2000001000, false);
        StatusException delete = assertThrows(StatusException.class, () -> registry.resource("scheduling.k8s.io", "priorityclasses")
                .delete("", "system-node-critical", DeleteOptions.DEFAULT, RequestContext.LOOPBACK));
        assertEquals("priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class "
                + "and cannot be deleted", delete.getMessage());
    }
}
