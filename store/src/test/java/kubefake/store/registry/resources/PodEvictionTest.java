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
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pods/eviction against budgets whose status the test writes as the disruption controller would. */
class PodEvictionTest {
    private Registry registry;
    private ResourceStore pods;
    private ResourceStore budgets;
    private PodEviction eviction;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
        registry = new Registry(new MemoryKeyValueStore(), clock, ResourceCatalogue.builtIn());
        ObjectNode ns = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ns.putObject("metadata").put("name", "default");
        registry.resource("", "namespaces").create("", ns, RequestContext.LOOPBACK);
        pods = registry.resource("", "pods");
        budgets = registry.resource("policy", "poddisruptionbudgets");
        eviction = new PodEviction(registry);
    }

    private void runningPod(String name, boolean ready) {
        ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", name).putObject("labels").put("app", "web");
        pod.putObject("spec").put("nodeName", "w1-k8s").putArray("containers").addObject().put("name", "c").put("image", "nginx");
        pods.create("default", pod, RequestContext.LOOPBACK);
        pods.patch("default", name, p -> {
            ObjectNode status = p.with("status");
            status.put("phase", "Running");
            status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False");
            return p;
        }, RequestContext.LOOPBACK.withSubresource("status"));
    }

    private void budget(String name, int allowed, int current, int desired) {
        ObjectNode pdb = Json.MAPPER.createObjectNode().put("apiVersion", "policy/v1").put("kind", "PodDisruptionBudget");
        pdb.putObject("metadata").put("name", name);
        pdb.putObject("spec").put("minAvailable", desired).putObject("selector").putObject("matchLabels").put("app", "web");
        budgets.create("default", pdb, RequestContext.LOOPBACK);
        budgets.patch("default", name, b -> {
            b.with("status").put("observedGeneration", 1).put("disruptionsAllowed", allowed)
                    .put("currentHealthy", current).put("desiredHealthy", desired).put("expectedPods", current);
            return b;
        }, RequestContext.LOOPBACK.withSubresource("status"));
    }

    private static ObjectNode evictionOf(String name) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("apiVersion", "policy/v1").put("kind", "Eviction");
        e.putObject("metadata").put("name", name);
        return e;
    }

    @Test
    void aBudgetWithoutDisruptionsLeftRefusesWithTheRealMessageAndCause() {
        runningPod("web-1", true);
        budget("web", 0, 2, 2);
        StatusException e = assertThrows(StatusException.class,
                () -> eviction.evict("default", "web-1", evictionOf("web-1"), RequestContext.LOOPBACK));
        ObjectNode status = e.toStatusJson();
        assertEquals(429, e.code());
        assertEquals("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Cannot "
                + "evict pod as it would violate the pod's disruption budget.\",\"reason\":\"TooManyRequests\",\"details\":"
                + "{\"causes\":[{\"reason\":\"DisruptionBudget\",\"message\":\"The disruption budget web needs 2 healthy "
                + "pods and has 2 currently\"}]},\"code\":429}", status.toString());
        assertNull(pods.get("default", "web-1").toNode().path("metadata").get("deletionTimestamp"));
    }

    @Test
    void anAllowedEvictionTakesADisruptionRecordsThePodAndDeletesItGracefully() {
        runningPod("web-1", true);
        budget("web", 1, 3, 2);
        ObjectNode answer = eviction.evict("default", "web-1", evictionOf("web-1"), RequestContext.LOOPBACK);
        assertEquals("Success", answer.path("status").asText());
        assertEquals(201, answer.path("code").asInt());
        JsonNode status = budgets.get("default", "web").toNode().path("status");
        assertEquals(0, status.path("disruptionsAllowed").asInt());
        assertEquals("2026-12-06T10:00:00Z", status.path("disruptedPods").path("web-1").asText());
        assertEquals("InsufficientPods", status.path("conditions").path(0).path("reason").asText());
        ObjectNode pod = pods.get("default", "web-1").toNode();
        assertTrue(pod.path("metadata").has("deletionTimestamp"), pod::toString);
        JsonNode target = PodConditions.get(pod, "DisruptionTarget");
        assertEquals("True EvictionByEvictionAPI Eviction API: evicting", target.path("status").asText() + " "
                + target.path("reason").asText() + " " + target.path("message").asText());
    }

    @Test
    void aBudgetBehindItsSpecAsksToRetryInTenSeconds() {
        runningPod("web-1", true);
        budget("web", 1, 3, 2);
        budgets.patch("default", "web", b -> {
            ((ObjectNode) b.get("spec")).put("minAvailable", 1);
            return b;
        }, RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class,
                () -> eviction.evict("default", "web-1", evictionOf("web-1"), RequestContext.LOOPBACK));
        assertEquals(10, e.details().retryAfterSeconds());
        assertEquals("The disruption budget web is still being processed by the server.", e.details().causes().get(0).message());
    }

    @Test
    void anUnreadyPodGoesWhenTheBudgetIsMetAndAPendingOneWithoutAskingIt() {
        runningPod("web-1", false);
        budget("web", 0, 2, 2);
        eviction.evict("default", "web-1", evictionOf("web-1"), RequestContext.LOOPBACK);
        assertTrue(pods.get("default", "web-1").toNode().path("metadata").has("deletionTimestamp"));
        assertEquals(0, budgets.get("default", "web").toNode().path("status").path("disruptedPods").size());
    }

    @Test
    void twoBudgetsForOnePodAreA500StatusAndTheNameMustMatch() {
        runningPod("web-1", true);
        budget("web", 1, 3, 2);
        budget("web-too", 1, 3, 2);
        ObjectNode answer = eviction.evict("default", "web-1", evictionOf("web-1"), RequestContext.LOOPBACK);
        assertEquals(500, answer.path("code").asInt());
        assertEquals("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
                answer.path("message").asText());
        StatusException e = assertThrows(StatusException.class,
                () -> eviction.evict("default", "web-1", evictionOf("other"), RequestContext.LOOPBACK));
        assertEquals("name in URL does not match name in Eviction object", e.message());
        assertEquals(404, assertThrows(StatusException.class,
                () -> eviction.evict("default", "gone", evictionOf("gone"), RequestContext.LOOPBACK)).code());
    }
}
