package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The template generation annotation of apps/v1 DaemonSets, as the real server's strategy and conversion keep it. */
class DaemonSetStrategyTest {
    private ResourceStore daemonSets;

    @BeforeEach
    void setUp() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC),
                ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", json("{'apiVersion': 'v1', 'kind': 'Namespace', 'metadata': {'name': 'kube-system'}}"),
                RequestContext.LOOPBACK);
        daemonSets = registry.resource("apps", "daemonsets");
    }

    private static ObjectNode json(String singleQuoted) {
        return Json.parseObject(singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode ds(String annotations) {
        return json("{'apiVersion': 'apps/v1', 'kind': 'DaemonSet', 'metadata': {'name': 'kube-proxy', 'namespace': 'kube-system'"
                + (annotations.isEmpty() ? "" : ", 'annotations': " + annotations) + "}, 'spec': {'selector': {'matchLabels': {'k8s-app': 'kube-proxy'}},"
                + " 'template': {'metadata': {'labels': {'k8s-app': 'kube-proxy'}}, 'spec': {'containers': [{'name': 'kube-proxy',"
                + " 'image': 'registry.k8s.io/kube-proxy:v1.33.13'}]}}}}");
    }

    private String generation() {
        return daemonSets.get("kube-system", "kube-proxy").toNode().path("metadata").path("annotations")
                .path(DaemonSetStrategy.TEMPLATE_GENERATION).asText();
    }

    private long objectGeneration() {
        return daemonSets.get("kube-system", "kube-proxy").toNode().path("metadata").path("generation").asLong();
    }

    @Test
    void createdAtOneAndCountingOnlyTemplateChanges() {
        daemonSets.create("kube-system", ds(""), RequestContext.LOOPBACK);
        assertEquals("1", generation());
        daemonSets.patch("kube-system", "kube-proxy", d -> { d.with("spec").put("minReadySeconds", 5); return d; }, RequestContext.LOOPBACK);
        assertEquals("1", generation(), "not a template change");
        assertEquals(2, objectGeneration());
        daemonSets.patch("kube-system", "kube-proxy", d -> {
            ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0)).put("image", "registry.k8s.io/kube-proxy:v1.33.14");
            return d;
        }, RequestContext.LOOPBACK);
        assertEquals("2", generation());
        assertEquals(3, objectGeneration());
    }

    @Test
    void clientsMaySetItOnCreateOnly() {
        daemonSets.create("kube-system", ds("{'deprecated.daemonset.template.generation': '5'}"), RequestContext.LOOPBACK);
        assertEquals("5", generation());
        daemonSets.patch("kube-system", "kube-proxy", d -> {
            Json.metadata(d).with("annotations").put(DaemonSetStrategy.TEMPLATE_GENERATION, "9");
            return d;
        }, RequestContext.LOOPBACK);
        assertEquals("5", generation());
    }

    @Test
    void anUpdateThatOnlyLeavesOutDefaultsIsNoTemplateChange() {
        daemonSets.create("kube-system", ds(""), RequestContext.LOOPBACK);
        ObjectNode bare = ds("");
        Json.metadata(bare).put("resourceVersion", Json.text(daemonSets.get("kube-system", "kube-proxy").toNode().path("metadata"), "resourceVersion"));
        daemonSets.update("kube-system", "kube-proxy", bare, RequestContext.LOOPBACK);
        assertEquals("1", generation());
    }
}
