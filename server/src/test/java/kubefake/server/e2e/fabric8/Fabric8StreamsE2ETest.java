package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fabric8 client's streams against the simulated containers: exec over its WebSocket (v4.channel.k8s.io) with an
 * exit code, a log read and a log watch that ends with the container, and port-forward over its WebSocket.
 */
class Fabric8StreamsE2ETest {
    private static KubernetesClient client;
    private static String ns;

    @BeforeAll
    static void connect() {
        client = Fabric8Clients.admin();
        ns = Fabric8Clients.newNamespace(client, "fabric8-streams");
    }

    @AfterAll
    static void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    private Pod running(String name, String image, String... command) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("w1-k8s").withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage(image).withCommand(command.length == 0 ? null : java.util.List.of(command))
                .endContainer().endSpec().build();
        client.pods().inNamespace(ns).resource(pod).create();
        return client.pods().inNamespace(ns).withName(name).waitUntilReady(60, TimeUnit.SECONDS);
    }

    @Test
    void execReportsOutputAndExitCode() throws Exception {
        running("exec-target", "nginx");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(ns).withName("exec-target").writingOutput(out).writingError(err)
                .exec("sh", "-c", "hostname; echo oops >&2; exit 7")) {
            assertEquals(7, watch.exitCode().get(30, TimeUnit.SECONDS));
        }
        assertEquals("exec-target\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void logsAndALogWatchThatEndsWithTheContainer() throws Exception {
        running("logger", "busybox", "sh", "-c", "echo one; sleep 1; echo two; sleep 1");
        assertTrue(client.pods().inNamespace(ns).withName("logger").getLog().startsWith("one\n"));
        try (LogWatch watch = client.pods().inNamespace(ns).withName("logger").watchLog()) {
            InputStream in = watch.getOutput();
            assertEquals("one\ntwo\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void portForwardServesNginxsPage() throws Exception {
        running("pf-target", "nginx");
        try (LocalPortForward forward = client.pods().inNamespace(ns).withName("pf-target").portForward(80)) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Welcome to nginx!"), page.body());
        }
    }
}
