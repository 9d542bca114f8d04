package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kubefake's HTTP answers compared with what a real Kubernetes 1.33 API server answered to the same requests
 * (the recording's http/ answers, {@link Reference}): status, reason, message, details and shape.
 */
class ReferenceHttpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NS = "ref";
    private static final String JSON = "application/json";

    @BeforeAll
    static void namespace() {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                .post("/api/v1/namespaces");
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps");
    }

    /**
     * Groups the recorded cluster did not serve: metrics.k8s.io is metrics-server's aggregated API, which the recorded
     * kubeadm cluster had not installed yet (KubectlTopE2ETest checks it with kubectl), and the groups of the
     * CustomResourceDefinitions other tests of the shared cluster created (the recording has none).
     */
    private static boolean notRecorded(String group) {
        if (group.equals("metrics.k8s.io")) return true;
        for (JsonNode crd : json(Http.admin().accept(JSON).get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")).path("items")) {
            if (crd.path("spec").path("group").asText().equals(group)) return true;
        }
        return false;
    }

    private static JsonNode json(Response r) {
        try {
            return MAPPER.readTree(r.asByteArray());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }

    /** Status bodies must agree on every field (messages word for word). */
    private static void assertStatus(String reference, Response r) {
        JsonNode expected = Reference.http(reference);
        assertEquals(expected.path("code").asInt(), r.statusCode(), r.asString());
        assertEquals(JSON, r.contentType());
        assertEquals(expected, json(r), "body of " + reference);
    }

    @Test
    void notFound() {
        assertStatus("err-notfound", Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/pods/nope"));
    }

    @Test
    void alreadyExists() {
        assertStatus("err-already-exists", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps"));
    }

    @Test
    void conflict() {
        assertStatus("err-conflict", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"resourceVersion\":\"1\"},\"data\":{\"a\":\"b\"}}")
                .put("/api/v1/namespaces/" + NS + "/configmaps/cfg"));
    }

    @Test
    void invalidName() {
        assertStatus("err-invalid-name", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps"));
    }

    @Test
    void invalidPod() {
        assertStatus("err-invalid-pod", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]}}")
                .post("/api/v1/namespaces/" + NS + "/pods"));
    }

    @Test
    void badJson() {
        assertStatus("err-bad-json", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"")
                .post("/api/v1/namespaces/" + NS + "/configmaps"));
    }

    @Test
    void unsupportedMediaType() {
        assertStatus("err-unsupported-media", Http.admin().accept(JSON).contentType("text/plain")
                .body("hello").post("/api/v1/namespaces/" + NS + "/configmaps"));
    }

    @Test
    void missingNamespace() {
        assertStatus("err-no-namespace", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}")
                .post("/api/v1/namespaces/nosuchns/configmaps"));
    }

    @Test
    void methodNotAllowed() {
        assertStatus("err-method-not-allowed", Http.admin().accept(JSON).contentType(JSON).body("{}")
                .put("/api/v1/namespaces/" + NS + "/pods"));
    }

    @Test
    void unknownResource() {
        assertStatus("err-unknown-resource", Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/nosuch"));
    }

    @Test
    void pathsWithoutARouteArePlainNotFound() {
        for (String path : List.of("/apis/nosuch.example.com/v1/namespaces/" + NS + "/things", "/api/v1/namespaces/" + NS + "/nodes",
                "/api/v1/pods/x", "/apis/nosuch.example.com/v1")) {
            Response r = Http.admin().accept(JSON).get(path);
            assertEquals(404, r.statusCode(), path);
            assertEquals("404 page not found\n", r.asString(), path);
        }
        Response post = Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"sneaky\"}}")
                .post("/api/v1/namespaces/" + NS + "/nodes");
        assertEquals(404, post.statusCode());
        assertEquals(404, Http.admin().accept(JSON).get("/api/v1/nodes/sneaky").statusCode());
    }

    @Test
    void aNamespacedResourceAcrossNamespacesCanOnlyBeListed() {
        assertStatus("err-method-not-allowed", Http.admin().accept(JSON).delete("/api/v1/configmaps"));
        assertStatus("err-method-not-allowed", Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}").post("/api/v1/configmaps"));
        assertEquals(200, Http.admin().accept(JSON).get("/api/v1/configmaps").statusCode());
        assertEquals(200, Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/configmaps/cfg").statusCode());
    }

    @Test
    void versionAndDiscoveryAreReadOnly() {
        assertStatus("err-method-not-allowed", Http.admin().accept(JSON).contentType(JSON).body("{}").post("/version"));
        assertStatus("err-method-not-allowed", Http.admin().accept(JSON).contentType(JSON).body("{}").post("/apis"));
    }

    @Test
    void longUrlsAreServed() {
        String selector = "app notin (" + String.join(",", java.util.Collections.nCopies(1500, "abcdefgh")) + ")";
        Response r = Http.admin().accept(JSON).queryParam("labelSelector", selector).get("/api/v1/namespaces/" + NS + "/configmaps");
        assertEquals(200, r.statusCode(), r.asString());
    }

    @Test
    void anEmptyBearerTokenIsNoCredential() {
        Response r = Http.anonymous().header("Authorization", "Bearer ").accept(JSON).get("/api/v1/pods");
        assertStatus("err-unauthorized", r);
    }

    @Test
    void anonymousIsForbiddenButMayReadHealthAndVersion() {
        assertStatus("err-unauthorized", Http.anonymous().accept(JSON).get("/api/v1/pods"));
        for (String path : List.of("/healthz", "/livez", "/readyz")) {
            Response r = Http.anonymous().get(path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("ok", r.asString(), path);
            assertEquals("text/plain; charset=utf-8", r.contentType(), path);
        }
        assertEquals(200, Http.anonymous().get("/version").statusCode());
        Response api = Http.anonymous().accept(JSON).get("/api");
        assertEquals(403, api.statusCode());
        assertEquals("forbidden: User \"system:anonymous\" cannot get path \"/api\"", json(api).path("message").asText());
    }

    @Test
    void wrongTokenIsUnauthorized() {
        Response r = Http.anonymous().header("Authorization", "Bearer wrong").accept(JSON).get("/api/v1/pods");
        assertEquals(401, r.statusCode());
        JsonNode body = json(r);
        assertEquals("Unauthorized", body.path("reason").asText());
        assertEquals("Unauthorized", body.path("message").asText());
        assertEquals(401, body.path("code").asInt());
    }

    /** Values that differ between runs (uid, resourceVersion, creationTimestamp), masked in messages. */
    private static String masked(String message) {
        return message.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UID")
                .replaceAll("resourceVersion\\\\\":\\\\\"\\d+", "resourceVersion RV")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", "TIME");
    }

    @Test
    void strictFieldValidationOfAPatch() {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"strict\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps");
        Response r = Http.admin().accept(JSON).contentType("application/merge-patch+json").body("{\"spec\":{\"foo\":1}}")
                .patch("/api/v1/namespaces/" + NS + "/configmaps/strict?fieldValidation=Strict");
        JsonNode expected = Reference.http("err-strict-unknown-field");
        assertEquals(expected.path("code").asInt(), r.statusCode(), r.asString());
        JsonNode ours = json(r);
        assertEquals(masked(expected.path("message").asText()).replace("\\\"cfg\\\"", "\\\"strict\\\"")
                .replace("\\\"ref\\\"", "\\\"" + NS + "\\\""), masked(ours.path("message").asText()));
        assertEquals(expected.path("reason"), ours.path("reason"));
        assertEquals(expected.path("details").path("causes").path(0).path("field"), ours.path("details").path("causes").path(0).path("field"));
    }

    @Test
    void warnFieldValidationOfAPatchDropsTheFieldAndWarns() {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"warned\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps");
        Response r = Http.admin().accept(JSON).contentType("application/merge-patch+json").body("{\"spec\":{\"foo\":1}}")
                .patch("/api/v1/namespaces/" + NS + "/configmaps/warned?fieldValidation=Warn");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("299 - \"unknown field \\\"spec\\\"\"", r.header("Warning"));
        assertFalse(json(r).has("spec"));
    }

    @Test
    void strictFieldValidationOfACreate() {
        Response r = Http.admin().accept(JSON).contentType(JSON)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bad\"},\"foo\":1,\"data\":{\"a\":\"b\"},\"data\":{\"c\":\"d\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps?fieldValidation=Strict");
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                + "unknown field \"foo\", duplicate field \"data\"", json(r).path("message").asText());
    }

    @Test
    void openApiV3RootAndDocuments() {
        Response root = Http.admin().accept(JSON).get("/openapi/v3");
        assertEquals(200, root.statusCode());
        assertEquals("text/plain; charset=utf-8", root.contentType());
        JsonNode paths = json(root).path("paths");
        JsonNode refPaths = Reference.http("openapi-v3-root").path("paths");
        for (String gv : List.of("api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1",
                "apis/events.k8s.io/v1")) {
            String url = paths.path(gv).path("serverRelativeURL").asText();
            assertTrue(url.matches("/openapi/v3/" + gv.replace(".", "\\.") + "\\?hash=[0-9A-F]{128}"), url);
            assertTrue(refPaths.has(gv), gv);
            Response doc = Http.admin().accept(JSON).get(url);
            assertEquals(200, doc.statusCode(), url);
            assertEquals("public, immutable", doc.header("Cache-Control"));
            assertNotNull(doc.header("ETag"));
            assertEquals("3.0.0", json(doc).path("openapi").asText());
            Response stale = Http.admin().redirects().follow(false).accept(JSON).get("/openapi/v3/" + gv + "?hash=STALE");
            assertEquals(301, stale.statusCode());
            assertEquals(url, stale.header("Location"));
        }
        Response v2 = Http.admin().accept("application/com.github.proto-openapi.spec.v2@v1.0+protobuf").get("/openapi/v2");
        assertEquals(200, v2.statusCode());
        assertEquals("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", v2.contentType());
        byte[] body = v2.asByteArray();
        assertEquals(0x0a, body[0]);
        assertEquals("2.0", new String(body, 2, 3, StandardCharsets.UTF_8));
        // the headers the recorded server sends (http/openapi-v2-protobuf-head.head), and 304 for the ETag
        assertEquals("bytes", v2.header("Accept-Ranges"));
        assertEquals("no-cache, private", v2.header("Cache-Control"));
        assertTrue(v2.header("Etag").matches("\"[0-9A-F]{128}\""), v2.header("Etag"));
        assertTrue(v2.header("Last-Modified").matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"));
        assertTrue(v2.header("Vary").contains("Accept"));
        assertEquals(String.valueOf(body.length), v2.header("Content-Length"));
        Response unchanged = Http.admin().accept("application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
                .header("If-None-Match", v2.header("Etag")).get("/openapi/v2");
        assertEquals(304, unchanged.statusCode());
        assertEquals(0, unchanged.asByteArray().length);
        Response asJson = Http.admin().accept(JSON).get("/openapi/v2");
        assertEquals(200, asJson.statusCode());
        assertEquals("application/json", asJson.contentType());
        assertEquals(v2.header("Etag"), asJson.header("Etag"), "one ETag, that of the JSON, for both forms");
        assertEquals("Kubernetes", json(asJson).at("/info/title").asText());
        assertTrue(json(asJson).at("/definitions").has("io.k8s.api.apps.v1.Deployment"));
    }

    @Test
    void bodiesOverThreeMebibytesAreTooLarge() {
        String big = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\""
                + "x".repeat(3 * 1024 * 1024) + "\"}}";
        Response r = Http.admin().accept(JSON).contentType(JSON).body(big).post("/api/v1/namespaces/" + NS + "/configmaps");
        assertEquals(413, r.statusCode());
        assertEquals("Request entity too large: limit is 3145728", json(r).path("message").asText());
        assertEquals("RequestEntityTooLarge", json(r).path("reason").asText());
    }

    @Test
    void version() {
        // the whole body, as the recorded 1.33 server answers it: kubectl version and the gcloud dispatcher read it,
        // and the nodes' kubelet version and kube-proxy's image (hence its DaemonSet's revision hash) follow it
        assertEquals(Reference.http("version"), json(Http.anonymous().get("/version")));
    }

    @Test
    void healthVerbose() {
        String body = Http.anonymous().get("/readyz?verbose").asString();
        assertTrue(body.startsWith("[+]ping ok\n"), body);
        assertTrue(body.endsWith("readyz check passed\n"), body);
    }

    @Test
    void legacyDiscovery() {
        JsonNode api = json(Http.admin().accept(JSON).get("/api"));
        assertEquals("APIVersions", api.path("kind").asText());
        assertEquals("[\"v1\"]", api.path("versions").toString());
        assertEquals("0.0.0.0/0", api.path("serverAddressByClientCIDRs").path(0).path("clientCIDR").asText());
        assertEquals("127.0.0.1:" + TestCluster.get().port(), api.path("serverAddressByClientCIDRs").path(0).path("serverAddress").asText());

        JsonNode groups = json(Http.admin().accept(JSON).get("/apis"));
        assertEquals("APIGroupList", groups.path("kind").asText());
        Map<String, JsonNode> refGroups = byField(Reference.http("apis-legacy").path("groups"), "name");
        assertFalse(groups.path("groups").isEmpty());
        for (JsonNode g : groups.path("groups")) {
            if (notRecorded(g.path("name").asText())) continue;
            assertEquals(refGroups.get(g.path("name").asText()), g);
        }
    }

    @Test
    void resourceListsMatchTheRealOnesForEveryServedResource() {
        Map<String, String> refFiles = Map.of("v1", "api-v1", "apps/v1", "apis-apps_v1",
                "coordination.k8s.io/v1", "apis-coordination.k8s.io_v1", "discovery.k8s.io/v1", "apis-discovery.k8s.io_v1",
                "events.k8s.io/v1", "apis-events.k8s.io_v1", "authentication.k8s.io/v1", "apis-authentication.k8s.io_v1",
                "authorization.k8s.io/v1", "apis-authorization.k8s.io_v1",
                "networking.k8s.io/v1", "apis-networking.k8s.io_v1", "storage.k8s.io/v1", "apis-storage.k8s.io_v1",
                "node.k8s.io/v1", "apis-node.k8s.io_v1");
        for (var e : refFiles.entrySet()) {
            String path = e.getKey().equals("v1") ? "/api/v1" : "/apis/" + e.getKey();
            Response r = Http.admin().accept(JSON).get(path);
            assertEquals(200, r.statusCode(), path);
            JsonNode ours = json(r);
            JsonNode ref = Reference.http(e.getValue());
            assertEquals(ref.path("kind"), ours.path("kind"));
            assertEquals(ref.path("groupVersion"), ours.path("groupVersion"));
            Map<String, JsonNode> refResources = byField(ref.path("resources"), "name");
            for (JsonNode resource : ours.path("resources")) {
                JsonNode expected = refResources.get(resource.path("name").asText());
                assertNotNull(expected, "not served by a real server: " + resource);
                assertEquals(expected, resource, path);
            }
        }
    }

    @Test
    void aggregatedDiscoveryV2MatchesTheRealOne() {
        String accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        for (String[] p : List.of(new String[] {"/api", "api-aggregated-v2"}, new String[] {"/apis", "apis-aggregated-v2"})) {
            Response r = Http.admin().header("Accept", accept).get(p[0]);
            assertEquals(200, r.statusCode());
            assertEquals("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", r.contentType());
            assertNotNull(r.header("ETag"));
            JsonNode ours = json(r);
            JsonNode ref = Reference.http(p[1]);
            assertEquals(ref.path("kind"), ours.path("kind"));
            assertEquals(ref.path("apiVersion"), ours.path("apiVersion"));
            Map<String, JsonNode> refGroups = new HashMap<>();
            for (JsonNode g : ref.path("items")) refGroups.put(g.path("metadata").path("name").asText(), g);
            for (JsonNode g : ours.path("items")) {
                if (notRecorded(g.path("metadata").path("name").asText())) continue;
                JsonNode refGroup = refGroups.get(g.path("metadata").path("name").asText());
                assertNotNull(refGroup, g.path("metadata").toString());
                assertEquals(refGroup.path("metadata"), g.path("metadata"));
                JsonNode refVersion = refGroup.path("versions").path(0);
                JsonNode version = g.path("versions").path(0);
                assertEquals(refVersion.path("version"), version.path("version"));
                assertEquals(refVersion.path("freshness"), version.path("freshness"));
                Map<String, JsonNode> refResources = byField(refVersion.path("resources"), "resource");
                for (JsonNode resource : version.path("resources")) {
                    JsonNode expected = ((ObjectNode) refResources.get(resource.path("resource").asText()).deepCopy());
                    // we list only the subresources we serve; each must be the real one
                    Map<String, JsonNode> refSubs = byField(expected.path("subresources"), "subresource");
                    for (JsonNode sub : resource.path("subresources")) {
                        assertEquals(refSubs.get(sub.path("subresource").asText()), sub, resource.path("resource").asText());
                    }
                    ((ObjectNode) expected).remove("subresources");
                    ObjectNode actual = resource.deepCopy();
                    actual.remove("subresources");
                    assertEquals(expected, actual);
                }
            }
            // a client that asks for v2beta1 only (kubectl 1.27-1.29) gets the legacy document, as from a real 1.33
            Response beta = Http.admin().header("Accept",
                    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json").get(p[0]);
            assertEquals(JSON, beta.contentType());
            assertEquals(p[0].equals("/api") ? "APIVersions" : "APIGroupList", json(beta).path("kind").asText());
        }
    }

    @Test
    void tablesHaveTheRealColumnsForEveryServedResource() {
        Map<String, String> paths = new HashMap<>();
        paths.put("table-api_v1-configmaps", "/api/v1/namespaces/" + NS + "/configmaps");
        paths.put("table-api_v1-pods", "/api/v1/namespaces/" + NS + "/pods");
        paths.put("table-api_v1-services", "/api/v1/namespaces/" + NS + "/services");
        paths.put("table-api_v1-endpoints", "/api/v1/namespaces/" + NS + "/endpoints");
        paths.put("table-api_v1-secrets", "/api/v1/namespaces/" + NS + "/secrets");
        paths.put("table-api_v1-serviceaccounts", "/api/v1/namespaces/" + NS + "/serviceaccounts");
        paths.put("table-api_v1-events", "/api/v1/namespaces/" + NS + "/events");
        paths.put("table-api_v1-limitranges", "/api/v1/namespaces/" + NS + "/limitranges");
        paths.put("table-api_v1-resourcequotas", "/api/v1/namespaces/" + NS + "/resourcequotas");
        paths.put("table-api_v1-persistentvolumeclaims", "/api/v1/namespaces/" + NS + "/persistentvolumeclaims");
        paths.put("table-api_v1-replicationcontrollers", "/api/v1/namespaces/" + NS + "/replicationcontrollers");
        paths.put("table-api_v1-podtemplates", "/api/v1/namespaces/" + NS + "/podtemplates");
        paths.put("table-api_v1-namespaces", "/api/v1/namespaces");
        paths.put("table-api_v1-nodes", "/api/v1/nodes");
        paths.put("table-api_v1-persistentvolumes", "/api/v1/persistentvolumes");
        paths.put("table-apis_apps_v1-deployments", "/apis/apps/v1/namespaces/" + NS + "/deployments");
        paths.put("table-apis_apps_v1-replicasets", "/apis/apps/v1/namespaces/" + NS + "/replicasets");
        paths.put("table-apis_apps_v1-statefulsets", "/apis/apps/v1/namespaces/" + NS + "/statefulsets");
        paths.put("table-apis_apps_v1-daemonsets", "/apis/apps/v1/namespaces/" + NS + "/daemonsets");
        paths.put("table-apis_apps_v1-controllerrevisions", "/apis/apps/v1/namespaces/" + NS + "/controllerrevisions");
        paths.put("table-apis_coordination.k8s.io_v1-leases", "/apis/coordination.k8s.io/v1/namespaces/" + NS + "/leases");
        paths.put("table-apis_discovery.k8s.io_v1-endpointslices", "/apis/discovery.k8s.io/v1/namespaces/" + NS + "/endpointslices");
        paths.put("table-apis_events.k8s.io_v1-events", "/apis/events.k8s.io/v1/namespaces/" + NS + "/events");
        paths.put("table-apis_autoscaling_v2-horizontalpodautoscalers", "/apis/autoscaling/v2/namespaces/" + NS + "/horizontalpodautoscalers");
        paths.put("table-apis_networking.k8s.io_v1-ingresses", "/apis/networking.k8s.io/v1/namespaces/" + NS + "/ingresses");
        paths.put("table-apis_networking.k8s.io_v1-networkpolicies", "/apis/networking.k8s.io/v1/namespaces/" + NS + "/networkpolicies");
        paths.put("table-apis_networking.k8s.io_v1-ingressclasses", "/apis/networking.k8s.io/v1/ingressclasses");
        paths.put("table-apis_networking.k8s.io_v1-ipaddresses", "/apis/networking.k8s.io/v1/ipaddresses");
        paths.put("table-apis_networking.k8s.io_v1-servicecidrs", "/apis/networking.k8s.io/v1/servicecidrs");
        for (String r : List.of("csidrivers", "csinodes", "storageclasses", "volumeattachments")) {
            paths.put("table-apis_storage.k8s.io_v1-" + r, "/apis/storage.k8s.io/v1/" + r);
        }
        paths.put("table-apis_storage.k8s.io_v1-csistoragecapacities", "/apis/storage.k8s.io/v1/namespaces/" + NS + "/csistoragecapacities");
        paths.put("table-apis_node.k8s.io_v1-runtimeclasses", "/apis/node.k8s.io/v1/runtimeclasses");
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        for (var e : paths.entrySet()) {
            Response r = Http.admin().header("Accept", accept).get(e.getValue());
            assertEquals(200, r.statusCode(), e.getValue());
            assertEquals(JSON, r.contentType());
            JsonNode ours = json(r);
            JsonNode ref = Reference.http(e.getKey());
            assertEquals("Table", ours.path("kind").asText());
            assertEquals("meta.k8s.io/v1", ours.path("apiVersion").asText());
            assertEquals(ref.path("columnDefinitions"), ours.path("columnDefinitions"), e.getKey());
            assertTrue(ours.path("metadata").has("resourceVersion"));
        }
        // rows carry PartialObjectMetadata by default
        JsonNode nodes = json(Http.admin().header("Accept", accept).get("/api/v1/nodes"));
        JsonNode row = nodes.path("rows").path(0);
        assertEquals("PartialObjectMetadata", row.path("object").path("kind").asText());
        assertEquals("m-k8s", row.path("cells").path(0).asText());
    }

    @Test
    void partialObjectMetadataList() {
        Response r = Http.admin().header("Accept", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json")
                .get("/api/v1/namespaces/" + NS + "/configmaps");
        JsonNode ours = json(r);
        JsonNode ref = Reference.http("partial-metadata-pods");
        assertEquals(ref.path("kind"), ours.path("kind"));
        assertEquals(ref.path("apiVersion"), ours.path("apiVersion"));
        JsonNode item = ours.path("items").path(0);
        assertEquals("PartialObjectMetadata", item.path("kind").asText());
        assertEquals("meta.k8s.io/v1", item.path("apiVersion").asText());
        assertEquals("cfg", item.path("metadata").path("name").asText());
    }

    @Test
    void watchFromResourceVersionZeroStartsWithTheCurrentObjects() {
        Response r = Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/configmaps?watch=1&resourceVersion=0&timeoutSeconds=2");
        assertEquals(200, r.statusCode());
        assertEquals(JSON, r.contentType());
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.asString().split("\n")) if (!line.isBlank()) events.add(parse(line));
        assertFalse(events.isEmpty());
        for (JsonNode e : events) {
            assertEquals("ADDED", e.path("type").asText());
            assertEquals("ConfigMap", e.path("object").path("kind").asText());
            assertEquals("v1", e.path("object").path("apiVersion").asText());
        }
        assertTrue(events.stream().anyMatch(e -> e.path("object").path("metadata").path("name").asText().equals("cfg")));
    }

    @Test
    void tableWatchesSendColumnsOnlyWithTheFirstEvent() {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"tw\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps");
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        Response r = Http.admin().header("Accept", accept)
                .get("/api/v1/namespaces/" + NS + "/configmaps?watch=1&resourceVersion=0&timeoutSeconds=1");
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.asString().split("\n")) if (!line.isBlank()) events.add(parse(line));
        assertTrue(events.size() >= 2, r.asString());
        JsonNode first = events.get(0).path("object");
        assertEquals("Table", first.path("kind").asText());
        assertEquals(Reference.http("table-api_v1-configmaps").path("columnDefinitions"), first.path("columnDefinitions"));
        assertEquals(1, first.path("rows").size());
        assertEquals("PartialObjectMetadata", first.path("rows").path(0).path("object").path("kind").asText());
        for (JsonNode later : events.subList(1, events.size())) {
            assertEquals("[]", later.path("object").path("columnDefinitions").toString());
            assertEquals(1, later.path("object").path("rows").size());
        }
    }

    @Test
    void watchFromACompactedRevisionIsAnExpiredErrorEvent() {
        var store = TestCluster.get().registry().store();
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"compact-me\"}}")
                .post("/api/v1/namespaces/" + NS + "/configmaps");
        long compacted = store.currentRevision();
        store.compact(compacted);
        Response r = Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1");
        assertEquals(200, r.statusCode());
        JsonNode expected = Reference.http("err-too-old-rv");
        JsonNode event = parse(r.asString().trim());
        assertEquals(expected.path("type"), event.path("type"));
        ObjectNode status = (ObjectNode) event.path("object");
        assertEquals("too old resource version: 1 (" + store.compactedRevision() + ")", status.path("message").asText());
        ObjectNode expectedStatus = ((ObjectNode) expected.path("object")).deepCopy();
        expectedStatus.remove("message");
        status.remove("message");
        assertEquals(expectedStatus, status);
    }

    @Test
    void paginatedListsCarryContinueTokensLikeTheRealServer() {
        for (int i = 0; i < 5; i++) {
            Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"page-" + i + "\"}}")
                    .post("/api/v1/namespaces/" + NS + "/secrets");
        }
        JsonNode first = json(Http.admin().accept(JSON).get("/api/v1/namespaces/" + NS + "/secrets?limit=2"));
        JsonNode ref = Reference.http("list-limit");
        assertEquals("SecretList", first.path("kind").asText());
        List<String> keys = new ArrayList<>();
        first.path("metadata").fieldNames().forEachRemaining(keys::add);
        List<String> refKeys = new ArrayList<>();
        ref.path("metadata").fieldNames().forEachRemaining(refKeys::add);
        assertEquals(refKeys, keys);
        assertEquals(2, first.path("items").size());
        assertEquals(3, first.path("metadata").path("remainingItemCount").asInt());
        JsonNode token = parse(new String(Base64.getUrlDecoder().decode(first.path("metadata").path("continue").asText()), StandardCharsets.UTF_8));
        JsonNode refToken = parse(new String(Base64.getUrlDecoder().decode(ref.path("metadata").path("continue").asText()), StandardCharsets.UTF_8));
        List<String> tokenKeys = new ArrayList<>();
        token.fieldNames().forEachRemaining(tokenKeys::add);
        List<String> refTokenKeys = new ArrayList<>();
        refToken.fieldNames().forEachRemaining(refTokenKeys::add);
        assertEquals(refTokenKeys, tokenKeys);
        assertTrue(token.path("start").asText().endsWith("\u0000"));
        List<String> names = new ArrayList<>();
        first.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
        String cont = first.path("metadata").path("continue").asText();
        while (!cont.isEmpty()) {
            JsonNode page = json(Http.admin().accept(JSON).queryParam("limit", 2).queryParam("continue", cont)
                    .get("/api/v1/namespaces/" + NS + "/secrets"));
            page.path("items").forEach(i -> names.add(i.path("metadata").path("name").asText()));
            assertEquals(first.path("metadata").path("resourceVersion"), page.path("metadata").path("resourceVersion"));
            cont = page.path("metadata").path("continue").asText("");
        }
        assertEquals(List.of("page-0", "page-1", "page-2", "page-3", "page-4"), names);
    }

    private static JsonNode parse(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    private static Map<String, JsonNode> byField(JsonNode array, String field) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode n : array) m.put(n.path(field).asText(), n);
        return m;
    }
}
