package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.configMap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two ways fabric8 opens a watch, seen through fabric8's own HTTP client, as the real API server serves them
 * (apiserver's endpoints/handlers/watch.go): a WebSocket request is upgraded and gets one message per event; a plain
 * request gets its 200 and headers flushed at once, before any event.
 */
@Timeout(8)
class Fabric8WatchWireE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.admin();
        ns = Fabric8Clients.newNamespace(client, "fabric8-wire");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private static URI watchUri() {
        String rv = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
        return URI.create(client.getMasterUrl().toString().replaceAll("/$", "")
                + "/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + rv);
    }

    @Test
    void aWebSocketWatchIsUpgradedAndSendsOneMessagePerEvent() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                messages.add(text);
                webSocket.request();
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteBuffer bytes) {
                messages.add(StandardCharsets.UTF_8.decode(bytes).toString());
                webSocket.request();
            }
        };
        WebSocket ws;
        try {
            ws = client.getHttpClient().newWebSocketBuilder().uri(watchUri()).buildAsync(listener).get(3, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the watch's WebSocket upgrade was not accepted (101 Switching Protocols) within 3 s", e);
        }
        try {
            client.configMaps().inNamespace(ns).resource(configMap("over-websocket", Map.of())).create();
            String event = messages.poll(3, TimeUnit.SECONDS);
            assertNotNull(event, "an event message");
            assertTrue(event.startsWith("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\""), event);
            assertTrue(event.contains("\"name\":\"over-websocket\""), event);
        } finally {
            ws.sendClose(1000, null);
        }
    }

    @Test
    void anHttpWatchAnswersBeforeTheFirstEvent() throws Exception {
        BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
        HttpClient http = client.getHttpClient();
        HttpResponse<AsyncBody> response = http.consumeBytes(http.newHttpRequestBuilder().uri(watchUri()).build(),
                (List<ByteBuffer> buffers, AsyncBody body) -> {
                    buffers.forEach(b -> chunks.add(StandardCharsets.UTF_8.decode(b).toString()));
                    body.consume();
                }).get(3, TimeUnit.SECONDS); // no event yet: only the status line and headers can have arrived
        try {
            assertEquals(200, response.code());
            assertEquals("application/json", response.header("Content-Type"));
            response.body().consume();
            client.configMaps().inNamespace(ns).resource(configMap("over-http", Map.of())).create();
            String chunk = chunks.poll(3, TimeUnit.SECONDS);
            assertNotNull(chunk, "an event line");
            assertTrue(chunk.startsWith("{\"type\":\"ADDED\""), chunk);
        } finally {
            response.body().cancel();
        }
    }
}
