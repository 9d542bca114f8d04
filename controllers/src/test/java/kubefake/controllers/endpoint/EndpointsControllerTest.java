package kubefake.controllers.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.controllers.testing.LabCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoints controller on the manual runtime: what {@code get endpoints -o yaml} would show. */
class EndpointsControllerTest {
    private final LabCluster lab = new LabCluster();
    private final ResourceClient services = lab.admin.resource("", "services");
    private final ResourceClient endpoints = lab.admin.resource("", "endpoints");
    private EndpointsController controller;

    private void start() {
        controller = new EndpointsController(lab.admin, lab.informers, lab.runtime);
        controller.start();
        lab.informers.start();
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        lab.close();
    }

    private void service(String name, String spec) {
        services.create(json("{'apiVersion': 'v1', 'kind': 'Service', 'metadata': {'name': '" + name + "', 'namespace': 'lab'},"
                + " 'spec': " + spec + "}"));
    }

    /** A pod on a node; with an IP it runs, ready or not. */
    private void pod(String name, String node, String labelsAndSpec, String ip, boolean ready) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab', "
                + labelsAndSpec.replace("NODE", node) + "}}"));
        if (ip != null) setStatus(name, ip, ready);
    }

    private void setStatus(String name, String ip, boolean ready) {
        lab.markRunning("lab", name, ip, ready);
    }

    private static final String WEB = "'labels': {'app': 'web'}}, 'spec': {'nodeName': 'NODE', 'containers': [{'name': 'c',"
            + " 'image': 'nginx', 'ports': [{'name': 'http', 'containerPort': 8080}]}]";

    private static JsonNode array(String singleQuoted) {
        try {
            return kubefake.store.registry.Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ObjectNode ep(String name) {
        return endpoints.get("lab", name).toNode();
    }

    private static List<String> ips(JsonNode subset, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : subset.path(field)) out.add(a.path("ip").asText() + "@" + a.path("nodeName").asText() + "=" + a.path("targetRef").path("name").asText());
        return out;
    }

    @Test
    void readyPodsAreAddressesTheOthersNotReadyAddresses() {
        pod("web-a", "w1-k8s", WEB, "172.16.1.2", true);
        pod("web-b", "w2-k8s", WEB, "172.16.2.2", false);
        pod("web-c", "w3-k8s", WEB, "172.16.3.1", true);
        pod("web-pending", "w3-k8s", WEB, null, false);
        pod("other", "w3-k8s", WEB.replace("'app': 'web'", "'app': 'other'"), "172.16.3.9", true);
        service("web", "{'selector': {'app': 'web'}, 'ports': [{'port': 80, 'targetPort': 8080}]}");
        start();

        ObjectNode ep = ep("web");
        assertEquals(1, ep.path("subsets").size(), ep::toPrettyString);
        JsonNode subset = ep.path("subsets").get(0);
        assertEquals(List.of("172.16.1.2@w1-k8s=web-a", "172.16.3.1@w3-k8s=web-c"), ips(subset, "addresses"));
        assertEquals(List.of("172.16.2.2@w2-k8s=web-b"), ips(subset, "notReadyAddresses"));
        assertEquals(array("[{'port': 8080, 'protocol': 'TCP'}]"), subset.path("ports"));
        JsonNode ref = subset.path("addresses").get(0).path("targetRef");
        assertEquals("Pod", ref.path("kind").asText());
        assertEquals("lab", ref.path("namespace").asText());
        assertEquals(lab.pods.get("lab", "web-a").toNode().path("metadata").path("uid"), ref.path("uid"));
        assertEquals(json("{'endpoints.kubernetes.io/managed-by': 'endpoint-controller'}"), ep.path("metadata").path("labels"));
        assertTrue(ep.path("metadata").path("annotations").isMissingNode(), "first sync: no trigger time");
    }

    @Test
    void aPodTurningReadyMovesAndStampsTheTriggerTime() {
        pod("web-a", "w1-k8s", WEB, "172.16.1.2", false);
        service("web", "{'selector': {'app': 'web'}, 'ports': [{'port': 80, 'targetPort': 8080}]}");
        start();
        lab.runtime.advance(Duration.ofSeconds(7));
        setStatus("web-a", "172.16.1.2", true);
        lab.runtime.runUntilIdle();
        ObjectNode ep = ep("web");
        assertEquals(List.of("172.16.1.2@w1-k8s=web-a"), ips(ep.path("subsets").get(0), "addresses"));
        assertFalse(ep.path("subsets").get(0).has("notReadyAddresses"));
        assertEquals(lab.now(), ep.path("metadata").path("annotations").path("endpoints.kubernetes.io/last-change-trigger-time").asText());
    }

    @Test
    void namedTargetPortsResolvePerPod() {
        pod("web-a", "w1-k8s", WEB, "172.16.1.2", true);
        pod("web-b", "w2-k8s", WEB.replace("8080", "9090"), "172.16.2.2", true);
        pod("web-noport", "w2-k8s", WEB.replace("'http'", "'metrics'"), "172.16.2.3", true);
        service("web", "{'selector': {'app': 'web'}, 'ports': [{'name': 'web', 'port': 80, 'targetPort': 'http'}]}");
        start();
        JsonNode subsets = ep("web").path("subsets");
        assertEquals(2, subsets.size(), subsets::toPrettyString);
        assertEquals(List.of("172.16.1.2@w1-k8s=web-a"), ips(subsets.get(0), "addresses"));
        assertEquals(array("[{'name': 'web', 'port': 8080, 'protocol': 'TCP'}]"), subsets.get(0).path("ports"));
        assertEquals(List.of("172.16.2.2@w2-k8s=web-b"), ips(subsets.get(1), "addresses"));
        assertEquals(array("[{'name': 'web', 'port': 9090, 'protocol': 'TCP'}]"), subsets.get(1).path("ports"));
    }

    @Test
    void aHeadlessServiceWithoutPortsListsAddressesAndHostnames() {
        pod("db-0", "w1-k8s", WEB.replace("'nodeName'", "'hostname': 'db-0', 'subdomain': 'db', 'nodeName'"), "172.16.1.2", true);
        service("db", "{'clusterIP': 'None', 'selector': {'app': 'web'}}");
        start();
        ObjectNode ep = ep("db");
        JsonNode subset = ep.path("subsets").get(0);
        assertEquals("db-0", subset.path("addresses").get(0).path("hostname").asText());
        assertFalse(subset.has("ports"));
        assertEquals("", ep.path("metadata").path("labels").path("service.kubernetes.io/headless").asText("absent"));
    }

    @Test
    void servicesWithoutSelectorKeepTheirEndpoints() {
        service("external", "{'ports': [{'port': 5432}]}");
        endpoints.create(json("{'apiVersion': 'v1', 'kind': 'Endpoints', 'metadata': {'name': 'external', 'namespace': 'lab'},"
                + " 'subsets': [{'addresses': [{'ip': '10.0.0.5'}], 'ports': [{'port': 5432}]}]}"));
        start();
        ObjectNode ep = ep("external");
        assertEquals("10.0.0.5", ep.path("subsets").get(0).path("addresses").get(0).path("ip").asText());
        assertTrue(ep.path("metadata").path("labels").isMissingNode());
    }

    @Test
    void aServiceWithoutPodsHasNoSubsetsAndItsEndpointsGoWithIt() {
        service("web", "{'selector': {'app': 'web'}, 'ports': [{'port': 80}]}");
        start();
        assertFalse(ep("web").has("subsets"), "kubectl shows <none>");
        services.delete("lab", "web");
        lab.runtime.runUntilIdle();
        assertTrue(endpoints.find("lab", "web").isEmpty());
    }

    @Test
    void deletedAndTerminatingPodsLeave() {
        pod("web-a", "w1-k8s", WEB, "172.16.1.2", true);
        pod("web-b", "w2-k8s", WEB, "172.16.2.2", true);
        service("web", "{'selector': {'app': 'web'}, 'ports': [{'port': 80, 'targetPort': 8080}]}");
        start();
        lab.pods.delete("lab", "web-a"); // graceful: terminating first
        lab.runtime.runUntilIdle();
        assertEquals(List.of("172.16.2.2@w2-k8s=web-b"), ips(ep("web").path("subsets").get(0), "addresses"));
        lab.pods.delete("lab", "web-b", new kubefake.store.registry.DeleteOptions(0L, null, null, null, false));
        lab.runtime.runUntilIdle();
        assertFalse(ep("web").has("subsets"));
    }

    @Test
    void endpointsDeletedByHandAreWrittenAgain() {
        pod("web-a", "w1-k8s", WEB, "172.16.1.2", true);
        service("web", "{'selector': {'app': 'web'}, 'ports': [{'port': 80, 'targetPort': 8080}]}");
        start();
        endpoints.delete("lab", "web");
        lab.runtime.runUntilIdle();
        assertEquals(List.of("172.16.1.2@w1-k8s=web-a"), ips(ep("web").path("subsets").get(0), "addresses"));
    }
}
