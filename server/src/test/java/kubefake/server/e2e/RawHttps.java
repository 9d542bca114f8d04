package kubefake.server.e2e;

import kubefake.server.KubefakeCluster;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.UnaryOperator;

/**
 * HTTP/1.1 over a TLS socket written byte for byte, for what an HTTP client library will not send (huge headers, half
 * requests, broken request lines, clients that do not read) and to see when the server closes the connection.
 */
final class RawHttps implements AutoCloseable {
    /** One TLS context per cluster, so that later connections resume the first one's TLS session as clients do. */
    private static final Map<KubefakeCluster, SSLContext> SSL = Collections.synchronizedMap(new WeakHashMap<>());

    final SSLSocket socket;

    private RawHttps(SSLSocket socket) {
        this.socket = socket;
    }

    /** A TLS connection to the cluster, trusting its CA, handshake done. */
    static RawHttps connect(KubefakeCluster c) throws IOException {
        return connect(c, 0);
    }

    /** As above; a receive buffer of that many bytes (0: the system's) makes a client that reads slowly. */
    static RawHttps connect(KubefakeCluster c, int receiveBuffer) throws IOException {
        Socket tcp = new Socket();
        if (receiveBuffer > 0) tcp.setReceiveBufferSize(receiveBuffer);
        tcp.connect(new InetSocketAddress("127.0.0.1", c.port()), 10_000);
        SSLSocket tls = (SSLSocket) SSL.computeIfAbsent(c, k -> k.pki().clientSslContext(null)).getSocketFactory()
                .createSocket(tcp, "127.0.0.1", c.port(), true);
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        return new RawHttps(tls);
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Reads one response: status line and headers, then Content-Length bytes of body (or up to the end). */
    Response read() throws IOException {
        Response head = readHead();
        String length = head.header("Content-Length");
        InputStream in = socket.getInputStream();
        byte[] body = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
        return new Response(head.head(), new String(body, StandardCharsets.UTF_8));
    }

    /** Reads a response's status line and headers only (a stream's body is left to read). */
    Response readHead() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed after " + head.size() + " bytes of response head");
            head.write(b);
        }
        return new Response(head.toString(StandardCharsets.ISO_8859_1), null);
    }

    /** True when the server has closed the connection: a read ends (within the socket's timeout) rather than waits. */
    boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * Waits until a GET with that token is answered 200 (two minutes at most: on a loaded machine the RBAC watch, and
     * even a TLS handshake of a server that has just started, can take seconds).
     */
    private static void awaitAuthorized(KubefakeCluster c, String token) throws InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        while (true) {
            String last;
            try (RawHttps conn = connect(c)) {
                conn.send("GET /api/v1/namespaces/default/configmaps?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n");
                Response r = conn.read();
                if (r.status() == 200) return;
                last = r.statusLine();
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > end) throw new IllegalStateException("token " + token + " still not served: " + last);
            Thread.sleep(20);
        }
    }

    /** A response as received. */
    record Response(String head, String body) {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        String statusLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
            }
            return null;
        }
    }

    /**
     * A cluster of its own for a test that changes the serving options, with tokens {@code admin-token}
     * (system:masters) and {@code user-token} (user "bob", no privileged group, so the serving limits apply to him,
     * bound to cluster-admin by RBAC). Returned once bob's binding is in force: the authorizer learns of it through a
     * watch, and until then bob's requests are refused with a 403 that frees their in-flight place at once.
     */
    static KubefakeCluster cluster(Path dir, UnaryOperator<kubefake.server.http.ServingOptions> serving) {
        try {
            Path tokens = dir.resolve("tokens.csv");
            Files.writeString(tokens, "admin-token,admin,admin-uid,\"system:masters\"\nuser-token,bob,bob-uid,\"devs\"\n");
            KubefakeCluster.Options o = KubefakeCluster.Options.defaults(dir.resolve("data")).withPort(0)
                    .withBindAddress("127.0.0.1").withAdvertiseAddress(java.net.InetAddress.getByName("127.0.0.1"))
                    .withTokenAuthFile(tokens);
            KubefakeCluster c = KubefakeCluster.start(o.withServing(serving.apply(o.serving())));
            c.registry().resource("rbac.authorization.k8s.io", "clusterrolebindings").create("", kubefake.store.registry.Json.parseObject(
                    ("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"bob\"},"
                            + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},"
                            + "\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"bob\"}]}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)), kubefake.store.registry.request.RequestContext.LOOPBACK);
            awaitAuthorized(c, "user-token");
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
