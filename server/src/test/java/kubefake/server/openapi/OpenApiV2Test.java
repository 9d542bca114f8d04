package kubefake.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiV2Test {
    private static final String PROTO_ACCEPT = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /** The recorded HEAD /openapi/v2 (protobuf): the ETag is the SHA-512 of the JSON, the length the protobuf's. */
    private static Map<String, String> recordedHead() throws IOException {
        List<String> lines = Files.readAllLines(Reference.root().resolve("http/openapi-v2-protobuf-head.head"));
        Map<String, String> headers = new java.util.HashMap<>();
        for (String l : lines) {
            Matcher m = Pattern.compile("^([a-z-]+): (.*)$").matcher(l);
            if (m.matches()) headers.put(m.group(1), m.group(2));
        }
        return headers;
    }

    @Test
    void theWholeDocumentIsTheRealServersByteForByteInJsonAndProtobuf() throws Exception {
        ObjectNode doc = OpenApiV2.bundled();
        byte[] json = Json.bytes(doc);
        String etag = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(json));
        Map<String, String> head = recordedHead();
        assertEquals(head.get("etag"), "\"" + etag + "\"");
        assertEquals(Integer.parseInt(head.get("content-length")), GnosticV2Protobuf.encode(doc).length);
    }

    @Test
    void extensionValuesAreTheYamlGoYamlWrites() {
        assertEquals("merge\n", GnosticYaml.of(Json.MAPPER.valueToTree("merge")));
        assertEquals("'*'\n", GnosticYaml.of(Json.MAPPER.valueToTree("*")));
        assertEquals("\"\"\n", GnosticYaml.of(Json.MAPPER.valueToTree("")));
        assertEquals("\"true\"\n", GnosticYaml.of(Json.MAPPER.valueToTree("true")));
        assertEquals("- containerPort\n- protocol\n",
                GnosticYaml.of(Json.MAPPER.valueToTree(List.of("containerPort", "protocol"))));
        JsonNode gvk = Json.parseObject("""
                {"x":[{"group":"","kind":"Pod","version":"v1"}]}""".getBytes(StandardCharsets.UTF_8)).get("x");
        assertEquals("- group: \"\"\n  kind: Pod\n  version: v1\n", GnosticYaml.of(gvk));
        JsonNode union = Json.parseObject("""
                {"x":[{"discriminator":"type","fields-to-discriminateBy":{"rollingUpdate":"RollingUpdate"}}]}"""
                .getBytes(StandardCharsets.UTF_8)).get("x");
        assertEquals("- discriminator: type\n  fields-to-discriminateBy:\n    rollingUpdate: RollingUpdate\n",
                GnosticYaml.of(union));
    }

    private static OpenApiV2 servingPodsAndDeployments() {
        return new OpenApiV2(Map.of("v1", Set.of("pods", "pods/status", "namespaces"),
                "apps/v1", Set.of("deployments", "deployments/scale")));
    }

    @Test
    void onlyTheServedResourcesPathsAndWhatTheyReach() {
        JsonNode doc = Json.parseObject(servingPodsAndDeployments().served().json());
        List<String> paths = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(paths::add);
        assertTrue(paths.contains("/api/v1/namespaces/{namespace}/pods/{name}/status"), paths.toString());
        assertTrue(paths.contains("/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}"));
        assertTrue(paths.contains("/apis/apps/"));
        assertTrue(paths.contains("/api/v1/namespaces/{name}"));
        assertFalse(paths.contains("/api/v1/namespaces/{namespace}/pods/{name}/eviction"));
        assertFalse(paths.contains("/api/v1/namespaces/{name}/finalize"));
        assertFalse(paths.contains("/apis/apps/v1/namespaces/{namespace}/statefulsets"));
        assertFalse(paths.contains("/apis/batch/"));
        assertFalse(paths.contains("/.well-known/openid-configuration/"));
        assertEquals(paths.stream().sorted().toList(), paths, "sorted as the real server writes them");
        JsonNode definitions = doc.get("definitions");
        assertTrue(definitions.has("io.k8s.api.core.v1.Pod"));
        assertTrue(definitions.has("io.k8s.api.core.v1.PodSpec"));
        assertTrue(definitions.has("io.k8s.api.autoscaling.v1.Scale"));
        assertFalse(definitions.has("io.k8s.api.apps.v1.StatefulSet"));
        assertFalse(definitions.has("io.k8s.api.batch.v1.Job"));
        assertTrue(doc.get("parameters").has("pretty-tJGM1-ng"));
        assertFalse(doc.get("parameters").has("stdin-PSzNhyUC"), "only exec and attach use it");
        assertEquals("Kubernetes", doc.at("/info/title").asText());
    }

    @Test
    void contributedDefinitionsAreServedWithANewEtag() {
        OpenApiV2 v2 = servingPodsAndDeployments();
        OpenApiV2.Served before = v2.served();
        ObjectNode paths = Json.parseObject("""
                {"/apis/example.com/v1/namespaces/{namespace}/widgets":{"get":{"responses":{"200":{"description":"OK",
                "schema":{"$ref":"#/definitions/com.example.v1.WidgetList"}}}}}}""".getBytes(StandardCharsets.UTF_8));
        ObjectNode definitions = Json.parseObject("""
                {"com.example.v1.WidgetList":{"type":"object","properties":{"items":{"type":"array",
                "items":{"$ref":"#/definitions/com.example.v1.Widget"}}}},
                "com.example.v1.Widget":{"type":"object","x-kubernetes-group-version-kind":
                [{"group":"example.com","kind":"Widget","version":"v1"}]}}""".getBytes(StandardCharsets.UTF_8));
        v2.contribute("crd/widgets.example.com", paths, definitions);
        OpenApiV2.Served after = v2.served();
        assertNotEquals(before.etag(), after.etag());
        JsonNode doc = Json.parseObject(after.json());
        assertTrue(doc.get("definitions").has("com.example.v1.Widget"));
        assertTrue(doc.get("paths").has("/apis/example.com/v1/namespaces/{namespace}/widgets"));
        v2.contribute("crd/widgets.example.com", null, null);
        assertEquals(before.etag(), v2.served().etag());
    }

    @Test
    void aContributedDefinitionNamedLikeABuiltInOneLeavesTheBuiltInOne() {
        OpenApiV2 v2 = servingPodsAndDeployments();
        ObjectNode paths = Json.parseObject("""
                {"/apis/metrics.k8s.io/v1beta1/nodes":{"get":{"responses":{"200":{"description":"OK",
                "schema":{"$ref":"#/definitions/io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics"}}}}}}""".getBytes(StandardCharsets.UTF_8));
        ObjectNode definitions = Json.parseObject("""
                {"io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics":{"type":"object","properties":{"metadata":
                {"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}}},
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta":{"description":"an older copy","type":"object"}}"""
                .getBytes(StandardCharsets.UTF_8));
        v2.contribute("metrics.k8s.io/v1beta1", paths, definitions);
        JsonNode doc = Json.parseObject(v2.served().json());
        assertTrue(doc.get("definitions").has("io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics"));
        assertEquals(OpenApiV2.bundled().at("/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
                doc.at("/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    }

    @Test
    void protobufCarriesTheDocument() throws IOException {
        OpenApiV2.Served s = servingPodsAndDeployments().served();
        // Document: swagger (1), info (2), paths (8), definitions (9), parameters (10), security (12), securityDefinitions (13)
        CodedInputStream in = CodedInputStream.newInstance(s.protobuf());
        List<Integer> fields = new ArrayList<>();
        int pathCount = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int number = WireFormat.getTagFieldNumber(tag);
            fields.add(number);
            if (number == 1) assertEquals("2.0", in.readString());
            else if (number == 8) {
                CodedInputStream paths = CodedInputStream.newInstance(in.readByteArray());
                while (!paths.isAtEnd()) {
                    int pathTag = paths.readTag();
                    assertEquals(2, WireFormat.getTagFieldNumber(pathTag));
                    paths.skipField(pathTag);
                    pathCount++;
                }
            } else in.skipField(tag);
        }
        assertEquals(List.of(1, 2, 8, 9, 10, 12, 13), fields);
        assertEquals(Json.parseObject(s.json()).get("paths").size(), pathCount);
    }

    @Test
    void negotiationAndCaching() {
        OpenApiV2 v2 = servingPodsAndDeployments();
        Reply proto = OpenApiV2Endpoint.answer(v2, PROTO_ACCEPT, null, null);
        assertEquals(200, proto.status());
        assertEquals("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", proto.contentType());
        assertArrayEquals(v2.served().protobuf(), proto.body());
        String etag = proto.headers().get("Etag");
        assertEquals("\"" + v2.served().etag() + "\"", etag);
        assertEquals("bytes", proto.headers().get("Accept-Ranges"));
        assertEquals("Accept", proto.headers().get("Vary"));
        assertTrue(proto.headers().get("Last-Modified").matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"));

        Reply json = OpenApiV2Endpoint.answer(v2, null, null, null);
        assertEquals("application/json", json.contentType());
        assertEquals(etag, json.headers().get("Etag"), "one ETag for both forms");
        assertEquals("application/json", OpenApiV2Endpoint.answer(v2, "*/*", null, null).contentType());
        assertEquals("application/json", OpenApiV2Endpoint.answer(v2, "application/json, " + PROTO_ACCEPT, null, null).contentType());
        assertEquals(OpenApiV2Endpoint.PROTOBUF,
                OpenApiV2Endpoint.answer(v2, "application/json;q=0.5, " + PROTO_ACCEPT, null, null).contentType());
        assertEquals(406, OpenApiV2Endpoint.answer(v2, "text/html", null, null).status());

        Reply notModified = OpenApiV2Endpoint.answer(v2, PROTO_ACCEPT, etag, null);
        assertEquals(304, notModified.status());
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.headers().get("Etag"));
        assertNull(notModified.headers().get("Last-Modified"));
        assertEquals(200, OpenApiV2Endpoint.answer(v2, PROTO_ACCEPT, "\"OTHER\"", null).status());
        assertEquals(304, OpenApiV2Endpoint.answer(v2, PROTO_ACCEPT, null, proto.headers().get("Last-Modified")).status());
        assertEquals(200, OpenApiV2Endpoint.answer(v2, PROTO_ACCEPT, null, "Mon, 01 Jan 2001 00:00:00 GMT").status());
    }
}
