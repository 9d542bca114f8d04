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

/** ResourceQuota admission: writes charged to the quota's status, and refused with the real 403 when over. */
class ResourceQuotaAdmissionTest {
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

    /** A quota whose status the controller has counted: hard as in spec, used as given. */
    private void quota(String hard, String used) throws Exception {
        registry.resource("", "resourcequotas").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\","
                + "\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":" + hard + "}}"), RequestContext.LOOPBACK);
        ObjectNode q = registry.resource("", "resourcequotas").get("ns", "q").toNode();
        q.putObject("status").set("hard", parse(hard));
        ((ObjectNode) q.get("status")).set("used", parse(used));
        registry.resource("", "resourcequotas").update("ns", "q", q, RequestContext.LOOPBACK.withSubresource("status"));
    }

    private JsonNode used() {
        return registry.resource("", "resourcequotas").get("ns", "q").toNode().path("status").path("used");
    }

    private void createPod(String name, String resources) throws Exception {
        registry.resource("", "pods").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"resources\":" + resources + "}]}}"),
                RequestContext.LOOPBACK);
    }

    @Test
    void chargesEachCreateAndRefusesTheOneOverTheLimit() throws Exception {
        quota("{\"pods\":\"2\"}", "{\"pods\":\"0\"}");
        createPod("a", "{}");
        assertEquals("{\"pods\":\"1\"}", used().toString());
        createPod("b", "{}");
        StatusException e = assertThrows(StatusException.class, () -> createPod("c", "{}"));
        assertEquals(403, e.code());
        assertEquals("pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2",
                e.getMessage());
        assertEquals("{\"pods\":\"2\"}", used().toString());
    }

    @Test
    void computeQuotaNeedsEveryContainerToStateIt() throws Exception {
        quota("{\"limits.cpu\":\"1\",\"requests.memory\":\"1Gi\"}", "{\"limits.cpu\":\"0\",\"requests.memory\":\"0\"}");
        StatusException e = assertThrows(StatusException.class, () -> createPod("p", "{}"));
        assertEquals("pods \"p\" is forbidden: failed quota: q: must specify limits.cpu for: c; requests.memory for: c",
                e.getMessage());
        createPod("p", "{\"limits\":{\"cpu\":\"600m\"},\"requests\":{\"memory\":\"512Mi\"}}");
        assertEquals("{\"limits.cpu\":\"600m\",\"requests.memory\":\"512Mi\"}", used().toString());
        StatusException over = assertThrows(StatusException.class,
                () -> createPod("r", "{\"limits\":{\"cpu\":\"600m\"},\"requests\":{\"memory\":\"512Mi\"}}"));
        assertEquals("pods \"r\" is forbidden: exceeded quota: q, requested: limits.cpu=600m, used: limits.cpu=600m, "
                + "limited: limits.cpu=1", over.getMessage());
    }

    @Test
    void aQuotaNotCountedYetLimitsNothingAndOneHalfCountedIsRefused() throws Exception {
        registry.resource("", "resourcequotas").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\","
                + "\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":{\"pods\":\"0\"}}}"), RequestContext.LOOPBACK);
        createPod("a", "{}");
        ObjectNode q = registry.resource("", "resourcequotas").get("ns", "q").toNode();
        q.putObject("status").putObject("hard").put("pods", "0");
        registry.resource("", "resourcequotas").update("ns", "q", q, RequestContext.LOOPBACK.withSubresource("status"));
        StatusException e = assertThrows(StatusException.class, () -> createPod("b", "{}"));
        assertEquals("pods \"b\" is forbidden: status unknown for quota: q, resource: pods", e.getMessage());
    }

    @Test
    void objectCountsOfAnyResource() throws Exception {
        quota("{\"count/configmaps\":\"1\",\"configmaps\":\"5\"}", "{\"count/configmaps\":\"0\",\"configmaps\":\"0\"}");
        registry.resource("", "configmaps").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}"),
                RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class, () -> registry.resource("", "configmaps").create("ns",
                parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}"), RequestContext.LOOPBACK));
        assertEquals("configmaps \"b\" is forbidden: exceeded quota: q, requested: count/configmaps=1, "
                + "used: count/configmaps=1, limited: count/configmaps=1", e.getMessage());
    }

    @Test
    void aPriorityClassScopedQuotaChargesOnlyThatClassesPods() throws Exception {
        registry.resource("scheduling.k8s.io", "priorityclasses").create("", parse("{\"apiVersion\":\"scheduling.k8s.io/v1\","
                + "\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"high\"},\"value\":1000}"), RequestContext.LOOPBACK);
        registry.resource("", "resourcequotas").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\","
                + "\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":{\"pods\":\"1\"},\"scopeSelector\":{\"matchExpressions\":"
                + "[{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\"]}]}}}"), RequestContext.LOOPBACK);
        ObjectNode q = registry.resource("", "resourcequotas").get("ns", "q").toNode();
        q.putObject("status").putObject("hard").put("pods", "1");
        ((ObjectNode) q.get("status")).putObject("used").put("pods", "0");
        registry.resource("", "resourcequotas").update("ns", "q", q, RequestContext.LOOPBACK.withSubresource("status"));
        createPod("plain", "{}");
        assertEquals("{\"pods\":\"0\"}", used().toString());
        registry.resource("", "pods").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},"
                + "\"spec\":{\"priorityClassName\":\"high\",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"),
                RequestContext.LOOPBACK);
        assertEquals("{\"pods\":\"1\"}", used().toString());
    }

    @Test
    void dryRunChecksWithoutCharging() throws Exception {
        quota("{\"pods\":\"1\"}", "{\"pods\":\"0\"}");
        registry.resource("", "pods").create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"), RequestContext.LOOPBACK.withDryRun(true));
        assertEquals("{\"pods\":\"0\"}", used().toString());
    }
}
