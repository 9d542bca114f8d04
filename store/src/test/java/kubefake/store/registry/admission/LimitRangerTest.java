package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
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

/** LimitRanger as a pod's creator meets it: defaults filled in, and the real 403s for pods outside the range. */
class LimitRangerTest {
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

    private void limitRange(String limits) throws Exception {
        registry.resource("", "limitranges").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\","
                + "\"metadata\":{\"name\":\"lr\"},\"spec\":{\"limits\":[" + limits + "]}}"), RequestContext.LOOPBACK);
    }

    private JsonNode createPod(String resources) throws Exception {
        ObjectNode pod = parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":["
                + "{\"name\":\"c\",\"image\":\"nginx\",\"resources\":" + resources + "}]}}");
        return registry.resource("", "pods").create("ns", pod, RequestContext.LOOPBACK).toNode();
    }

    @Test
    void fillsDefaultRequestsAndLimitsAndSaysSoInAnAnnotation() throws Exception {
        limitRange("{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},"
                + "\"defaultRequest\":{\"cpu\":\"100m\"}}");
        JsonNode pod = createPod("{\"requests\":{\"memory\":\"64Mi\"}}");
        JsonNode resources = pod.path("spec").path("containers").path(0).path("resources");
        assertEquals("{\"limits\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}",
                Json.MAPPER.writeValueAsString(sorted(resources)));
        assertEquals("LimitRanger plugin set: cpu request for container c; cpu, memory limit for container c",
                pod.path("metadata").path("annotations").path("kubernetes.io/limit-ranger").asText());
    }

    @Test
    void theStoredRangeIsDefaultedAsTheRealOne() throws Exception {
        limitRange("{\"type\":\"Container\",\"max\":{\"cpu\":\"1\"},\"min\":{\"memory\":\"10Mi\"}}");
        JsonNode item = registry.resource("", "limitranges").get("ns", "lr").toNode().path("spec").path("limits").path(0);
        assertEquals("{\"cpu\":\"1\"}", item.path("default").toString());
        assertEquals("{\"cpu\":\"1\",\"memory\":\"10Mi\"}", sorted(item.path("defaultRequest")).toString());
    }

    @Test
    void refusesContainersOutsideTheRangeWithTheRealMessages() throws Exception {
        limitRange("{\"type\":\"Container\",\"max\":{\"cpu\":\"500m\"},\"min\":{\"cpu\":\"100m\"}}");
        StatusException over = assertThrows(StatusException.class,
                () -> createPod("{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"cpu\":\"200m\"}}"));
        assertEquals(403, over.code());
        assertEquals("pods \"p\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1.", over.getMessage());
        StatusException under = assertThrows(StatusException.class,
                () -> createPod("{\"limits\":{\"cpu\":\"50m\"},\"requests\":{\"cpu\":\"50m\"}}"));
        assertEquals("pods \"p\" is forbidden: minimum cpu usage per Container is 100m, but request is 50m.", under.getMessage());
    }

    @Test
    void severalViolationsAreListedInBrackets() throws Exception {
        limitRange("{\"type\":\"Pod\",\"max\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}");
        StatusException e = assertThrows(StatusException.class, () -> createPod("{}"));
        assertEquals("pods \"p\" is forbidden: [maximum cpu usage per Pod is 1.  No limit is specified., "
                + "maximum memory usage per Pod is 1Gi.  No limit is specified.]", e.getMessage());
    }

    @Test
    void limitToRequestRatio() throws Exception {
        limitRange("{\"type\":\"Container\",\"maxLimitRequestRatio\":{\"cpu\":\"2\"}}");
        StatusException e = assertThrows(StatusException.class,
                () -> createPod("{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"cpu\":\"250m\"}}"));
        assertEquals("pods \"p\" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000.",
                e.getMessage());
        assertEquals("1", createPod("{\"limits\":{\"cpu\":\"1\"},\"requests\":{\"cpu\":\"500m\"}}")
                .path("spec").path("containers").path(0).path("resources").path("limits").path("cpu").asText());
    }

    @Test
    void claimsAskingMoreThanTheMaximumAreRefused() throws Exception {
        limitRange("{\"type\":\"PersistentVolumeClaim\",\"max\":{\"storage\":\"2Gi\"}}");
        ObjectNode claim = parse("{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\"},"
                + "\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"5Gi\"}}}}");
        StatusException e = assertThrows(StatusException.class,
                () -> registry.resource("", "persistentvolumeclaims").create("ns", claim, RequestContext.LOOPBACK));
        assertEquals("persistentvolumeclaims \"data\" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, "
                + "but request is 5Gi.", e.getMessage());
    }

    private static JsonNode sorted(JsonNode node) throws Exception {
        return Json.MAPPER.readTree(Json.MAPPER.copy().configure(
                com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .writeValueAsString(Json.MAPPER.treeToValue(node, java.util.TreeMap.class)));
    }
}
