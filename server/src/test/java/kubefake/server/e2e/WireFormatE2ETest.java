package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import kubefake.server.KubefakeCluster;
import kubefake.testkit.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes a client sees, as from a real 1.33 server: JSON bodies end with the Go encoder's newline; ?pretty and
 * curl/wget User-Agents get json.MarshalIndent's indentation (the recorded bodies byte for byte); protobuf objects,
 * lists, Status errors and watch events (length-prefixed over HTTP, binary messages over a WebSocket) read by the
 * generated classes of client-java-proto equal the JSON answers; 406 NotAcceptable where the real server gives it.
 */
class WireFormatE2ETest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NS = "wire";
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    private static final String KUBECTL_PROTOBUF = "application/vnd.kubernetes.protobuf,application/json";

    private static HttpClient http;

    @BeforeAll
    static void objects() throws Exception {
        KubefakeCluster c = TestCluster.get();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(c.pki().clientSslContext(null)).build();
        for (String ns : List.of(NS, "ref")) {
            send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}", Map.of());
        }
        create("/api/v1/namespaces/" + NS + "/configmaps", """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","labels":{"app":"wire","tier":"a"}},
                 "data":{"k":"v","empty":""},"binaryData":{"b":"AAEC"}}""");
        create("/api/v1/namespaces/" + NS + "/pods", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"wire"},"annotations":{"a":"1"}},
                 "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80,"name":"http"}],
                   "resources":{"requests":{"cpu":"100m","memory":"64Mi"}},"env":[{"name":"E","value":""}]}],
                   "terminationGracePeriodSeconds":0}}""");
        create("/api/v1/namespaces/" + NS + "/services", """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc"},
                 "spec":{"selector":{"app":"wire"},"ports":[{"name":"a","port":80,"targetPort":"http"},
                   {"name":"b","port":81,"targetPort":8081}]}}""");
        create("/apis/apps/v1/namespaces/" + NS + "/deployments", """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                 "spec":{"replicas":0,"selector":{"matchLabels":{"app":"d"}},
                   "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""");
    }

    // ---- JSON: the encoder's newline, indentation as json.MarshalIndent ----

    @Test
    void jsonBodiesEndWithTheNewlineOfGosEncoder() throws Exception {
        for (String path : List.of("/api/v1/namespaces/" + NS + "/configmaps/cm", "/api/v1/namespaces/" + NS + "/configmaps",
                "/api/v1/namespaces/" + NS + "/configmaps/nope", "/api/v1", "/apis", "/apis/apps/v1", "/api")) {
            HttpResponse<byte[]> r = send("GET", path, null, Map.of("Accept", "application/json"));
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(body.endsWith("}\n") && !body.startsWith("{\n"), path + ": " + body);
            assertEquals(Long.toString(r.body().length), r.headers().firstValue("Content-Length").orElse(""), path);
        }
        HttpResponse<byte[]> table = send("GET", "/api/v1/namespaces/" + NS + "/configmaps",
                null, Map.of("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
        assertTrue(new String(table.body(), StandardCharsets.UTF_8).endsWith("}\n"));
        HttpResponse<byte[]> created = send("POST", "/api/v1/namespaces/" + NS + "/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"nl-\"}}", Map.of());
        assertEquals(201, created.statusCode());
        assertTrue(new String(created.body(), StandardCharsets.UTF_8).endsWith("}\n"));
    }

    @Test
    void aListsTableRowsCarryEachObjectsWholeMetadataInEveryFormat() throws Exception {
        // pods whose metadata needs escaping, as the real server's rows carry it (includeObject=Metadata): managedFields
        // too; they name no scheduler that exists, so nothing writes them between the lists compared
        String ns = "wire-rows";
        create("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
        for (String name : List.of("esc", "plain")) {
            String pod = """
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"esc"},
                      "annotations":{"note":"<a href=\\"x\\">&amp;</a> é ✓ \\u2028 \\t end"}},
                     "spec":{"schedulerName":"none","containers":[{"name":"c","image":"nginx"}]}}""".formatted(name);
            // as clients do: the first pods wait for the namespace's default service account
            int status = 0;
            for (int i = 0; i < 200 && status != 201 && status != 409; i++) {
                if (i > 0) Thread.sleep(50);
                status = send("POST", "/api/v1/namespaces/" + ns + "/pods", pod, Map.of()).statusCode();
            }
            assertEquals(201, status, name);
        }
        JsonNode list = MAPPER.readTree(send("GET", "/api/v1/namespaces/" + ns + "/pods", null, Map.of("Accept", "application/json")).body());
        assertEquals(2, list.path("items").size());
        String table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        for (Map<String, String> headers : List.of(Map.of("Accept", table), Map.of("Accept", table, "User-Agent", "curl/8.5.0"),
                Map.of("Accept", "application/yaml;as=Table;v=v1;g=meta.k8s.io"))) {
            HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + ns + "/pods?limit=500", null, headers);
            assertEquals(200, r.statusCode(), headers.toString());
            boolean yaml = headers.get("Accept").startsWith("application/yaml");
            JsonNode body = yaml
                    ? new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(r.body()) : MAPPER.readTree(r.body());
            JsonNode rows = body.path("rows");
            assertEquals(list.path("items").size(), rows.size(), headers.toString());
            for (int i = 0; i < rows.size(); i++) {
                JsonNode object = rows.get(i).path("object");
                assertEquals("PartialObjectMetadata", object.path("kind").asText());
                JsonNode metadata = list.path("items").get(i).path("metadata");
                if (yaml) { // YAML's numbers and strings parse to other node types: compared field by field where it matters
                    assertEquals(metadata.path("uid").asText(), object.path("metadata").path("uid").asText());
                    assertEquals(metadata.path("annotations").path("note").asText(), object.path("metadata").path("annotations").path("note").asText());
                    assertEquals(metadata.path("managedFields").size(), object.path("metadata").path("managedFields").size());
                } else {
                    assertEquals(metadata, object.path("metadata"), headers + ": row " + i);
                }
                assertFalse(object.path("metadata").path("managedFields").isEmpty(), "the rows keep managedFields");
                assertEquals(object.path("metadata").path("name").asText(), rows.get(i).path("cells").get(0).asText());
            }
        }
        HttpResponse<byte[]> none = send("GET", "/api/v1/namespaces/" + ns + "/pods?includeObject=None", null, Map.of("Accept", table));
        for (JsonNode row : MAPPER.readTree(none.body()).path("rows")) assertTrue(row.path("object").isNull());
    }

    @Test
    void curlWgetAndBrowserUserAgentsGetTheIndentedJsonARealServerSends() throws Exception {
        // the recorded body was sent to curl; its Content-Length says it ends without a newline
        byte[] recorded = Reference.httpBody("err-notfound");
        for (String agent : List.of("curl/8.5.0", "Wget/1.21.3", "Mozilla/5.0 (X11; Linux x86_64)")) {
            HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/ref/pods/nope", null,
                    Map.of("Accept", "application/json", "User-Agent", agent));
            assertEquals(404, r.statusCode());
            assertEquals(new String(recorded, StandardCharsets.UTF_8), new String(r.body(), StandardCharsets.UTF_8), agent);
            assertEquals(Reference.httpContentLength("err-notfound"), r.headers().firstValue("Content-Length").orElse(""));
        }
        HttpResponse<byte[]> wgetLowerCase = send("GET", "/api/v1/namespaces/ref/pods/nope", null, Map.of("User-Agent", "wget"));
        assertTrue(new String(wgetLowerCase.body(), StandardCharsets.UTF_8).endsWith("}\n"), "only Wget with a capital W");
    }

    @Test
    void thePrettyParameterIsReadAsGosParseBool() throws Exception {
        byte[] recorded = Reference.httpBody("err-notfound");
        for (String value : List.of("1", "t", "T", "true", "True", "TRUE")) {
            HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/ref/pods/nope?pretty=" + value, null, Map.of());
            assertArrayEquals(recorded, r.body(), "pretty=" + value);
        }
        for (String value : List.of("0", "false", "yes")) {
            HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/ref/pods/nope?pretty=" + value, null,
                    Map.of("User-Agent", "curl/8.5.0"));
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(body.startsWith("{\"kind\":\"Status\"") && body.endsWith("}\n"), "pretty=" + value + ": " + body);
        }
        // at one resourceVersion: the cluster's own writes (heartbeats) move a plain list's version between two reads
        String rv = MAPPER.readTree(send("GET", "/api/v1/namespaces/" + NS + "/configmaps", null, Map.of()).body())
                .path("metadata").path("resourceVersion").asText();
        String atRv = "resourceVersion=" + rv + "&resourceVersionMatch=Exact";
        HttpResponse<byte[]> list = send("GET", "/api/v1/namespaces/" + NS + "/configmaps?pretty=true&" + atRv, null, Map.of());
        String body = new String(list.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\n  \"kind\": \"ConfigMapList\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {\n"), body);
        assertFalse(body.endsWith("\n"));
        assertEquals(MAPPER.readTree(send("GET", "/api/v1/namespaces/" + NS + "/configmaps?" + atRv, null, Map.of()).body()),
                MAPPER.readTree(list.body()));
    }

    @Test
    void versionIsAlwaysIndentedWithoutANewline() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/version", null, Map.of());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\n  \"major\": \"1\",\n  \"minor\": \"33\","), body);
        assertTrue(body.endsWith("\n}"), body);
    }

    // ---- protobuf ----

    @Test
    void protobufObjectsReadByTheGeneratedClassesEqualTheJsonAnswers() throws Exception {
        assertProtobufEqualsJson("/api/v1/namespaces/" + NS + "/configmaps/cm", "v1", "ConfigMap", V1.ConfigMap.parser());
        assertProtobufEqualsJson("/api/v1/namespaces/" + NS + "/pods/p", "v1", "Pod", V1.Pod.parser());
        assertProtobufEqualsJson("/api/v1/namespaces/" + NS + "/services/svc", "v1", "Service", V1.Service.parser());
        assertProtobufEqualsJson("/apis/apps/v1/namespaces/" + NS + "/deployments/d", "apps/v1", "Deployment", V1Apps.Deployment.parser());
        assertProtobufEqualsJson("/api/v1/nodes/w1-k8s", "v1", "Node", V1.Node.parser());
        V1Apps.Deployment d = V1Apps.Deployment.parseFrom(protobuf("/apis/apps/v1/namespaces/" + NS + "/deployments/d").getRaw());
        assertTrue(d.getSpec().hasReplicas(), "a pointer set to 0 travels");
        assertEquals(0, d.getSpec().getReplicas());
    }

    @Test
    void protobufListsReadByTheGeneratedClassesEqualTheJsonLists() throws Exception {
        Runtime.Unknown u = protobuf("/api/v1/namespaces/" + NS + "/pods");
        assertEquals("PodList", u.getTypeMeta().getKind());
        V1.PodList pods = V1.PodList.parseFrom(u.getRaw());
        // the same list in JSON at the same revision: the simulated kubelets change pods in between
        JsonNode json = MAPPER.readTree(send("GET", "/api/v1/namespaces/" + NS + "/pods?resourceVersionMatch=Exact&resourceVersion="
                + pods.getMetadata().getResourceVersion(), null, Map.of()).body());
        assertEquals(json.path("items").size(), pods.getItemsCount());
        assertEquals(json.path("metadata").path("resourceVersion").asText(), pods.getMetadata().getResourceVersion());
        for (int i = 0; i < pods.getItemsCount(); i++) ProtoJson.assertSameContent(json.path("items").get(i), pods.getItems(i));

        V1.NodeList nodes = V1.NodeList.parseFrom(protobuf("/api/v1/nodes").getRaw());
        assertEquals(4, nodes.getItemsCount());
    }

    @Test
    void kubectlsAcceptGetsProtobufAndTablesStayJson() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps/cm", null, Map.of("Accept", KUBECTL_PROTOBUF));
        assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<byte[]> table = send("GET", "/api/v1/namespaces/" + NS + "/configmaps", null, Map.of("Accept",
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io"));
        assertEquals("application/json", table.headers().firstValue("Content-Type").orElse(""));
        assertEquals("Table", MAPPER.readTree(table.body()).path("kind").asText());
        HttpResponse<byte[]> plain = send("GET", "/api/v1/namespaces/" + NS + "/configmaps", null, Map.of("Accept",
                "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json"));
        assertEquals("ConfigMapList", MAPPER.readTree(plain.body()).path("kind").asText(), "the Table clause is skipped");
        HttpResponse<byte[]> q = send("GET", "/api/v1/namespaces/" + NS + "/configmaps/cm", null,
                Map.of("Accept", "application/json;q=0.5, application/vnd.kubernetes.protobuf"));
        assertEquals(PROTOBUF, q.headers().firstValue("Content-Type").orElse(""), "the higher q-value wins");
    }

    @Test
    void partialObjectMetadataTravelsAsProtobuf() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps/cm", null,
                Map.of("Accept", "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"));
        Runtime.Unknown u = ProtoJson.envelope(r.body());
        assertEquals("meta.k8s.io/v1", u.getTypeMeta().getApiVersion());
        Meta.PartialObjectMetadata partial = Meta.PartialObjectMetadata.parseFrom(u.getRaw());
        assertEquals("cm", partial.getMetadata().getName());
        assertEquals("wire", partial.getMetadata().getLabelsMap().get("app"));

        HttpResponse<byte[]> list = send("GET", "/api/v1/namespaces/" + NS + "/configmaps", null,
                Map.of("Accept", "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"));
        Meta.PartialObjectMetadataList items = Meta.PartialObjectMetadataList.parseFrom(ProtoJson.envelope(list.body()).getRaw());
        assertTrue(items.getItemsList().stream().anyMatch(i -> i.getMetadata().getName().equals("cm")));
    }

    @Test
    void statusErrorsToAProtobufClientAreProtobufStatuses() throws Exception {
        HttpResponse<byte[]> json = send("GET", "/api/v1/namespaces/" + NS + "/configmaps/nope", null, Map.of());
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps/nope", null, Map.of("Accept", PROTOBUF));
        assertEquals(404, r.statusCode());
        assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(""));
        Runtime.Unknown u = ProtoJson.envelope(r.body());
        assertEquals("v1", u.getTypeMeta().getApiVersion());
        assertEquals("Status", u.getTypeMeta().getKind());
        ProtoJson.assertSameContent(MAPPER.readTree(json.body()), Meta.Status.parseFrom(u.getRaw()));

        HttpResponse<byte[]> invalid = send("POST", "/api/v1/namespaces/" + NS + "/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}", Map.of("Accept", PROTOBUF));
        assertEquals(422, invalid.statusCode());
        Meta.Status status = Meta.Status.parseFrom(ProtoJson.envelope(invalid.body()).getRaw());
        assertEquals("Invalid", status.getReason());
        assertEquals("metadata.name", status.getDetails().getCauses(0).getField());
    }

    @Test
    void protobufWatchEventsAreLengthPrefixedFramesThatEqualTheJsonEvents() throws Exception {
        String ns = "wire-watch";
        send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}", Map.of());
        for (String name : List.of("a", "b")) {
            create("/api/v1/namespaces/" + ns + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
                    + name + "\"},\"data\":{\"n\":\"" + name + "\"}}");
        }
        String path = "/api/v1/namespaces/" + ns + "/configmaps?watch=1&resourceVersion=0&timeoutSeconds=30";
        HttpResponse<InputStream> proto = http.send(request("GET", path, null, Map.of("Accept", PROTOBUF)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals("application/vnd.kubernetes.protobuf;stream=watch", proto.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<InputStream> json = http.send(request("GET", path, null, Map.of()).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (DataInputStream frames = new DataInputStream(proto.body());
             var lines = new java.io.BufferedReader(new java.io.InputStreamReader(json.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 2; i++) {
                byte[] frame = new byte[frames.readInt()];
                frames.readFully(frame);
                Meta.WatchEvent event = Meta.WatchEvent.parseFrom(frame);
                JsonNode jsonEvent = MAPPER.readTree(lines.readLine());
                assertEquals(jsonEvent.path("type").asText(), event.getType());
                Runtime.Unknown u = ProtoJson.envelope(event.getObject().getRaw().toByteArray());
                assertEquals("ConfigMap", u.getTypeMeta().getKind());
                ProtoJson.assertSameContent(jsonEvent.path("object"), V1.ConfigMap.parseFrom(u.getRaw()));
            }
        }
    }

    @Test
    void aProtobufWatchFromACompactedRevisionEndsWithAnErrorEventHoldingAStatus() throws Exception {
        var store = TestCluster.get().registry().store();
        create("/api/v1/namespaces/" + NS + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"old\"}}");
        store.compact(store.currentRevision());
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps?watch=1&resourceVersion=1&timeoutSeconds=5",
                null, Map.of("Accept", PROTOBUF));
        assertEquals(200, r.statusCode());
        ByteBuffer stream = ByteBuffer.wrap(r.body());
        byte[] frame = new byte[stream.getInt()];
        stream.get(frame);
        assertFalse(stream.hasRemaining(), "one event");
        Meta.WatchEvent event = Meta.WatchEvent.parseFrom(frame);
        assertEquals("ERROR", event.getType());
        Runtime.Unknown u = ProtoJson.envelope(event.getObject().getRaw().toByteArray());
        assertEquals("Status", u.getTypeMeta().getKind());
        Meta.Status status = Meta.Status.parseFrom(u.getRaw());
        assertEquals(410, status.getCode());
        assertEquals("Expired", status.getReason());
        assertTrue(status.getMessage().startsWith("too old resource version: 1 ("), status.getMessage());
    }

    @Test
    void protobufWatchOverAWebSocketIsOneBinaryMessagePerEventWithoutLength() throws Exception {
        String ns = "wire-ws";
        send("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}", Map.of());
        create("/api/v1/namespaces/" + ns + "/configmaps", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"w\"}}");
        LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TestCluster.ADMIN_TOKEN).header("Accept", PROTOBUF)
                .buildAsync(URI.create("wss://127.0.0.1:" + TestCluster.get().port() + "/api/v1/namespaces/" + ns
                        + "/configmaps?watch=1&resourceVersion=0&fieldSelector=metadata.name%3Dw"), new WebSocket.Listener() {
                    private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        partial.writeBytes(b);
                        if (last) {
                            messages.add(partial.toByteArray());
                            partial.reset();
                        }
                        w.request(1);
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        w.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no event");
            assertTrue(message instanceof byte[], "a binary message: " + message);
            Meta.WatchEvent event = Meta.WatchEvent.parseFrom((byte[]) message);
            assertEquals("ADDED", event.getType());
            assertEquals("w", V1.ConfigMap.parseFrom(ProtoJson.envelope(event.getObject().getRaw().toByteArray()).getRaw())
                    .getMetadata().getName());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    // ---- 406 NotAcceptable ----

    @Test
    void tablesAskedOnlyAsProtobufAre406WithTheStatusAsIndentedJson() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps", null,
                Map.of("Accept", "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io"));
        assertEquals(406, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        // nothing acceptable: the real server writes the Status with WriteRawJSON, indented and without a newline
        assertEquals("""
                {
                  "kind": "Status",
                  "apiVersion": "v1",
                  "metadata": {},
                  "status": "Failure",
                  "message": "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
                  "reason": "NotAcceptable",
                  "code": 406
                }""", body);
        HttpResponse<byte[]> html = send("GET", "/api/v1/namespaces/" + NS + "/configmaps/nope", null, Map.of("Accept", "text/html"));
        assertEquals(406, html.statusCode(), "the media type is negotiated before the object is looked up");
        assertEquals(body, new String(html.body(), StandardCharsets.UTF_8));
        assertEquals(406, send("GET", "/api/v1", null, Map.of("Accept", "text/html")).statusCode());
    }

    @Test
    void aYamlWatchIs406WithTheStreamMediaTypesInYaml() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps?watch=1", null, Map.of("Accept", "application/yaml"));
        assertEquals(406, r.statusCode());
        assertEquals("application/yaml", r.headers().firstValue("Content-Type").orElse(""));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("reason: NotAcceptable"), body);
        assertTrue(body.replace("\\\n  \\", "").contains(
                "only the following media types are accepted: application/json;stream=watch, application/vnd.kubernetes.protobuf;stream=watch"), body);
    }

    @Test
    void partialObjectMetadataOfAListIs406() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/" + NS + "/configmaps", null,
                Map.of("Accept", "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"));
        assertEquals(406, r.statusCode());
        assertEquals("you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)",
                MAPPER.readTree(r.body()).path("message").asText());
    }

    // ---- helpers ----

    private void assertProtobufEqualsJson(String path, String apiVersion, String kind, com.google.protobuf.Parser<? extends Message> parser)
            throws Exception {
        Runtime.Unknown u = protobuf(path);
        assertEquals(apiVersion, u.getTypeMeta().getApiVersion(), path);
        assertEquals(kind, u.getTypeMeta().getKind(), path);
        assertEquals("", u.getContentEncoding());
        JsonNode json = MAPPER.readTree(send("GET", path, null, Map.of()).body());
        ProtoJson.assertSameContent(json, parser.parseFrom(u.getRaw()));
    }

    private static Runtime.Unknown protobuf(String path) throws Exception {
        HttpResponse<byte[]> r = send("GET", path, null, Map.of("Accept", PROTOBUF));
        assertEquals(200, r.statusCode(), path);
        assertEquals(PROTOBUF, r.headers().firstValue("Content-Type").orElse(""), path);
        return ProtoJson.envelope(r.body());
    }

    private static void create(String path, String body) throws Exception {
        HttpResponse<byte[]> r = send("POST", path, body, Map.of());
        assertTrue(r.statusCode() == 201 || r.statusCode() == 409, path + ": " + new String(r.body(), StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        return http.send(request(method, path, body, headers).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest.Builder request(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + TestCluster.get().port() + path))
                .header("Authorization", "Bearer " + TestCluster.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        headers.forEach(b::header);
        return b;
    }
}
