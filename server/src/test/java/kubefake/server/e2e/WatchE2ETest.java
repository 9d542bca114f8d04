package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kubefake.server.KubefakeCluster;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A watch over HTTPS while several clients write: every change arrives once, in resourceVersion order. */
class WatchE2ETest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int WRITERS = 4;
    private static final int PER_WRITER = 150;

    private static HttpClient client() {
        KubefakeCluster c = TestCluster.get();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(c.pki().clientSslContext(null)).build();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + TestCluster.get().port() + path))
                .header("Authorization", "Bearer " + TestCluster.ADMIN_TOKEN).header("Accept", "application/json");
    }

    @Test
    void everyConcurrentWriteIsSeenOnceInOrder() throws Exception {
        HttpClient http = client();
        String ns = "watch-order";
        http.send(request("/api/v1/namespaces").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}")).build(),
                HttpResponse.BodyHandlers.discarding());
        JsonNode list = MAPPER.readTree(http.send(request("/api/v1/namespaces/" + ns + "/configmaps").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String rv = list.path("metadata").path("resourceVersion").asText();
        HttpResponse<InputStream> watch = http.send(request("/api/v1/namespaces/" + ns
                // long enough for 600 creates on a machine loaded near 100 (they took ~50 s there; the watch ended at 30 s)
                + "/configmaps?watch=true&timeoutSeconds=120&resourceVersion=" + rv).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, watch.statusCode());
        assertEquals("application/json", watch.headers().firstValue("Content-Type").orElse(""));

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < PER_WRITER; i++) {
                    String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + writer + "-" + i + "\"}}";
                    HttpResponse<Void> r = http.send(request("/api/v1/namespaces/" + ns + "/configmaps")
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 201) throw new AssertionError("create returned " + r.statusCode());
                }
                return null;
            }));
        }
        Set<String> names = new HashSet<>();
        long lastRv = Long.parseLong(rv);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
            while (names.size() < WRITERS * PER_WRITER) {
                String line = lines.readLine();
                assertTrue(line != null, "the watch ended after " + names.size() + " events");
                JsonNode event = MAPPER.readTree(line);
                assertEquals("ADDED", event.path("type").asText(), line);
                long eventRv = Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText());
                assertTrue(eventRv > lastRv, "resourceVersion " + eventRv + " after " + lastRv);
                lastRv = eventRv;
                assertTrue(names.add(event.path("object").path("metadata").path("name").asText()), "duplicate: " + line);
            }
        }
        for (Future<?> f : writers) f.get();
        pool.shutdown();
        assertEquals(WRITERS * PER_WRITER, names.size());
    }
}
