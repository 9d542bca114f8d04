package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** pods/binding as the real server's BindingREST answers it. */
class PodBindingTest {
    private ResourceStore pods;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        Registry registry = new Registry(new MemoryKeyValueStore(), clock, ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", json("{'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': 'lab'}}"),
                RequestContext.LOOPBACK);
        pods = registry.resource("", "pods");
    }

    private static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private StoredObject pod(String name, String extraSpec) {
        return pods.create("lab", json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "'}, 'spec': {"
                + extraSpec + "'containers': [{'name': 'c', 'image': 'nginx'}]}}"), RequestContext.LOOPBACK);
    }

    private static ObjectNode binding(String name, String node) {
        return json("{'apiVersion': 'v1', 'kind': 'Binding', 'metadata': {'name': '" + name + "'}, 'target': {'kind': 'Node', 'name': '" + node + "'}}");
    }

    private StatusException bindFails(String name, ObjectNode binding) {
        return assertThrows(StatusException.class, () -> pods.createSubresource("binding", "lab", name, binding, RequestContext.LOOPBACK));
    }

    @Test
    void bindingSetsTheNodeAndPodScheduledAndMergesAnnotations() {
        pod("web", "");
        ObjectNode b = binding("web", "w1-k8s");
        Json.metadata(b).putObject("annotations").put("example.com/why", "spread");
        pods.createSubresource("binding", "lab", "web", b, RequestContext.LOOPBACK);
        ObjectNode bound = pods.get("lab", "web").toNode();
        assertEquals("w1-k8s", bound.path("spec").path("nodeName").asText());
        assertEquals("spread", bound.path("metadata").path("annotations").path("example.com/why").asText());
        assertEquals(json("[{'type': 'PodScheduled', 'status': 'True', 'lastProbeTime': null, 'lastTransitionTime': '2026-11-22T10:00:00Z'}]".replace("[", "{'a': [").replace("}]", "}]}")).get("a"),
                bound.path("status").path("conditions"));
        assertEquals("[\"phase\",\"conditions\",\"qosClass\"]", fieldNames(bound.path("status")), "the API's field order");
        assertEquals(1, bound.path("metadata").path("generation").asInt(), "no spec update: the generation stays");
    }

    @Test
    void anUnschedulableConditionIsReplaced() {
        pod("web", "");
        pods.patch("lab", "web", p -> {
            p.with("status").putArray("conditions").add(json("{'type': 'PodScheduled', 'status': 'False', 'lastProbeTime': null,"
                    + " 'lastTransitionTime': '2026-11-22T09:00:00Z', 'reason': 'Unschedulable', 'message': '0/4 nodes are available'}"));
            return p;
        }, RequestContext.LOOPBACK.withSubresource("status"));
        pods.createSubresource("binding", "lab", "web", binding("web", "w2-k8s"), RequestContext.LOOPBACK);
        JsonNode c = pods.get("lab", "web").toNode().path("status").path("conditions").get(0);
        assertEquals("True", c.path("status").asText());
        assertEquals("2026-11-22T10:00:00Z", c.path("lastTransitionTime").asText());
        assertFalse(c.has("reason") || c.has("message"));
    }

    @Test
    void aPodAlreadyBoundIsAConflictOnPodsBinding() {
        pod("web", "'nodeName': 'w1-k8s', ");
        StatusException e = bindFails("web", binding("web", "w2-k8s"));
        assertEquals(409, e.code());
        assertEquals("Conflict", e.reason());
        assertEquals("Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"w1-k8s\"", e.getMessage());
        assertEquals("pods/binding", e.details().kind());
        assertEquals("web", e.details().name());
    }

    @Test
    void gatedAndDeletingPodsAreRefused() {
        pod("gated", "'schedulingGates': [{'name': 'example.com/wait'}], ");
        assertEquals("Operation cannot be fulfilled on pods/binding \"gated\": pod gated has non-empty .spec.schedulingGates",
                bindFails("gated", binding("gated", "w1-k8s")).getMessage());
        pod("held", "");
        pods.patch("lab", "held", p -> { Json.metadata(p).putArray("finalizers").add("example.com/hold"); return p; }, RequestContext.LOOPBACK);
        pods.delete("lab", "held", kubefake.store.registry.DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        assertEquals("Operation cannot be fulfilled on pods/binding \"held\": pod held is being deleted, cannot be assigned to a host",
                bindFails("held", binding("held", "w1-k8s")).getMessage());
    }

    @Test
    void theBindingsUidIsAPrecondition() {
        String uid = Json.text(pod("web", "").toNode().path("metadata"), "uid");
        ObjectNode b = binding("web", "w1-k8s");
        Json.metadata(b).put("uid", "0000");
        StatusException e = bindFails("web", b);
        assertEquals(409, e.code());
        assertEquals("Operation cannot be fulfilled on pods \"web\": StorageError: invalid object, Code: 4, Key: /registry/pods/lab/web,"
                + " ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 0000, UID in object meta: " + uid,
                e.getMessage());
        Json.metadata(b).put("uid", uid);
        pods.createSubresource("binding", "lab", "web", b, RequestContext.LOOPBACK);
        assertEquals("w1-k8s", pods.get("lab", "web").toNode().path("spec").path("nodeName").asText());
    }

    @Test
    void malformedBindingsGetTheRealAnswers() {
        pod("web", "");
        StatusException name = bindFails("web", binding("other", "w1-k8s"));
        assertEquals(400, name.code());
        assertEquals("name in URL does not match name in Binding object", name.getMessage());
        StatusException target = bindFails("web", json("{'metadata': {'name': 'web'}, 'target': {'kind': 'Pod'}}"));
        assertEquals(500, target.code(), "the real server returns the field errors as an unwrapped error");
        assertEquals("", target.reason());
        assertEquals("[target.kind: Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\", target.name: Required value]",
                target.getMessage());
        assertEquals("target.name: Required value", bindFails("web", json("{'metadata': {'name': 'web'}, 'target': {}}")).getMessage());
        assertEquals(404, bindFails("gone", binding("gone", "w1-k8s")).code());
        assertEquals("pods \"gone\" not found", bindFails("gone", binding("gone", "w1-k8s")).getMessage());
        assertEquals(404, assertThrows(StatusException.class, () -> pods.createSubresource("eviction", "lab", "web",
                binding("web", "w1-k8s"), RequestContext.LOOPBACK)).code());
    }

    @Test
    void aDryRunChangesNothing() {
        pod("web", "");
        StoredObject answer = pods.createSubresource("binding", "lab", "web", binding("web", "w1-k8s"), RequestContext.LOOPBACK.withDryRun(true).withSubresource("binding"));
        assertEquals("w1-k8s", answer.toNode().path("spec").path("nodeName").asText());
        assertNull(pods.get("lab", "web").toNode().path("spec").get("nodeName"));
    }

    private static String fieldNames(JsonNode o) {
        StringBuilder b = new StringBuilder("[");
        o.fieldNames().forEachRemaining(n -> b.append(b.length() > 1 ? "," : "").append('"').append(n).append('"'));
        return b.append(']').toString();
    }
}
