package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kube-apiserver's max-in-flight limits as a client meets them, on a cluster whose limits are 2 read-only and 1
 * mutating request: clients that do not read their large answers hold those places (a request counts until its answer
 * is written), the next request of that kind gets the filter's 429 with Retry-After, while health probes, a
 * system:masters user, watches and the other kind of request are still served; closing the slow clients frees them.
 */
class OverloadE2ETest {
    private static final String NS = "default";
    /** A slow client's receive buffer: far smaller than the answers it asks for. */
    private static final int TINY_BUFFER = 4096;

    @Test
    void aLoadAboveTheInFlightLimitsGets429WhileExemptRequestsAreServed(@TempDir Path dir) throws Exception {
        // a request deadline far beyond the test's length: on a loaded machine the default 60 s could end the slow
        // clients' requests, and free their places, before the test has asked for the 429s
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withMaxRequestsInFlight(2).withMaxMutatingRequestsInFlight(1)
                .withRequestTimeout(java.time.Duration.ofMinutes(30)))) {
            bigConfigMaps(c, NS);
            bigConfigMaps(c, "doomed");
            List<RawHttps> slow = new ArrayList<>();
            try {
                // two lists of 10 MB that their clients do not read fill the read-only places
                for (int i = 0; i < 2; i++) {
                    RawHttps conn = RawHttps.connect(c, TINY_BUFFER);
                    conn.send(request("GET", "/api/v1/namespaces/default/configmaps", "user-token", null));
                    slow.add(conn);
                }
                RawHttps.Response refused = untilStatus(c, 429, "GET", "/api/v1/namespaces/default/configmaps/big-0", "user-token", null);
                assertEquals("HTTP/1.1 429 Too Many Requests", refused.statusLine());
                assertEquals("1", refused.header("Retry-After"));
                assertEquals("text/plain; charset=utf-8", refused.header("Content-Type"));
                assertEquals("nosniff", refused.header("X-Content-Type-Options"));
                assertEquals("Too many requests, please try again later.\n", refused.body());

                // still served: probes, system:masters, a watch (long-running), a mutating request (its own limit)
                for (String probe : List.of("/readyz", "/livez", "/healthz")) {
                    RawHttps.Response r = once(c, "GET", probe, null, null);
                    assertEquals(200, r.status(), probe);
                    assertEquals("ok", r.body(), probe);
                }
                assertEquals(200, once(c, "GET", "/api/v1/namespaces/default/configmaps/big-0", "admin-token", null).status());
                try (RawHttps watch = RawHttps.connect(c)) {
                    watch.send(request("GET", "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=30", "user-token", null));
                    assertEquals(200, watch.readHead().status());
                }
                String small = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"small-%s\"}}";
                assertEquals(201, once(c, "POST", "/api/v1/namespaces/default/configmaps", "user-token",
                        String.format(small, "a")).status());

                // a delete of a collection whose 10 MB answer is not read fills the one mutating place; the POST
                // just answered may hold that place a moment longer (until its handler has returned on the
                // registry pool), and then the delete is refused: it is sent again until its answer has begun
                for (int attempt = 0; ; attempt++) {
                    RawHttps deleter = RawHttps.connect(c, TINY_BUFFER);
                    slow.add(deleter);
                    deleter.send(request("DELETE", "/api/v1/namespaces/doomed/configmaps", "user-token", null));
                    int status = deleter.readHead().status();
                    if (status == 200) break;
                    assertEquals(429, status, "the delete is served or refused for the place it waits for");
                    if (attempt == 100) throw new AssertionError("the delete never got the mutating place");
                    Thread.sleep(20);
                }
                untilStatus(c, 429, "POST", "/api/v1/namespaces/default/configmaps", "user-token", String.format(small, "b"));
                assertEquals(201, once(c, "POST", "/api/v1/namespaces/default/configmaps", "admin-token",
                        String.format(small, "c")).status());

                // the slow clients go away: their places are free again
                slow.forEach(RawHttps::close);
                untilStatus(c, 200, "GET", "/api/v1/namespaces/default/configmaps/big-0", "user-token", null);
                untilStatus(c, 201, "POST", "/api/v1/namespaces/default/configmaps", "user-token", String.format(small, "d"));
            } finally {
                slow.forEach(RawHttps::close);
            }
        }
    }

    @Test
    void aSlowReaderHoldsItsPlaceOnlyUntilTheRequestTimeout(@TempDir Path dir) throws Exception {
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withMaxRequestsInFlight(1)
                .withRequestTimeout(java.time.Duration.ofSeconds(3)))) {
            bigConfigMaps(c, NS);
            try (RawHttps slow = RawHttps.connect(c, TINY_BUFFER)) {
                slow.send(request("GET", "/api/v1/namespaces/default/configmaps", "user-token", null));
                untilStatus(c, 429, "GET", "/api/v1/namespaces/default/configmaps/big-0", "user-token", null);
                // at the deadline the server drops the connection it is still writing to, and the place is free
                untilStatus(c, 200, "GET", "/api/v1/namespaces/default/configmaps/big-0", "user-token", null);
                RawHttps.Response head = slow.readHead();
                assertEquals(200, head.status());
                long declared = Long.parseLong(head.header("Content-Length"));
                long received = slow.socket.getInputStream().readAllBytes().length; // up to the end of the connection
                assertTrue(received < declared, "the answer was cut: " + received + " of " + declared + " bytes");
            }
        }
    }

    /**
     * 100 ConfigMaps of 100 kB in the namespace: a list of them (or what deleting them all answers) is 10 MB, more than
     * the kernel buffers between server and a client that does not read (4 MB at most here), so its answer stays
     * unwritten.
     */
    private static void bigConfigMaps(KubefakeCluster c, String ns) {
        if (!ns.equals(NS)) {
            c.registry().resource("", "namespaces").create("", Json.parseObject(("{\"metadata\":{\"name\":\"" + ns
                    + "\"}}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        }
        ResourceStore configmaps = c.registry().resource("", "configmaps");
        String big = "x".repeat(100_000);
        for (int i = 0; i < 100; i++) {
            configmaps.create(ns, Json.parseObject(("{\"metadata\":{\"name\":\"big-" + i + "\"},\"data\":{\"k\":\""
                    + big + "\"}}").getBytes(StandardCharsets.UTF_8)), RequestContext.LOOPBACK);
        }
    }

    private static String request(String method, String path, String token, String body) {
        StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n");
        if (token != null) r.append("Authorization: Bearer ").append(token).append("\r\n");
        if (body != null) {
            r.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        return r.append("\r\n").append(body == null ? "" : body).toString();
    }

    private static RawHttps.Response once(KubefakeCluster c, String method, String path, String token, String body)
            throws IOException {
        try (RawHttps conn = RawHttps.connect(c)) {
            conn.send(request(method, path, token, body).getBytes(StandardCharsets.UTF_8));
            return conn.read();
        }
    }

    /** Repeats the request until it gets that status (the server takes a moment to see a request or a close). */
    private static RawHttps.Response untilStatus(KubefakeCluster c, int status, String method, String path, String token,
                                                 String body) throws Exception {
        RawHttps.Response last = null;
        for (int attempt = 0; attempt < 500; attempt++) {
            last = once(c, method, path, token, body);
            if (last.status() == status) return last;
            Thread.sleep(20);
        }
        throw new AssertionError("never " + status + " for " + method + " " + path + "; last: " + last);
    }
}
