package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pods/ephemeralcontainers (kubectl debug) as the real server's EphemeralContainersREST answers it. */
class PodEphemeralContainersTest {
    private static final RequestContext EPHEMERAL = RequestContext.LOOPBACK.withSubresource("ephemeralcontainers");
    private ResourceStore pods;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T11:00:00Z"), ZoneOffset.UTC);
        Registry registry = new Registry(new MemoryKeyValueStore(), clock, ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", json("{'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': 'lab'}}"),
                RequestContext.LOOPBACK);
        pods = registry.resource("", "pods");
        pods.create("lab", json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'web'}, 'spec': {"
                + "'initContainers': [{'name': 'setup', 'image': 'busybox'}], 'containers': [{'name': 'nginx', 'image': 'nginx'}]}}"),
                RequestContext.LOOPBACK);
    }

    private static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the pod's ephemeral containers (what a PUT of the subresource or a patch produces), keeping the rest. */
    private StoredObject setEphemeral(String containersJson) {
        ArrayNode containers = (ArrayNode) Json.parseObject(("{'c': " + containersJson + "}").replace('\'', '"')
                .getBytes(StandardCharsets.UTF_8)).get("c");
        return pods.patch("lab", "web", p -> {
            ((ObjectNode) p.get("spec")).set("ephemeralContainers", containers);
            return p;
        }, EPHEMERAL);
    }

    private StatusException refused(String containersJson) {
        return assertThrows(StatusException.class, () -> setEphemeral(containersJson));
    }

    @Test
    void addsTheContainerDefaultedAndMovesTheGeneration() {
        StoredObject before = pods.get("lab", "web");
        ObjectNode pod = setEphemeral("[{'name': 'debugger', 'image': 'busybox', 'targetContainerName': 'nginx', "
                + "'command': ['sleep', '3600'], 'resources': {}}]").toNode();
        JsonNode c = pod.path("spec").path("ephemeralContainers").path(0);
        assertEquals("debugger", c.path("name").asText());
        assertEquals("/dev/termination-log", c.path("terminationMessagePath").asText());
        assertEquals("File", c.path("terminationMessagePolicy").asText());
        assertEquals("Always", c.path("imagePullPolicy").asText(), "busybox without a tag is :latest");
        assertEquals(before.toNode().path("metadata").path("generation").asLong() + 1, pod.path("metadata").path("generation").asLong());
    }

    @Test
    void takesNothingButTheEphemeralContainersFromTheRequest() {
        ObjectNode pod = pods.patch("lab", "web", p -> {
            ObjectNode spec = (ObjectNode) p.get("spec");
            ((ObjectNode) spec.path("containers").path(0)).put("image", "nginx:1.27");
            spec.set("ephemeralContainers", json("{'c': [{'name': 'debugger', 'image': 'busybox'}]}").get("c"));
            Json.metadata(p).putObject("labels").put("app", "web");
            ((ObjectNode) p.get("status")).put("phase", "Running");
            return p;
        }, EPHEMERAL).toNode();
        assertEquals("nginx", pod.path("spec").path("containers").path(0).path("image").asText());
        assertFalse(pod.path("metadata").has("labels"));
        assertEquals("Pending", pod.path("status").path("phase").asText());
        assertEquals(1, pod.path("spec").path("ephemeralContainers").size());
    }

    @Test
    void aPodUpdateMayNotChangeTheEphemeralContainers() {
        StatusException e = assertThrows(StatusException.class, () -> pods.patch("lab", "web", p -> {
            ((ObjectNode) p.get("spec")).set("ephemeralContainers", json("{'c': [{'name': 'debugger', 'image': 'busybox', "
                    + "'terminationMessagePolicy': 'File', 'imagePullPolicy': 'Always'}]}").get("c"));
            return p;
        }, RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        assertTrue(e.message().startsWith("Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than "),
                e.message());
    }

    @Test
    void existingEphemeralContainersMayNeitherGoNorChange() {
        setEphemeral("[{'name': 'debugger', 'image': 'busybox'}]");
        StatusException removed = refused("[{'name': 'other', 'image': 'busybox'}]");
        assertEquals(422, removed.code());
        assertEquals("Pod \"web\" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debugger\" "
                + "may not be removed\n", removed.message());
        StatusException changed = refused("[{'name': 'debugger', 'image': 'alpine'}]");
        assertTrue(changed.message().startsWith("Pod \"web\" is invalid: spec.ephemeralContainers: Forbidden: existing "
                + "ephemeral containers \"debugger\" may not be changed\n"), changed.message());
        // a second one beside the first is what kubectl debug sends next
        ObjectNode pod = setEphemeral("[{'name': 'debugger', 'image': 'busybox'}, {'name': 'debugger-2', 'image': 'busybox'}]").toNode();
        assertEquals(2, pod.path("spec").path("ephemeralContainers").size());
    }

    @Test
    void namesAreUniqueAcrossEveryKindOfContainerAndTheTargetMustExist() {
        StatusException e = refused("[{'name': 'nginx', 'image': 'busybox'}, {'name': 'setup', 'image': 'busybox'}, "
                + "{'name': 'd', 'image': 'busybox'}, {'name': 'd', 'image': 'busybox', 'targetContainerName': 'nope'}]");
        assertEquals("Pod \"web\" is invalid: [spec.ephemeralContainers[0].name: Duplicate value: \"nginx\", "
                + "spec.ephemeralContainers[1].name: Duplicate value: \"setup\", spec.ephemeralContainers[3].name: Duplicate value: \"d\", "
                + "spec.ephemeralContainers[3].targetContainerName: Not found: \"nope\"]", e.message());
    }

    @Test
    void whatWouldMakeThePodRelyOnTheContainerIsForbidden() {
        StatusException e = refused("[{'name': 'd', 'image': 'busybox', 'ports': [{'containerPort': 80}], "
                + "'resources': {'limits': {'cpu': '1'}}, 'readinessProbe': {'exec': {'command': ['true']}}, "
                + "'lifecycle': {'preStop': {'exec': {'command': ['true']}}}, 'restartPolicy': 'Always'}]");
        assertEquals("Pod \"web\" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, "
                + "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container, "
                + "spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container, "
                + "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container, "
                + "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container]", e.message());
    }

    @Test
    void aPodMayNotBeCreatedWithEphemeralContainers() {
        StatusException e = assertThrows(StatusException.class, () -> pods.create("lab", json("{'apiVersion': 'v1', 'kind': 'Pod', "
                + "'metadata': {'name': 'early'}, 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}], "
                + "'ephemeralContainers': [{'name': 'd', 'image': 'busybox'}]}}"), RequestContext.LOOPBACK));
        assertEquals("Pod \"early\" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create", e.message());
    }

    @Test
    void staticPodsTakeNone() {
        pods.create("lab", json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'etcd', 'annotations': "
                + "{'kubernetes.io/config.mirror': 'abc'}}, 'spec': {'containers': [{'name': 'etcd', 'image': 'etcd'}]}}"),
                RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class, () -> pods.patch("lab", "etcd", p -> {
            ((ObjectNode) p.get("spec")).set("ephemeralContainers", json("{'c': [{'name': 'd', 'image': 'busybox'}]}").get("c"));
            return p;
        }, EPHEMERAL));
        assertTrue(e.message().endsWith("Forbidden: static pods do not support ephemeral containers"), e.message());
    }
}
