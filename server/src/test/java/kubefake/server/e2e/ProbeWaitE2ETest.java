package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.server.KubefakeCluster;
import kubefake.server.fuzz.RawHttpConnection;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code up}'s order of a start (Options.probeWait): the API server serves at once, the nodes register and the
 * controllers and kubelets start once a health probe has been answered, as kubeadm joins the nodes once the control
 * plane is healthy; and when nobody probes, they start all the same once the wait is over.
 */
class ProbeWaitE2ETest {
    private static final String TOKEN = "probe-admin-token";

    @TempDir
    Path dir;

    @Test
    void theNodesRegisterOnceTheFirstReadinessProbeIsAnswered() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), TOKEN + ",admin,admin-uid,\"system:masters\"\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // a wait far longer than the test: only the probe can let the start go on in time
        KubefakeCluster.Options options = TestCluster.onLoopback(dir.resolve("data")).withPort(port)
                .withTokenAuthFile(tokens).withProbeWait(Duration.ofMinutes(5));
        CompletableFuture<KubefakeCluster> started = CompletableFuture.supplyAsync(() -> {
            try {
                return KubefakeCluster.start(options);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpClient client = HttpClient.newBuilder().sslContext(RawHttpConnection.trustingTls()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> nodes;
        boolean returnedBeforeAProbe;
        try {
            nodes = getWhenListening(client, port, "/api/v1/nodes");
            returnedBeforeAProbe = started.isDone();
        } finally {
            HttpResponse<String> ready = get(client, port, "/readyz");
            assertEquals(200, ready.statusCode());
            assertEquals("ok", ready.body());
        }
        try (KubefakeCluster cluster = started.get(60, TimeUnit.SECONDS)) {
            assertEquals(200, nodes.statusCode(), nodes::body);
            assertEquals(0, Json.MAPPER.readTree(nodes.body()).path("items").size(), nodes::body);
            assertFalse(returnedBeforeAProbe, "start() returned before any health probe");
            JsonNode registered = Json.MAPPER.readTree(get(client, port, "/api/v1/nodes").body()).path("items");
            assertEquals(cluster.nodes().names().size(), registered.size(), registered::toString);
            assertTrue(registered.size() > 0);
        }
    }

    @Test
    void withoutAProbeTheNodesRegisterOnceTheWaitIsOver() throws Exception {
        try (KubefakeCluster cluster = KubefakeCluster.start(TestCluster.onLoopback(dir.resolve("data"))
                .withProbeWait(Duration.ofMillis(300)))) {
            assertEquals(cluster.nodes().names().size(),
                    cluster.registry().resource("", "nodes").list("", kubefake.store.registry.ListOptions.ALL).items().size());
        }
    }

    /**
     * GET as the admin, retried while the server does not listen yet (refused) or does not yet take the connection
     * within the client's 5 s (its start still busy on a loaded machine).
     */
    private static HttpResponse<String> getWhenListening(HttpClient client, int port, String path) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return get(client, port, path);
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
