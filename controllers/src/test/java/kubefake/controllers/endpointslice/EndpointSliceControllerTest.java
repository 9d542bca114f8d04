package kubefake.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.garbagecollector.GarbageCollector;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpointslice controller on the manual runtime: what {@code get endpointslices -o yaml} would show. */
class EndpointSliceControllerTest {
    private final LabCluster lab = new LabCluster();
    private final ResourceClient services = lab.admin.resource("", "services");
    private final ResourceClient slices = lab.admin.resource("discovery.k8s.io", "endpointslices");
    private final List<AutoCloseable> started = new ArrayList<>();

    private void start(int maxPerSlice) {
        EndpointSliceController controller = new EndpointSliceController(lab.admin, lab.informers, lab.runtime, maxPerSlice);
        controller.start();
        started.add(controller);
        lab.informers.start();
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : started) c.close();
        lab.close();
    }

    private ObjectNode service(String name, String spec) {
        return services.create(json("{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': '" + name
                + "', 'namespace': 'lab'}, 'spec': " + spec + "}")).toNode();
    }

    private static final String WEB = "{'selector': {'app': 'web'}, 'ports': [{'port': 80, 'targetPort': 8080}]}";

    private void pod(String name, String node, String ip, boolean ready) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab',"
                + " 'labels': {'app': 'web'}}, 'spec': {'nodeName': '" + node + "', 'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        if (ip != null) setStatus(name, ip, ready);
    }

    private void setStatus(String name, String ip, boolean ready) {
        lab.markRunning("lab", name, ip, ready);
    }

    private List<ObjectNode> slicesOf(String service) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : slices.list("lab")) {
            ObjectNode s = o.toNode();
            if (service.equals(s.path("metadata").path("labels").path("kubernetes.io/service-name").asText())) out.add(s);
        }
        return out;
    }

    private static TreeSet<String> endpoints(List<ObjectNode> slices) {
        TreeSet<String> out = new TreeSet<>();
        for (ObjectNode s : slices) {
            for (JsonNode e : s.path("endpoints")) {
                JsonNode c = e.path("conditions");
                out.add(e.path("targetRef").path("name").asText() + " " + e.path("addresses").get(0).asText() + " " + e.path("nodeName").asText()
                        + " ready=" + c.path("ready").asBoolean() + " serving=" + c.path("serving").asBoolean()
                        + " terminating=" + c.path("terminating").asBoolean());
            }
        }
        return out;
    }

    @Test
    void oneSliceWithEveryPodsEndpointAsTheRecordingShows() {
        pod("web-a", "w1-k8s", "172.16.1.2", true);
        pod("web-b", "w2-k8s", "172.16.2.2", false);
        pod("web-pending", "w3-k8s", null, false);
        ObjectNode svc = service("web", WEB);
        start(100);
        List<ObjectNode> found = slicesOf("web");
        assertEquals(1, found.size());
        ObjectNode slice = found.get(0);
        JsonNode meta = slice.path("metadata");
        assertTrue(meta.path("name").asText().matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}"), meta.path("name").asText());
        assertEquals("web-", meta.path("generateName").asText());
        assertEquals(json("{'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'web'}"),
                meta.path("labels"));
        JsonNode owner = meta.path("ownerReferences").get(0);
        assertEquals("v1/Service/web/" + svc.path("metadata").path("uid").asText() + " controller=true block=true",
                owner.path("apiVersion").asText() + "/" + owner.path("kind").asText() + "/" + owner.path("name").asText() + "/"
                        + owner.path("uid").asText() + " controller=" + owner.path("controller").asBoolean() + " block="
                        + owner.path("blockOwnerDeletion").asBoolean());
        assertEquals("IPv4", slice.path("addressType").asText());
        assertEquals("[{\"name\":\"\",\"protocol\":\"TCP\",\"port\":8080}]", slice.path("ports").toString());
        assertEquals(new TreeSet<>(List.of("web-a 172.16.1.2 w1-k8s ready=true serving=true terminating=false",
                "web-b 172.16.2.2 w2-k8s ready=false serving=false terminating=false")), endpoints(found));
        assertEquals("Pod", slice.path("endpoints").get(0).path("targetRef").path("kind").asText());
    }

    @Test
    void changesUpdateTheSameSliceAndTerminatingPodsStayAsTerminating() {
        pod("web-a", "w1-k8s", "172.16.1.2", true);
        service("web", WEB);
        start(100);
        String name = slicesOf("web").get(0).path("metadata").path("name").asText();
        pod("web-b", "w2-k8s", "172.16.2.2", true);
        lab.runtime.runUntilIdle();
        lab.pods.delete("lab", "web-a");
        lab.runtime.runUntilIdle();
        List<ObjectNode> found = slicesOf("web");
        assertEquals(List.of(name), found.stream().map(s -> s.path("metadata").path("name").asText()).toList());
        assertEquals(new TreeSet<>(List.of("web-a 172.16.1.2 w1-k8s ready=false serving=true terminating=true",
                "web-b 172.16.2.2 w2-k8s ready=true serving=true terminating=false")), endpoints(found));
        lab.pods.delete("lab", "web-a", new DeleteOptions(0L, null, null, null, false));
        lab.runtime.runUntilIdle();
        assertEquals(new TreeSet<>(List.of("web-b 172.16.2.2 w2-k8s ready=true serving=true terminating=false")), endpoints(slicesOf("web")));
    }

    @Test
    void aServiceWithoutPodsHasOnePlaceholderSlice() {
        service("web", WEB);
        start(100);
        List<ObjectNode> found = slicesOf("web");
        assertEquals(1, found.size());
        assertTrue(found.get(0).path("endpoints").isEmpty(), found.get(0)::toPrettyString);
        assertTrue(found.get(0).path("ports").isEmpty());
        pod("web-a", "w1-k8s", "172.16.1.2", true);
        lab.runtime.runUntilIdle();
        found = slicesOf("web");
        assertEquals(1, found.size(), "the placeholder is reused");
        assertEquals(1, found.get(0).path("endpoints").size());
    }

    @Test
    void atMostTheLimitPerSlice() {
        for (int i = 0; i < 7; i++) pod("web-" + i, "w" + (i % 3 + 1) + "-k8s", "172.16.9." + (i + 1), true);
        service("web", WEB);
        start(3);
        List<ObjectNode> found = slicesOf("web");
        assertEquals(List.of(1, 3, 3), found.stream().map(s -> s.path("endpoints").size()).sorted().toList());
        assertEquals(7, endpoints(found).size());
    }

    @Test
    void aSliceChangedByHandIsPutBackAndIdleSyncsWriteNothing() {
        pod("web-a", "w1-k8s", "172.16.1.2", true);
        service("web", WEB);
        start(100);
        ObjectNode slice = slicesOf("web").get(0);
        String rv = slice.path("metadata").path("resourceVersion").asText();
        services.patch("lab", "web", s -> {
            s.with("metadata").with("annotations").put("note", "x");
            return s;
        });
        lab.runtime.runUntilIdle();
        assertEquals(rv, slicesOf("web").get(0).path("metadata").path("resourceVersion").asText(), "nothing to write");
        slices.patch("lab", slice.path("metadata").path("name").asText(), s -> {
            s.putArray("endpoints");
            return s;
        });
        lab.runtime.advance(EndpointSliceController.SLICE_CHANGE_MIN_SYNC_DELAY);
        assertEquals(1, endpoints(slicesOf("web")).size());
    }

    @Test
    void headlessAndSelectorlessServices() {
        pod("web-a", "w1-k8s", "172.16.1.2", true);
        service("db", "{'clusterIP': 'None', 'selector': {'app': 'web'}}");
        service("external", "{'ports': [{'port': 5432}]}");
        start(100);
        ObjectNode db = slicesOf("db").get(0);
        assertEquals("", db.path("metadata").path("labels").path("service.kubernetes.io/headless").asText("absent"));
        assertTrue(db.path("ports").isEmpty());
        assertEquals(1, db.path("endpoints").size());
        assertEquals(List.of(), slicesOf("external"), "no selector: not this controller's");
    }

    @Test
    void slicesGoWithTheirServiceThroughTheGarbageCollector() {
        GarbageCollector gc = new GarbageCollector(lab.admin, lab.informers, lab.runtime);
        gc.start();
        started.add(gc);
        pod("web-a", "w1-k8s", "172.16.1.2", true);
        service("web", WEB);
        start(100);
        assertEquals(1, slicesOf("web").size());
        services.delete("lab", "web");
        lab.runtime.runUntilIdle();
        lab.runtime.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), slicesOf("web"));
        assertFalse(slices.list("lab").stream().anyMatch(o -> o.toNode().path("metadata").path("name").asText().startsWith("web-")));
    }
}
