package kubefake.server.metrics;

import io.restassured.response.Response;
import kubefake.server.KubefakeCluster;
import kubefake.server.cli.Main;
import kubefake.server.e2e.Http;
import kubefake.server.e2e.Kubectl;
import kubefake.server.e2e.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} scraped as Prometheus scrapes it and read with a strict text-format parser: the series a real
 * kube-apiserver exposes under their names and labels, counting the requests this test makes; allowed to
 * system:masters and the system:monitoring group, refused to others with the real 403.
 */
class MetricsE2ETest {
    private static final String NS = "metrics-e2e";

    @BeforeAll
    static void namespace() {
        Http.admin().contentType("application/json").body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                .post("/api/v1/namespaces").then().statusCode(201);
    }

    private static PrometheusText scrape() {
        Response r = Http.admin().get("/metrics");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
        return PrometheusText.parse(r.asString());
    }

    private static Map<String, String> request(String verb, String resource, String scope, String code) {
        return Map.of("verb", verb, "group", "", "version", "v1", "resource", resource, "subresource", "", "scope", scope,
                "component", "apiserver", "dry_run", "", "code", code);
    }

    @Test
    void requestsAreCountedByVerbResourceScopeAndCode() {
        PrometheusText before = scrape();
        String path = "/api/v1/namespaces/" + NS + "/configmaps";
        for (int i = 0; i < 3; i++) {
            Http.admin().contentType("application/json").body("{\"metadata\":{\"name\":\"cm-" + i + "\"}}").post(path).then().statusCode(201);
        }
        Http.admin().get(path + "/cm-0").then().statusCode(200);
        Http.admin().get(path + "/cm-1").then().statusCode(200);
        Http.admin().get(path + "/nope").then().statusCode(404);
        Http.admin().get(path).then().statusCode(200);
        Http.admin().contentType("application/json").body("{\"metadata\":{\"name\":\"dry\"}}").queryParam("dryRun", "All").post(path).then().statusCode(201);
        PrometheusText after = scrape();

        assertEquals("counter", after.types.get("apiserver_request_total"));
        assertEquals(3, delta(before, after, "apiserver_request_total", request("POST", "configmaps", "resource", "201")));
        assertEquals(2, delta(before, after, "apiserver_request_total", request("GET", "configmaps", "resource", "200")));
        assertEquals(1, delta(before, after, "apiserver_request_total", request("GET", "configmaps", "resource", "404")));
        assertEquals(1, delta(before, after, "apiserver_request_total", request("LIST", "configmaps", "namespace", "200")));
        Map<String, String> dryRun = new java.util.HashMap<>(request("POST", "configmaps", "resource", "201"));
        dryRun.put("dry_run", "All");
        assertEquals(1, delta(before, after, "apiserver_request_total", dryRun));
        // the scrape itself, as the real server counts it
        assertTrue(after.value("apiserver_request_total", Map.of("verb", "GET", "subresource", "/metrics", "scope", "", "code", "200")) >= 1);

        Map<String, String> gets = Map.of("verb", "GET", "resource", "configmaps", "scope", "resource", "dry_run", "");
        assertEquals("histogram", after.types.get("apiserver_request_duration_seconds"));
        assertEquals(3, delta(before, after, "apiserver_request_duration_seconds_count", gets));
        List<String> buckets = after.find("apiserver_request_duration_seconds_bucket", gets).stream().map(s -> s.labels().get("le")).toList();
        assertEquals(List.of("0.005", "0.025", "0.05", "0.1", "0.2", "0.4", "0.6", "0.8", "1.0", "1.25", "1.5", "2.0", "3.0", "4.0",
                "5.0", "6.0", "8.0", "10.0", "15.0", "20.0", "30.0", "45.0", "60.0", "+Inf"), buckets);
        Map<String, String> inf = new java.util.HashMap<>(gets);
        inf.put("le", "+Inf");
        assertEquals(3, delta(before, after, "apiserver_request_duration_seconds_bucket", inf));
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    @Test
    void storageObjectsInflightProcessAndKubefakeSeries() {
        Http.admin().contentType("application/json").body("{\"metadata\":{\"name\":\"counted\"}}")
                .post("/api/v1/namespaces/" + NS + "/secrets").then().statusCode(201);
        PrometheusText m = scrape();
        int secrets = Http.admin().get("/api/v1/secrets").jsonPath().getList("items").size();
        assertEquals(secrets, m.value("apiserver_storage_objects", Map.of("resource", "secrets")));
        assertTrue(m.value("apiserver_storage_objects", Map.of("resource", "deployments.apps")) >= 2, "coredns, calico-kube-controllers");
        assertEquals("gauge", m.types.get("apiserver_current_inflight_requests"));
        assertEquals(1, m.find("apiserver_current_inflight_requests", Map.of("request_kind", "readOnly")).size());
        assertEquals(1, m.find("apiserver_current_inflight_requests", Map.of("request_kind", "mutating")).size());
        for (String jvm : List.of("process_cpu_seconds_total", "process_start_time_seconds", "process_open_fds",
                "process_resident_memory_bytes", "jvm_memory_used_bytes", "jvm_threads_current")) {
            assertFalse(m.find(jvm, Map.of()).isEmpty(), jvm);
        }
        assertTrue(m.samples.stream().noneMatch(s -> s.name().startsWith("go_")));
        assertTrue(m.value("kubefake_pods_running", Map.of("node", "m-k8s")) >= 4, "the control plane's static pods");
        assertEquals(TestCluster.get().nodes().names().size(), m.find("kubefake_pods_running", Map.of()).size());
        assertEquals("gauge", m.types.get("kubefake_workqueue_depth"));
        assertTrue(m.find("kubefake_workqueue_depth", Map.of()).size() >= 10, "a queue per controller");
        assertTrue(m.find("kubefake_workqueue_depth", Map.of()).stream().allMatch(s -> s.value() >= 0));
    }

    @Test
    void theMonitoringGroupMayScrapeAndOtherUsersAreRefused() throws Exception {
        KubefakeCluster c = TestCluster.get();
        Path prometheus = TestCluster.dataDir().resolve("prometheus.conf");
        Path bob = TestCluster.dataDir().resolve("bob.conf");
        String dataDir = c.adminConf().getParent().toString();
        assertEquals(0, Main.commandLine().execute("kubeconfig", "user", "prometheus", "--group", "system:monitoring",
                "--data-dir", dataDir, "-o", prometheus.toString()));
        assertEquals(0, Main.commandLine().execute("kubeconfig", "user", "bob", "--data-dir", dataDir, "-o", bob.toString()));

        Kubectl.Result allowed = new Kubectl("1.33", prometheus, Files.createTempDirectory(TestCluster.dataDir(), "home"))
                .run("get", "--raw", "/metrics");
        assertEquals(0, allowed.exitCode(), allowed::toString);
        assertFalse(PrometheusText.parse(allowed.out()).find("apiserver_request_total", Map.of()).isEmpty());

        Kubectl.Result refused = new Kubectl("1.33", bob, Files.createTempDirectory(TestCluster.dataDir(), "home"))
                .run("get", "--raw", "/metrics");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals("Error from server (Forbidden): forbidden: User \"bob\" cannot get path \"/metrics\"\n", refused.err());
    }
}
