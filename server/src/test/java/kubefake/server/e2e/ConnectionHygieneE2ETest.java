package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client sees of the connection rules Go's http.Server applies for kube-apiserver: header limits, malformed
 * requests, the read-header timeout against slowloris, the idle timeout, and kubefake's cap on open connections.
 * Clusters with short timeouts stand in for the real 32 s and 90 s.
 */
class ConnectionHygieneE2ETest {
    private static final int SLOWLORIS = 2_000;
    private static final int SLOWLORIS_TLS = 100;

    @Test
    void aHeaderOverOneMebibyteGets431AndTheConnectionIsClosed() throws Exception {
        KubefakeCluster c = TestCluster.get();
        String big = "x".repeat(1100 * 1024);
        // Go counts the request line with the headers: a 1.1 MiB URL is refused alike
        for (String request : List.of("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + "\r\n\r\n",
                "GET /readyz?x=" + big + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            try (RawHttps conn = RawHttps.connect(c)) {
                conn.send(request);
                RawHttps.Response r = conn.read(); // no Content-Length: the body ends with the connection
                assertEquals("HTTP/1.1 431 Request Header Fields Too Large", r.statusLine());
                assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
                assertEquals("close", r.header("Connection"));
                assertEquals("431 Request Header Fields Too Large", r.body());
                assertTrue(conn.closedByServer());
            }
        }
        // Go's limit is 1 MiB (plus its 4 KiB of slop): a header just under it is served
        try (RawHttps conn = RawHttps.connect(c)) {
            conn.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(1000 * 1024) + "\r\n\r\n");
            RawHttps.Response r = conn.read();
            assertEquals(200, r.status());
            assertEquals("ok", r.body());
        }
    }

    @Test
    void malformedRequestsGetGoServersAnswerAndTheConnectionIsClosed() throws Exception {
        KubefakeCluster c = TestCluster.get();
        String[][] cases = {
                {"NOT-HTTP\r\n\r\n", "HTTP/1.1 400 Bad Request", "400 Bad Request"},
                {"GET /readyz HTTP/1.1\r\nNo Colon Here\r\n\r\n", "HTTP/1.1 400 Bad Request", "400 Bad Request"},
                {"GET /readyz HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request: missing required Host header",
                        "400 Bad Request: missing required Host header"},
                {"GET /readyz HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported: unsupported protocol version",
                        "505 HTTP Version Not Supported: unsupported protocol version"},
        };
        for (String[] k : cases) {
            try (RawHttps conn = RawHttps.connect(c)) {
                conn.send(k[0]);
                RawHttps.Response r = conn.read();
                assertEquals(k[1], r.statusLine(), k[0]);
                assertEquals("close", r.header("Connection"), k[0]);
                assertEquals("text/plain; charset=utf-8", r.header("Content-Type"), k[0]);
                assertEquals(k[2], r.body(), k[0]);
                assertTrue(conn.closedByServer(), k[0]);
            }
        }
        // an HTTP/1.0 request needs no Host
        try (RawHttps conn = RawHttps.connect(c)) {
            conn.send("GET /readyz HTTP/1.0\r\n\r\n");
            assertEquals(200, conn.read().status());
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout(@TempDir Path dir) throws Exception {
        // a long read-header timeout: only the idle timeout can end this connection within the test
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withIdleTimeout(Duration.ofMillis(300))
                .withReadHeaderTimeout(Duration.ofMinutes(5)));
             RawHttps conn = RawHttps.connect(c)) {
            for (int i = 0; i < 2; i++) {
                conn.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                RawHttps.Response r = conn.read();
                assertEquals(200, r.status());
                assertEquals("keep-alive", r.header("Connection"));
            }
            assertTrue(conn.closedByServer(), "closed while waiting for a next request");
        }
    }

    /**
     * 2,000 slowloris connections, each sending one byte every 100 ms and never finishing: 100 complete the TLS
     * handshake and trickle an HTTP request's headers, 1,900 trickle their TLS ClientHello (as cheap for an attacker,
     * and as Go bounds the handshake by the same timeout). All are closed by the read-header timeout while a client's
     * GETs keep being answered. (100 full handshakes keep the test short: each costs milliseconds of both sides' CPU
     * in this one JVM; bench/slowloris.py sends 2,000 full-TLS ones at a running server.)
     */
    @Test
    void slowlorisConnectionsAreClosedByTheHeaderTimeoutWhileRequestsAreServed(@TempDir Path dir) throws Exception {
        // a long idle timeout: only the read-header timeout can end these connections within the test
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withReadHeaderTimeout(Duration.ofSeconds(1))
                .withIdleTimeout(Duration.ofMinutes(5)))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(c.pki().clientSslContext(null)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + c.port() + "/api/v1/namespaces/default"))
                    .header("Authorization", "Bearer admin-token").build();

            List<Slowloris> attackers = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> tlsOpening = pool.submit(() -> {
                    for (int i = 0; i < SLOWLORIS_TLS; i++) attackers.add(Slowloris.headers(c));
                    return null;
                });
                Future<?> helloOpening = pool.submit(() -> {
                    for (int i = 0; i < SLOWLORIS - SLOWLORIS_TLS; i++) attackers.add(Slowloris.clientHello(c));
                    return null;
                });
                List<Future<?>> opening = List.of(tlsOpening, helloOpening);
                Future<Integer> drip = pool.submit(() -> {
                    int closed = 0;
                    List<Slowloris> open = new ArrayList<>();
                    while (true) {
                        boolean allOpened = opening.stream().allMatch(Future::isDone);
                        synchronized (attackers) {
                            open.addAll(attackers);
                            attackers.clear();
                        }
                        for (var it = open.iterator(); it.hasNext(); ) {
                            Slowloris conn = it.next();
                            if (!conn.oneMoreByte()) {
                                it.remove();
                                closed++;
                            }
                        }
                        if (allOpened && open.isEmpty()) return closed;
                        Thread.sleep(100);
                    }
                });
                int served = 0;
                while (!opening.stream().allMatch(Future::isDone) || served < 20) {
                    HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    served++;
                    Thread.sleep(20);
                }
                for (Future<?> f : opening) f.get();
                int closed = drip.get(60, TimeUnit.SECONDS);
                assertEquals(SLOWLORIS, closed, "every slowloris connection is closed by the server");
                assertEquals(200, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            } finally {
                pool.shutdownNow();
                synchronized (attackers) {
                    attackers.forEach(Slowloris::close);
                }
            }
        }
    }

    /** One slowloris connection: sends a byte at a time; knows when the server has closed it. */
    private static final class Slowloris {
        private static final byte[] HELLO_RECORD = {0x16, 0x03, 0x01, 0x02, 0x00}; // handshake record of 512 bytes
        private final java.net.Socket socket;
        private final java.io.OutputStream out;

        private Slowloris(java.net.Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** After the TLS handshake, the start of a request whose headers never end. */
        static Slowloris headers(KubefakeCluster c) throws IOException {
            RawHttps conn = RawHttps.connect(c);
            conn.send("GET /api/v1/namespaces HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            return new Slowloris(conn.socket);
        }

        /** The start of a TLS record that never completes. */
        static Slowloris clientHello(KubefakeCluster c) throws IOException {
            Slowloris s = new Slowloris(new java.net.Socket("127.0.0.1", c.port()));
            s.out.write(HELLO_RECORD);
            s.out.flush();
            return s;
        }

        /** False once the server has closed the connection (a write meets the reset that answers writes after close). */
        boolean oneMoreByte() {
            try {
                out.write('a');
                out.flush();
                return true;
            } catch (IOException closed) {
                close();
                return false;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosedAndTheOpenOnesKeepWorking(@TempDir Path dir) throws Exception {
        try (KubefakeCluster c = RawHttps.cluster(dir, s -> s.withMaxConnections(3))) {
            List<RawHttps> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) open.add(RawHttps.connect(c));
                assertThrows(IOException.class, () -> RawHttps.connect(c).close(), "a fourth connection is refused");
                for (RawHttps conn : open) {
                    conn.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    assertEquals("ok", conn.read().body());
                }
                open.remove(0).close();
                RawHttps again = null;
                for (int attempt = 0; again == null && attempt < 200; attempt++) {
                    try {
                        again = RawHttps.connect(c); // once the server has seen the close
                    } catch (IOException refused) {
                        Thread.sleep(10);
                    }
                }
                assertTrue(again != null, "a connection is accepted again below the cap");
                open.add(again);
                again.send("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertEquals("ok", again.read().body());
            } finally {
                open.forEach(RawHttps::close);
            }
        }
    }
}
