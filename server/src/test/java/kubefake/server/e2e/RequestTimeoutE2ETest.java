package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kube-apiserver's --request-timeout as a client meets it: a request not answered in time gets the timeout filter's
 * 504 (a bare Status the server sends as text/plain), a client's {@code ?timeout=} shortens the limit (a malformed one
 * is a 400), and watches are exempt, ending at their timeoutSeconds or after --min-request-timeout × [1, 2).
 */
class RequestTimeoutE2ETest {
    private static final String TIMED_OUT = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Timeout: request did not"
            + " complete within the allotted timeout\",\"reason\":\"Timeout\",\"details\":{},\"code\":504}\n";

    /** A list big enough that building and sending it takes well over a millisecond. */
    private static void manyConfigMaps(KubefakeCluster c, String ns) {
        if (!ns.equals("default")) {
            c.registry().resource("", "namespaces").create("", Json.parseObject(("{\"metadata\":{\"name\":\"" + ns + "\"}}")
                    .getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        }
        ResourceStore configmaps = c.registry().resource("", "configmaps");
        for (int i = 0; i < 3000; i++) {
            configmaps.create(ns, Json.parseObject(("{\"metadata\":{\"name\":\"cm-" + i + "\"},\"data\":{\"k\":\"" + "v".repeat(200)
                    + "\"}}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        }
    }

    private static RawHttps.Response get(KubefakeCluster c, String path) throws IOException {
        try (RawHttps conn = RawHttps.connect(c)) {
            conn.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                    + "Authorization: Bearer " + TestCluster.ADMIN_TOKEN + "\r\n\r\n");
            return path.contains("watch=1") ? conn.readHead() : conn.read();
        }
    }

    @Test
    void aRequestNotAnsweredWithinTheConfiguredTimeoutGets504(@TempDir Path dir) throws Exception {
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withRequestTimeout(Duration.ofMillis(1)))) {
            manyConfigMaps(c, "default");
            RawHttps.Response r = get(c, "/api/v1/namespaces/default/configmaps");
            assertEquals("HTTP/1.1 504 Gateway Timeout", r.statusLine());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertEquals(TIMED_OUT, r.body());
            // a body that never comes: the same 504, and the connection is closed
            try (RawHttps conn = RawHttps.connect(c)) {
                conn.send("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer admin-token\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
                RawHttps.Response stalled = conn.read();
                assertEquals("HTTP/1.1 504 Gateway Timeout", stalled.statusLine());
                assertEquals("close", stalled.header("Connection"));
                assertEquals(TIMED_OUT, stalled.body());
                assertTrue(conn.closedByServer());
            }
        }
    }

    @Test
    void aClientsTimeoutParameterShortensTheLimit() throws Exception {
        KubefakeCluster c = TestCluster.get();
        manyConfigMaps(c, "request-timeout");
        assertEquals(TIMED_OUT, get(c, "/api/v1/namespaces/request-timeout/configmaps?timeout=1ms").body());
        assertEquals(200, get(c, "/api/v1/namespaces/request-timeout/configmaps?timeout=30s").status());
        // 0 (or a negative value) leaves the server's limit
        assertEquals(200, get(c, "/api/v1/namespaces/request-timeout/configmaps?limit=1&timeout=0s").status());
        RawHttps.Response bad = get(c, "/api/v1/namespaces/request-timeout/configmaps?timeout=soon");
        assertEquals(400, bad.status());
        assertEquals("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + "\"invalid timeout specified in the request URL - time: invalid duration \\\"soon\\\"\",\"reason\":\"BadRequest\","
                + "\"code\":400}", bad.body().strip());
        // a watch is long-running: the parameter is not read
        RawHttps.Response watch = get(c, "/api/v1/namespaces/request-timeout/configmaps?watch=1&timeoutSeconds=1&timeout=soon");
        assertEquals(200, watch.status());
    }

    @Test
    void watchesAreExemptAndEndAtTheirOwnTimeout(@TempDir Path dir) throws Exception {
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withRequestTimeout(Duration.ofMillis(1))
                .withMinRequestTimeout(Duration.ofSeconds(1)))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(c.pki().clientSslContext(null)).build();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (String query : new String[] {"watch=1&timeoutSeconds=1", "watch=1"}) {
                    long started = System.nanoTime();
                    HttpResponse<InputStream> watch = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                                    + c.port() + "/api/v1/namespaces/default/configmaps?" + query))
                            .header("Authorization", "Bearer admin-token").build(), HttpResponse.BodyHandlers.ofInputStream());
                    assertEquals(200, watch.statusCode(), query);
                    try (InputStream in = watch.body()) {
                        in.readAllBytes(); // until the server ends the stream
                    }
                    assertTrue(System.nanoTime() - started >= Duration.ofSeconds(1).toNanos(),
                            query + ": a watch lasts at least its timeout");
                }
            });
        }
    }
}
