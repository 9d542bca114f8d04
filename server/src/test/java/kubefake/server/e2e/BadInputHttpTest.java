package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import kubefake.server.fuzz.RawHttpConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static kubefake.server.e2e.StatusAnswers.assertStatus;
import static kubefake.server.e2e.StatusAnswers.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests get the real Kubernetes 1.33 API server's status, reason and message: malformed targets, query
 * parameters of every kind with wrong values, option combinations it refuses, bodies it cannot decode, patches
 * that do not apply. Where the real server itself answers 500 the test says so and cites the source.
 */
class BadInputHttpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NS = "bad-input";
    private static final String JSON = "application/json";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";

    @BeforeAll
    static void namespace() {
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                .post("/api/v1/namespaces");
        Http.admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"}}")
                .post(CONFIGMAPS);
    }

    private static RequestSpecification admin() {
        return Http.admin().urlEncodingEnabled(false).accept(JSON);
    }

    /** A 422 on options: group meta.k8s.io, the options kind, one cause per field error. */
    private static void assertInvalidOptions(Response r, String kind, String message, String... causes) {
        JsonNode status = assertStatus(r, 422, "Invalid", message);
        JsonNode details = status.path("details");
        assertEquals("meta.k8s.io", details.path("group").asText());
        assertEquals(kind, details.path("kind").asText());
        assertFalse(details.has("name"));
        assertEquals(causes.length, details.path("causes").size(), details.toString());
        for (int i = 0; i < causes.length; i++) {
            JsonNode c = details.path("causes").get(i);
            assertEquals(causes[i], c.path("reason").asText() + " " + c.path("field").asText() + " " + c.path("message").asText());
        }
    }

    private static RawHttpConnection raw() throws Exception {
        return new RawHttpConnection(RawHttpConnection.trustingTls(), "127.0.0.1", TestCluster.get().port(), 10_000);
    }

    private static byte[] rawGet(String target) {
        return ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestCluster.ADMIN_TOKEN
                + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    // ---- the request target

    @Test
    void aQueryPairThatCannotBeDecodedIsDroppedAndTheRestKept() throws Exception {
        // Go's URL.Query() skips the pairs url.ParseQuery cannot decode (here a bad escape and a ';')
        try (RawHttpConnection c = raw()) {
            RawHttpConnection.Response r = c.exchange(rawGet(CONFIGMAPS + "?a=%zz&labelSelector=%zz&fieldSelector=x;y&limit=1"), false);
            assertEquals(200, r.status(), r.text());
            JsonNode list = MAPPER.readTree(r.body());
            assertEquals("ConfigMapList", list.path("kind").asText());
            assertEquals(1, list.path("items").size());
            assertTrue(c.isOpen());
        }
    }

    @Test
    void aBadEscapeInThePathIsAPlain400AndTheConnectionCloses() throws Exception {
        // net/http cannot read the request (url.ParseRequestURI fails): "400 Bad Request" as text, then close
        for (String target : List.of("/api/v1/namespaces/" + NS + "/config%zzmaps", "/api/v1/namespaces/%", "/api/%2")) {
            try (RawHttpConnection c = raw()) {
                RawHttpConnection.Response r = c.exchange(rawGet(target), false);
                assertEquals(400, r.status(), target);
                assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
                assertEquals("close", r.header("Connection"));
                assertEquals("400 Bad Request", r.text());
                assertFalse(c.isOpen());
            }
        }
    }

    // ---- booleans: Convert_Slice_string_To_bool (only 0 and false are false)

    @Test
    void watchIsTrueForAnyValueButZeroAndFalse() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestCluster.get().pki().clientSslContext(null)).build();
        for (String value : List.of("True", "TRUE", "t", "1", "yes", "")) {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                            + TestCluster.get().port() + CONFIGMAPS + "?timeoutSeconds=5&watch=" + value))
                    .header("Authorization", "Bearer " + TestCluster.ADMIN_TOKEN).header("Accept", JSON).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode(), value);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                JsonNode event = MAPPER.readTree(lines.readLine());
                assertEquals("ADDED", event.path("type").asText(), "watch=" + value);
                assertEquals("cfg", event.path("object").path("metadata").path("name").asText());
            }
        }
        for (String value : List.of("0", "false", "False", "FALSE")) {
            Response r = admin().get(CONFIGMAPS + "?watch=" + value);
            assertEquals(200, r.statusCode());
            assertEquals("ConfigMapList", json(r).path("kind").asText(), "watch=" + value);
        }
    }

    // ---- integers: strconv.ParseInt

    @Test
    void malformedIntegersAreTheParseIntErrors() {
        assertStatus(admin().get(CONFIGMAPS + "?limit=abc"), 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax");
        assertStatus(admin().get(CONFIGMAPS + "?limit=1.5"), 400, "BadRequest", "strconv.ParseInt: parsing \"1.5\": invalid syntax");
        assertStatus(admin().get(CONFIGMAPS + "?watch=1&timeoutSeconds=99999999999999999999"), 400, "BadRequest",
                "strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
        assertStatus(admin().delete(CONFIGMAPS + "/cfg?gracePeriodSeconds=soon"), 400, "BadRequest",
                "strconv.ParseInt: parsing \"soon\": invalid syntax");
        assertEquals(200, admin().get(CONFIGMAPS + "?limit=%2B1").statusCode(), "+1 is a valid int64");
    }

    // ---- resourceVersions

    @Test
    void aMalformedResourceVersionOnAListIsA400() {
        // storage.ValidateListOptions: NewBadRequest("invalid resource version: " + the versioner's InvalidError)
        assertStatus(admin().get(CONFIGMAPS + "?resourceVersion=-1&resourceVersionMatch=Exact"), 400, "BadRequest",
                "invalid resource version: resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax");
        assertStatus(admin().get(CONFIGMAPS + "?resourceVersion=abc"), 400, "BadRequest",
                "invalid resource version: resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax");
        assertStatus(admin().get(CONFIGMAPS + "?resourceVersion=99999999999999999999"), 400, "BadRequest",
                "invalid resource version: resourceVersion: Invalid value: \"99999999999999999999\": strconv.ParseUint: "
                        + "parsing \"99999999999999999999\": value out of range");
    }

    /**
     * The real server answers 500: the watch cache's Cacher.Watch and CacheDelegator.Get (apiserver
     * pkg/storage/cacher) return APIObjectVersioner.ParseResourceVersion's storage.InvalidError as is,
     * Store.WatchPredicate and storeerr.InterpretGetError pass it on, and responsewriters.ErrorToAPIStatus turns
     * an error that is not a Status into code 500 with no reason and the error text as message.
     */
    @Test
    void aMalformedResourceVersionOnAWatchOrAGetIsTheRealServers500() {
        String message = "resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax";
        JsonNode watch = assertStatus(admin().get(CONFIGMAPS + "?watch=1&resourceVersion=-1"), 500, "", message);
        assertFalse(watch.has("details"));
        assertStatus(admin().get(CONFIGMAPS + "/cfg?resourceVersion=-1"), 500, "", message);
    }

    @Test
    void listOptionsTheRealServerRefuses() {
        assertInvalidOptions(admin().get(CONFIGMAPS + "?sendInitialEvents=true"), "ListOptions",
                "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list",
                "FieldValueForbidden sendInitialEvents Forbidden: sendInitialEvents is forbidden for list");
        assertInvalidOptions(admin().get(CONFIGMAPS + "?watch=1&resourceVersion=1&resourceVersionMatch=Exact"), "ListOptions",
                "ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden "
                        + "for watch unless sendInitialEvents is provided, resourceVersionMatch: Unsupported value: \"Exact\": "
                        + "supported values: \"NotOlderThan\"]",
                "FieldValueForbidden resourceVersionMatch Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                "FieldValueNotSupported resourceVersionMatch Unsupported value: \"Exact\": supported values: \"NotOlderThan\"");
    }

    @Test
    void badContinueTokensAreTheirDecodingErrors() {
        assertStatus(admin().get(CONFIGMAPS + "?continue=abc"), 400, "BadRequest",
                "invalid continue token: continue key is not valid: invalid character 'i' looking for beginning of value");
        assertStatus(admin().get(CONFIGMAPS + "?continue=a*b"), 400, "BadRequest",
                "invalid continue token: continue key is not valid: illegal base64 data at input byte 1");
        String wrongVersion = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":\"meta.k8s.io/v0\",\"rv\":1,\"start\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        assertStatus(admin().get(CONFIGMAPS + "?continue=" + wrongVersion), 400, "BadRequest",
                "invalid continue token: continue key is not valid: server does not recognize this encoded version meta.k8s.io/v0");
        String climbing = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"../secrets/x\"}".getBytes(StandardCharsets.UTF_8));
        assertStatus(admin().get(CONFIGMAPS + "?continue=" + climbing), 400, "BadRequest",
                "invalid continue token: continue key is not valid: ../secrets/x");
        String token = json(admin().get(CONFIGMAPS + "?limit=1")).path("metadata").path("continue").asText("");
        String valid = token.isEmpty() ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"a\"}".getBytes(StandardCharsets.UTF_8)) : token;
        assertStatus(admin().get(CONFIGMAPS + "?continue=" + valid + "&resourceVersion=5"), 400, "BadRequest",
                "specifying resource version is not allowed when using continue");
    }

    // ---- Create/Update/PatchOptions

    @Test
    void dryRunTakesOnlyAll() {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}";
        assertInvalidOptions(admin().contentType(JSON).body(body).post(CONFIGMAPS + "?dryRun=Foo"), "CreateOptions",
                "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Foo\"}: supported values: \"All\"",
                "FieldValueNotSupported dryRun Unsupported value: []string{\"Foo\"}: supported values: \"All\"");
        assertInvalidOptions(admin().contentType(JSON).body(body).post(CONFIGMAPS + "?dryRun=All&dryRun="), "CreateOptions",
                "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"All\", \"\"}: supported values: \"All\"",
                "FieldValueNotSupported dryRun Unsupported value: []string{\"All\", \"\"}: supported values: \"All\"");
        assertInvalidOptions(admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"}}")
                        .put(CONFIGMAPS + "/cfg?dryRun=all"), "UpdateOptions",
                "UpdateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"all\"}: supported values: \"All\"",
                "FieldValueNotSupported dryRun Unsupported value: []string{\"all\"}: supported values: \"All\"");
        assertEquals(201, admin().contentType(JSON).body(body).post(CONFIGMAPS + "?dryRun=All").statusCode());
        assertEquals(404, admin().get(CONFIGMAPS + "/dry").statusCode(), "a dry run stores nothing");
    }

    @Test
    void fieldManagerMustBeShortAndPrintable() {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fm\"}}";
        assertInvalidOptions(admin().contentType(JSON).body(body).post(CONFIGMAPS + "?fieldManager=" + "m".repeat(129)),
                "CreateOptions", "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes",
                "FieldValueTooLong fieldManager Too long: may not be more than 128 bytes");
        assertInvalidOptions(admin().contentType(JSON).body(body).post(CONFIGMAPS + "?fieldManager=a%07b"),
                "CreateOptions", "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\ab\": "
                        + "invalid character U+0007 (at position 1)",
                "FieldValueInvalid fieldManager Invalid value: \"a\\ab\": invalid character U+0007 (at position 1)");
    }

    @Test
    void badOptionsTogetherAreOne422() {
        assertInvalidOptions(admin().contentType("application/merge-patch+json").body("{}")
                        .patch(CONFIGMAPS + "/cfg?force=false&dryRun=x&fieldValidation=Loud"), "PatchOptions",
                "PatchOptions.meta.k8s.io \"\" is invalid: [force: Forbidden: may not be specified for non-apply patch, "
                        + "dryRun: Unsupported value: []string{\"x\"}: supported values: \"All\", fieldValidation: "
                        + "Unsupported value: \"Loud\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"]",
                "FieldValueForbidden force Forbidden: may not be specified for non-apply patch",
                "FieldValueNotSupported dryRun Unsupported value: []string{\"x\"}: supported values: \"All\"",
                "FieldValueNotSupported fieldValidation Unsupported value: \"Loud\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
    }

    // ---- DeleteOptions

    @Test
    void deleteOptionsTheRealServerRefuses() {
        create("del1");
        assertInvalidOptions(admin().delete(CONFIGMAPS + "/del1?propagationPolicy=Foo"), "DeleteOptions",
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Foo\": supported values: "
                        + "\"Foreground\", \"Background\", \"Orphan\", \"nil\"",
                "FieldValueNotSupported propagationPolicy Unsupported value: \"Foo\": supported values: \"Foreground\", "
                        + "\"Background\", \"Orphan\", \"nil\"");
        assertInvalidOptions(admin().contentType(JSON).body("{\"orphanDependents\":true,\"propagationPolicy\":\"Background\"}")
                        .delete(CONFIGMAPS + "/del1"), "DeleteOptions",
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Background\": orphanDependents "
                        + "and deletionPropagation cannot be both set",
                "FieldValueInvalid propagationPolicy Invalid value: \"Background\": orphanDependents and deletionPropagation cannot be both set");
        assertInvalidOptions(admin().delete(CONFIGMAPS + "/del1?dryRun=yes"), "DeleteOptions",
                "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"yes\"}: supported values: \"All\"",
                "FieldValueNotSupported dryRun Unsupported value: []string{\"yes\"}: supported values: \"All\"");
        assertEquals(200, admin().get(CONFIGMAPS + "/del1").statusCode(), "nothing was deleted");
    }

    @Test
    void aDeleteWithABodyTakesItsOptionsFromTheBodyOnly() {
        create("del2");
        // DeleteResource decodes the body and does not read the query at all: dryRun=All here is ignored
        Response r = admin().contentType(JSON).body("{\"propagationPolicy\":\"Background\"}").delete(CONFIGMAPS + "/del2?dryRun=All");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(404, admin().get(CONFIGMAPS + "/del2").statusCode());
    }

    /**
     * Kubernetes 1.33's DeleteResource (apiserver pkg/endpoints/handlers/delete.go) hands a DeleteOptions decoding
     * error to scope.err unconverted, so ErrorToAPIStatus answers 500 with no reason and the decoder's text; 1.35
     * made these 400s (kubernetes/kubernetes#132359, reported again for 1.33/1.34 in #139491, #139490, #139487).
     */
    @Test
    void aDeleteBodyTheRealServerCannotDecodeIsItsOwn500() {
        create("del3");
        assertStatus(admin().contentType(JSON).body("{\"gracePeriodSeconds\":\"x\"}").delete(CONFIGMAPS + "/del3"), 500, "",
                "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64");
        assertStatus(admin().contentType(JSON).body("{\"dryRun\":\"All\"}").delete(CONFIGMAPS + "/del3"), 500, "",
                "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string");
        assertStatus(admin().contentType(JSON).body("{\"kind\":\"fixed\"}").delete(CONFIGMAPS + "/del3"), 500, "",
                "no kind \"fixed\" is registered for version \"meta.k8s.io/v1\" in scheme \"pkg/apis/meta/internalversion/scheme/register.go:27\"");
        assertStatus(admin().contentType(JSON).body("{\"kind\":true}").delete(CONFIGMAPS + "/del3"), 500, "",
                "couldn't get version/kind; json parse error: json: cannot unmarshal bool into Go struct field .kind of type string");
        assertStatus(admin().contentType(JSON).body("{\"propagationPolicy\":").delete(CONFIGMAPS + "/del3"), 500, "",
                "couldn't get version/kind; json parse error: unexpected end of JSON input");
        // the protobuf serializer's error for bytes without the k8s envelope takes the same path
        assertStatus(admin().contentType("application/vnd.kubernetes.protobuf").body("{}".getBytes(StandardCharsets.UTF_8))
                        .delete(CONFIGMAPS + "/del3"), 500, "",
                "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        assertEquals(200, admin().get(CONFIGMAPS + "/del3").statusCode(), "nothing was deleted");
    }

    // ---- patches

    /**
     * The real server answers 500: handlers/patch.go's interpretStrategicMergePatchError turns only the mergepatch
     * errors it names (bad JSON document, bad directive formats, list of lists, retainKeys mismatch) into a 400 or
     * 422 and returns any other error as is, which ErrorToAPIStatus answers with code 500, no reason and the error
     * text; an unknown {@code $patch} directive is mergepatch.ErrBadPatchType (apimachinery pkg/util/mergepatch/errors.go).
     */
    @Test
    void aStrategicMergePatchErrorThePatchHandlerDoesNotClassifyIsA500() {
        JsonNode status = assertStatus(admin().contentType("application/strategic-merge-patch+json").body("{\"$patch\":\"bogus\"}")
                .patch(CONFIGMAPS + "/cfg"), 500, "", "unknown patch type: bogus in map: map[$patch:bogus]");
        assertFalse(status.has("details"));
        assertEquals(200, admin().get(CONFIGMAPS + "/cfg").statusCode(), "the object is untouched");
    }

    @Test
    void aJsonPatchThatDoesNotApplyIsA422WithEmptyDetails() {
        // handlers/patch.go: NewGenericServerResponse(422, "", GroupResource{}, "", err.Error(), 0, false)
        for (String patch : List.of("[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"other\"}]",
                "[{\"op\":\"remove\",\"path\":\"/data/missing\"}]",
                "[{\"op\":\"nope\",\"path\":\"/data\"}]")) {
            JsonNode status = assertStatus(admin().contentType("application/json-patch+json").body(patch).patch(CONFIGMAPS + "/cfg"),
                    422, "Invalid", "the server rejected our request due to an error in our request");
            assertEquals("{}", status.path("details").toString(), patch);
        }
    }

    private static void create(String name) {
        Response r = admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .post(CONFIGMAPS);
        assertEquals(201, r.statusCode(), r.asString());
    }

    // ---- ClusterIP to ExternalName releases the addresses

    @Test
    void aServiceReplacedAsExternalNameReleasesItsAddress() {
        String services = "/api/v1/namespaces/" + NS + "/services";
        createService(services, "to-external", "10.100.200.7", "ClusterIP");
        ObjectNode svc = (ObjectNode) json(admin().get(services + "/to-external"));
        ObjectNode spec = (ObjectNode) svc.get("spec");
        // what kubectl replace sends after editing the YAML: the address emptied, the list removed, the rest kept
        spec.put("type", "ExternalName").put("externalName", "db.example.com").put("clusterIP", "");
        spec.remove("clusterIPs");
        Response r = admin().contentType(JSON).body(svc.toString()).put(services + "/to-external");
        assertEquals(200, r.statusCode(), r.asString());
        assertExternalName(json(r).path("spec"));
        createService(services, "takes-the-address", "10.100.200.7", "ClusterIP");
    }

    @Test
    void aServicePatchedToExternalNameReleasesItsAddressAndNodePort() {
        String services = "/api/v1/namespaces/" + NS + "/services";
        createService(services, "patched-external", "10.100.200.8", "NodePort");
        Response r = admin().contentType("application/json-patch+json").body("[{\"op\":\"replace\",\"path\":\"/spec/type\","
                + "\"value\":\"ExternalName\"},{\"op\":\"add\",\"path\":\"/spec/externalName\",\"value\":\"db.example.com\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/clusterIP\"},{\"op\":\"remove\",\"path\":\"/spec/clusterIPs\"}]")
                .patch(services + "/patched-external");
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode spec = json(r).path("spec");
        assertExternalName(spec);
        assertFalse(spec.path("ports").get(0).has("nodePort"), spec.toString());
        assertFalse(spec.has("externalTrafficPolicy"), spec.toString());
        createService(services, "takes-the-port", "10.100.200.8", "NodePort");
    }

    private static void assertExternalName(JsonNode spec) {
        assertEquals("ExternalName", spec.path("type").asText());
        assertEquals("db.example.com", spec.path("externalName").asText());
        assertEquals("", spec.path("clusterIP").asText(""), spec.toString());
        for (String dropped : List.of("clusterIPs", "ipFamilies", "ipFamilyPolicy")) assertFalse(spec.has(dropped), spec.toString());
    }

    /** A service with a fixed address (and node port 30777 for a NodePort one): 201, or the test fails. */
    private static void createService(String services, String name, String ip, String type) {
        String port = type.equals("NodePort") ? "{\"port\":80,\"nodePort\":30777}" : "{\"port\":80}";
        Response r = admin().contentType(JSON).body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"type\":\"" + type + "\",\"clusterIP\":\"" + ip + "\",\"selector\":{\"app\":\"x\"},\"ports\":["
                + port + "]}}").post(services);
        assertEquals(201, r.statusCode(), r.asString());
        assertEquals(ip, json(r).path("spec").path("clusterIP").asText());
    }
}
