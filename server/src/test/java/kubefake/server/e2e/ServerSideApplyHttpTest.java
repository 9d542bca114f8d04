package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static kubefake.server.e2e.StatusAnswers.assertStatus;
import static kubefake.server.e2e.StatusAnswers.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side apply over plain HTTP: its status codes and the real server's errors for options and bodies it refuses,
 * and the managedFields every write records.
 */
class ServerSideApplyHttpTest {
    private static final String NS = "ssa-http";
    private static final String APPLY = "application/apply-patch+yaml";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

    @BeforeAll
    static void namespace() {
        Http.admin().contentType("application/json").body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                .post("/api/v1/namespaces");
    }

    private static RequestSpecification admin() {
        return Http.admin().urlEncodingEnabled(false).accept("application/json");
    }

    /** rest-assured encodes no String for a content type it does not know: the body as bytes. */
    private static byte[] bytes(String body) {
        return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String configMap(String name, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  k: \"" + value + "\"\n";
    }

    @Test
    void anApplyCreatesWith201ThenUpdatesWith200() {
        Response created = admin().contentType(APPLY).body(bytes(configMap("a1", "1"))).patch(CONFIGMAPS + "/a1?fieldManager=tool");
        assertEquals(201, created.statusCode(), created.asString());
        JsonNode entry = json(created).at("/metadata/managedFields/0");
        assertEquals("tool", entry.path("manager").asText());
        assertEquals("Apply", entry.path("operation").asText());
        assertEquals("{\"f:data\":{\"f:k\":{}}}", entry.path("fieldsV1").toString());
        Response updated = admin().contentType(APPLY).body(bytes("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a1\"},"
                + "\"data\":{\"k\":\"2\"}}")).patch(CONFIGMAPS + "/a1?fieldManager=tool");
        assertEquals(200, updated.statusCode(), updated.asString());
        assertEquals("2", json(updated).at("/data/k").asText());
        // a dry run changes nothing
        Response dry = admin().contentType(APPLY).body(bytes(configMap("a1", "3"))).patch(CONFIGMAPS + "/a1?fieldManager=tool&dryRun=All");
        assertEquals("3", json(dry).at("/data/k").asText());
        assertEquals("2", json(admin().get(CONFIGMAPS + "/a1")).at("/data/k").asText());
    }

    @Test
    void anApplyNeedsAFieldManager() {
        JsonNode status = assertStatus(admin().contentType(APPLY).body(bytes(configMap("a2", "1"))).patch(CONFIGMAPS + "/a2"), 422, "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        assertEquals("FieldValueRequired", status.at("/details/causes/0/reason").asText());
        assertEquals("fieldManager", status.at("/details/causes/0/field").asText());
    }

    @Test
    void theBodyMustBeAnObjectOfTheResourcesKindWithoutManagedFields() {
        assertStatus(admin().contentType(APPLY).body(bytes("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a3\n"))
                .patch(CONFIGMAPS + "/a3?fieldManager=tool"), 400, "BadRequest", "invalid object type: apps/v1, Kind=Deployment");
        assertStatus(admin().contentType(APPLY).body(bytes("metadata:\n  name: a3\n"))
                .patch(CONFIGMAPS + "/a3?fieldManager=tool"), 400, "BadRequest", "invalid object type: /, Kind=");
        assertStatus(admin().contentType(APPLY).body(bytes(configMap("a3", "1") + "metadata2: []\n"))
                .patch(CONFIGMAPS + "/a3?fieldManager=tool"), 500, "",
                "failed to create typed patch object (/a3; /v1, Kind=ConfigMap): .metadata2: field not declared in schema");
        assertStatus(admin().contentType(APPLY).body(bytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a3\n  managedFields: []\n"))
                .patch(CONFIGMAPS + "/a3?fieldManager=tool"), 400, "BadRequest", "metadata.managedFields must be nil");
        assertStatus(admin().contentType(APPLY).body(bytes("- a\n- b\n")).patch(CONFIGMAPS + "/a3?fieldManager=tool"), 400, "BadRequest",
                "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}");
        assertStatus(admin().contentType(APPLY).body(bytes(configMap("other", "1"))).patch(CONFIGMAPS + "/a3?fieldManager=tool"), 400,
                "BadRequest", "the name of the object (other) does not match the name on the URL (a3)");
        assertEquals(404, admin().get(CONFIGMAPS + "/a3").statusCode());
    }

    @Test
    void aConflictIs409WithOneCausePerField() {
        admin().contentType(APPLY).body(bytes(configMap("a4", "1"))).patch(CONFIGMAPS + "/a4?fieldManager=first");
        JsonNode status = assertStatus(admin().contentType(APPLY).body(bytes(configMap("a4", "2"))).patch(CONFIGMAPS + "/a4?fieldManager=second"),
                409, "Conflict", "Apply failed with 1 conflict: conflict with \"first\": .data.k");
        assertEquals("{\"causes\":[{\"reason\":\"FieldManagerConflict\",\"message\":\"conflict with \\\"first\\\"\",\"field\":\".data.k\"}]}",
                status.path("details").toString());
        Response forced = admin().contentType(APPLY).body(bytes(configMap("a4", "2"))).patch(CONFIGMAPS + "/a4?fieldManager=second&force=true");
        assertEquals(200, forced.statusCode(), forced.asString());
        assertEquals("second", json(forced).at("/metadata/managedFields/0/manager").asText());
        assertEquals(1, json(forced).at("/metadata/managedFields").size());
    }

    @Test
    void writesWithoutAFieldManagerAreNamedAfterTheirUserAgent() {
        Response r = admin().header("User-Agent", "my-tool/v1.2 (linux/amd64)").contentType("application/json")
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a5\"},\"data\":{\"k\":\"1\"}}").post(CONFIGMAPS);
        assertEquals(201, r.statusCode(), r.asString());
        JsonNode entry = json(r).at("/metadata/managedFields/0");
        assertEquals("my-tool", entry.path("manager").asText());
        assertEquals("Update", entry.path("operation").asText());
        // managedFields: [] in a write clears them, and the object stays untracked after
        Response cleared = admin().contentType("application/merge-patch+json").body("{\"metadata\":{\"managedFields\":[]}}")
                .patch(CONFIGMAPS + "/a5");
        assertFalse(json(cleared).path("metadata").has("managedFields"), cleared.asString());
        Response later = admin().contentType("application/merge-patch+json").body("{\"data\":{\"k\":\"2\"}}")
                .patch(CONFIGMAPS + "/a5?fieldManager=editor");
        assertFalse(json(later).path("metadata").has("managedFields"), later.asString());
        // until an apply: what is there becomes before-first-apply's
        Response applied = admin().contentType(APPLY).body(bytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a5\n  labels:\n    x: y\n"))
                .patch(CONFIGMAPS + "/a5?fieldManager=tool");
        JsonNode managers = json(applied).at("/metadata/managedFields");
        assertEquals("tool", managers.get(0).path("manager").asText());
        assertEquals("before-first-apply", managers.get(1).path("manager").asText());
        assertTrue(managers.get(1).at("/fieldsV1/f:data/f:k").isObject(), managers.toString());
        assertEquals("2", json(applied).at("/data/k").asText());
    }

    @Test
    void anApplyToTheStatusSubresourceOwnsOnlyStatus() {
        String deployments = "/apis/apps/v1/namespaces/" + NS + "/deployments";
        String web = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: st\nspec:\n  replicas: 0\n  selector:\n"
                + "    matchLabels:\n      app: st\n  template:\n    metadata:\n      labels:\n        app: st\n    spec:\n"
                + "      containers:\n      - name: c\n        image: nginx\n";
        assertEquals(201, admin().contentType(APPLY).body(bytes(web)).patch(deployments + "/st?fieldManager=tool").statusCode());
        // a status apply of an object that does not exist is a 404, never a create
        assertEquals(404, admin().contentType(APPLY).body(bytes(web.replace("name: st", "name: nope")))
                .patch(deployments + "/nope/status?fieldManager=tool").statusCode());
        byte[] status = bytes("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: st\n"
                + "spec:\n  replicas: 9\nstatus:\n  observedGeneration: 7\n");
        // the deployment controller's status writes own observedGeneration (once it has written it)
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (json(admin().get(deployments + "/st")).at("/status/observedGeneration").isMissingNode()) {
            assertTrue(System.nanoTime() < deadline, "the deployment controller never wrote the status");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertStatus(admin().contentType(APPLY).body(status).patch(deployments + "/st/status?fieldManager=reporter"), 409, "Conflict",
                "Apply failed with 1 conflict: conflict with \"kube-controller-manager\" with subresource \"status\" using apps/v1: "
                        + ".status.observedGeneration");
        Response r = admin().contentType(APPLY).body(status).patch(deployments + "/st/status?fieldManager=reporter&force=true");
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode live = json(r);
        assertEquals(0, live.at("/spec/replicas").asInt(), "spec is not the status subresource's");
        assertEquals(7, live.at("/status/observedGeneration").asInt());
        JsonNode entry = null;
        for (JsonNode e : live.at("/metadata/managedFields")) {
            if (e.path("manager").asText().equals("reporter")) entry = e;
        }
        assertEquals("Apply", entry.path("operation").asText(), live.toString());
        assertEquals("status", entry.path("subresource").asText());
        assertEquals("{\"f:status\":{\"f:observedGeneration\":{}}}", entry.path("fieldsV1").toString());
    }

    @Test
    void mapListItemsAreKeyedWithTheirSchemaDefaultsAndPrunedWhenNoLongerApplied() {
        String services = "/api/v1/namespaces/" + NS + "/services";
        String svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s1\nspec:\n  selector:\n    app: s1\n  ports:\n"
                + "  - name: http\n    port: 80\n";
        Response created = admin().contentType(APPLY).body(bytes(svc)).patch(services + "/s1?fieldManager=tool");
        assertEquals(201, created.statusCode(), created.asString());
        JsonNode entry = json(created).at("/metadata/managedFields/0/fieldsV1/f:spec/f:ports");
        // the item's key includes protocol, which the configuration leaves to its default (TCP)
        assertEquals("{\"k:{\\\"port\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:name\":{},\"f:port\":{}}}",
                entry.toString());
        Response moved = admin().contentType(APPLY).body(bytes(svc.replace("port: 80", "port: 81"))).patch(services + "/s1?fieldManager=tool");
        assertEquals(200, moved.statusCode(), moved.asString());
        JsonNode ports = json(moved).at("/spec/ports");
        assertEquals(1, ports.size(), ports.toString());
        assertEquals(81, ports.get(0).path("port").asInt());
    }
}
