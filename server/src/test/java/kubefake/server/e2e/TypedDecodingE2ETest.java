package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies that do not fit the served type's Go struct get the real API server's answers over HTTPS, and objects come
 * back in the shape of the real server's typed round trip (issue 11's reproducers). The messages are the real
 * server's: k8s.io/apiserver's create handler wraps a decoding error as {@code <Kind> in version "<v>" cannot be
 * handled as a <Kind>: <error>} (400), its patch handler as {@code  "" is invalid: patch: Invalid value: ...} (422),
 * and refuses a patch body that does not decode with {@code error decoding patch: ...} (400).
 */
class TypedDecodingE2ETest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NS = "typed";
    private static final String JSON = "application/json";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

    @BeforeAll
    static void namespace() {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                .post("/api/v1/namespaces");
    }

    private static RequestSpecification json() {
        return Http.admin().accept(JSON).contentType(JSON);
    }

    private static JsonNode body(Response r) {
        try {
            return MAPPER.readTree(r.asByteArray());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.asString(), e);
        }
    }

    private static String configMap(String name, String rest) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}" + rest + "}";
    }

    /** A Status as the real server writes it for BadRequest: no details. */
    private static void assertBadRequest(String message, Response r) {
        assertEquals(400, r.statusCode(), r.asString());
        ObjectNode expected = MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        expected.putObject("metadata");
        expected.put("status", "Failure").put("message", message).put("reason", "BadRequest").put("code", 400);
        assertEquals(expected, body(r));
    }

    /** The 422 of a patch whose result does not decode: one cause on the field "patch". */
    private static void assertInvalidPatch(String invalidValue, String error, Response r) {
        assertEquals(422, r.statusCode(), r.asString());
        String cause = "Invalid value: " + MAPPER.valueToTree(invalidValue).toString() + ": " + error;
        ObjectNode expected = MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        expected.putObject("metadata");
        expected.put("status", "Failure").put("message", " \"\" is invalid: patch: " + cause).put("reason", "Invalid");
        expected.putObject("details").putArray("causes").addObject()
                .put("reason", "FieldValueInvalid").put("message", cause).put("field", "patch");
        expected.put("code", 422);
        assertEquals(expected, body(r));
    }

    @Test
    void configMapDataThatIsNotAMapOfStrings() {
        assertBadRequest("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go"
                + " struct field ConfigMap.data of type map[string]string",
                json().body(configMap("bad1", ",\"data\":true")).post(CONFIGMAPS));
        assertBadRequest("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go"
                + " struct field ConfigMap.data of type string",
                json().body(configMap("bad2", ",\"data\":{\"k\":1}")).post(CONFIGMAPS));
        assertEquals(404, json().get(CONFIGMAPS + "/bad1").statusCode(), "nothing was stored");
    }

    @Test
    void labelsThatAreNotStrings() {
        assertBadRequest("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go"
                + " struct field ObjectMeta.metadata.labels of type string",
                json().body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bad3\",\"labels\":{\"a\":1}}}")
                        .post(CONFIGMAPS));
    }

    @Test
    void bytesThatAreNotBase64() {
        assertBadRequest("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: illegal base64 data at input byte 3",
                json().body(configMap("bad4", ",\"binaryData\":{\"k\":\"not base64\"}")).post(CONFIGMAPS));
        assertBadRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4",
                json().body("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"pw\":\"secret\"}}")
                        .post("/api/v1/namespaces/" + NS + "/secrets"));
    }

    @Test
    void aTypeErrorIsRefusedWhateverTheFieldValidation() {
        for (String directive : List.of("Ignore", "Warn", "Strict")) {
            assertBadRequest("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal bool into"
                    + " Go struct field ConfigMap.data of type map[string]string",
                    json().body(configMap("bad5", ",\"data\":true,\"unknown\":1")).post(CONFIGMAPS + "?fieldValidation=" + directive));
        }
    }

    @Test
    void yamlBodiesToo() {
        Response r = Http.admin().accept(JSON).contentType("application/yaml")
                .body("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad6\ndata:\n  port: 80\n"
                        .getBytes(StandardCharsets.UTF_8)).post(CONFIGMAPS);
        assertBadRequest("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go"
                + " struct field ConfigMap.data of type string", r);
    }

    @Test
    void aMergePatchWithANumberNoFloat64Holds() {
        assertEquals(201, json().body(configMap("huge", ",\"data\":{\"a\":\"b\"}")).post(CONFIGMAPS).statusCode());
        Response r = Http.admin().accept(JSON).contentType("application/merge-patch+json").body("{\"x\":1e99999}")
                .patch(CONFIGMAPS + "/huge");
        assertBadRequest("error decoding patch: json: cannot unmarshal number 1e99999 into Go value of type float64", r);
        // with Ignore the real server does not decode the patch first: x is an unknown field, dropped, nothing changes
        Response ignored = Http.admin().accept(JSON).contentType("application/merge-patch+json").body("{\"x\":1e99999}")
                .patch(CONFIGMAPS + "/huge?fieldValidation=Ignore");
        assertEquals(200, ignored.statusCode(), ignored.asString());
        assertEquals(MAPPER.createObjectNode().put("a", "b"), body(ignored).path("data"));
        assertFalse(body(ignored).has("x"));
    }

    @Test
    void patchesWhoseResultDoesNotDecode() {
        Response created = json().body(configMap("patched", "")).post(CONFIGMAPS);
        JsonNode meta = body(created).path("metadata");
        Response merge = Http.admin().accept(JSON).contentType("application/merge-patch+json").body("{\"data\":true}")
                .patch(CONFIGMAPS + "/patched");
        // jsonpatch writes the patched object with sorted keys at the levels it merged
        String patchedText = "{\"apiVersion\":\"v1\",\"data\":true,\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"patched\","
                + "\"namespace\":\"typed\",\"uid\":\"" + meta.path("uid").asText() + "\",\"resourceVersion\":\""
                + meta.path("resourceVersion").asText() + "\",\"creationTimestamp\":\""
                + meta.path("creationTimestamp").asText() + "\"}}";
        assertInvalidPatch(patchedText, "json: cannot unmarshal bool into Go struct field ConfigMap.data of type"
                + " map[string]string", merge);
        // a strategic merge patch's result is converted from Go maps, not decoded from JSON: other words
        Response strategic = Http.admin().accept(JSON).contentType("application/strategic-merge-patch+json")
                .body("{\"data\":{\"k\":1}}").patch(CONFIGMAPS + "/patched");
        assertInvalidPatch("map[data:map[k:1]]", "cannot convert int64 to string", strategic);
    }

    @Test
    void emptyMetadataCollectionsAreNotEchoed() {
        Response r = json().body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"empties\","
                + "\"labels\":{},\"annotations\":{},\"finalizers\":[],\"ownerReferences\":[]},\"data\":{}}").post(CONFIGMAPS);
        assertEquals(201, r.statusCode(), r.asString());
        for (JsonNode object : List.of(body(r), body(json().get(CONFIGMAPS + "/empties")))) {
            JsonNode metadata = object.path("metadata");
            for (String field : List.of("labels", "annotations", "finalizers", "ownerReferences")) {
                assertFalse(metadata.has(field), field + " in " + object);
            }
            assertFalse(object.has("data"), object.toString());
        }
    }

    @Test
    void aNodeCreatedWithoutSpecHasOneAndTheJavaClientsDrainPatchApplies() {
        Response created = json().body("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"typed-node\"}}")
                .post("/api/v1/nodes");
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals(MAPPER.createObjectNode(), body(created).path("spec"));
        assertEquals(MAPPER.createObjectNode(), body(json().get("/api/v1/nodes/typed-node")).path("spec"));
        JsonNode status = body(created).path("status");
        assertEquals(0, status.path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(-1));
        assertEquals("", status.path("nodeInfo").path("machineID").asText("absent"));
        // what the official Java client's drain (cordon) sends
        Response cordoned = Http.admin().accept(JSON).contentType("application/json-patch+json")
                .body("[{\"op\":\"replace\",\"path\":\"/spec/unschedulable\",\"value\":true}]").patch("/api/v1/nodes/typed-node");
        assertEquals(200, cordoned.statusCode(), cordoned.asString());
        assertTrue(body(cordoned).path("spec").path("unschedulable").asBoolean());
        assertTrue(body(json().get("/api/v1/nodes/typed-node")).path("spec").path("unschedulable").asBoolean());
        json().delete("/api/v1/nodes/typed-node");
    }

    @Test
    void quantitiesAndIntegersComeBackCanonical() {
        Response r = json().body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"canonical\"},\"spec\":{"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"resources\":{\"requests\":{\"cpu\":\"0.5\","
                + "\"memory\":\"1024Mi\"},\"limits\":{\"cpu\":1,\"memory\":\"1.5Gi\"}}}]}}")
                .post("/api/v1/namespaces/" + NS + "/pods");
        assertEquals(201, r.statusCode(), r.asString());
        JsonNode resources = body(r).path("spec").path("containers").get(0).path("resources");
        assertEquals("500m", resources.path("requests").path("cpu").asText());
        assertEquals("1Gi", resources.path("requests").path("memory").asText());
        assertEquals("1", resources.path("limits").path("cpu").asText());
        assertEquals("1536Mi", resources.path("limits").path("memory").asText());
        assertEquals(resources, body(json().get("/api/v1/namespaces/" + NS + "/pods/canonical"))
                .path("spec").path("containers").get(0).path("resources"));
        Response replicas = json().body("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},"
                + "\"spec\":{\"replicas\":1.0,\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{"
                + "\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}")
                .post("/apis/apps/v1/namespaces/" + NS + "/deployments");
        // JSON 1.0 is no integer for Go's decoder; YAML's 1.0 is, as Go converts YAML floats to JSON with encoding/json
        assertBadRequest("Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal number 1.0"
                + " into Go struct field DeploymentSpec.spec.replicas of type int32", replicas);
        Response yaml = Http.admin().accept(JSON).contentType("application/yaml").body(("apiVersion: apps/v1\nkind: Deployment\n"
                + "metadata:\n  name: d\nspec:\n  replicas: 1.0\n  selector:\n    matchLabels: {a: b}\n  template:\n"
                + "    metadata:\n      labels: {a: b}\n    spec:\n      containers: [{name: c, image: i}]\n")
                        .getBytes(StandardCharsets.UTF_8)).post("/apis/apps/v1/namespaces/" + NS + "/deployments");
        assertEquals(201, yaml.statusCode(), yaml.asString());
        assertEquals("1", body(yaml).path("spec").path("replicas").toString());
    }
}
