package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl port-forward} to the simulated containers' HTTP servers over SPDY/3.1 (1.27, and 1.33 told not to use
 * WebSockets) and the WebSocket tunnel (1.33): nginx's welcome page on 127.0.0.1 through a pod and through a
 * Service, echo-hname's pod name through a Deployment, several connections in one session.
 */
class PodPortForwardE2ETest {
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

    static List<String> clients() {
        // 1.27 and 1.29 speak SPDY, 1.31 and 1.33 the WebSocket tunnel, unless told to fall back
        return List.of("1.27", "1.29", "1.31", "1.33", "1.33-spdy");
    }

    private static Kubectl kubectl(String client) {
        Kubectl k = TestCluster.kubectl(client.substring(0, 4));
        if (client.endsWith("-spdy")) k.env("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false");
        return k;
    }

    private static void assertOk(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
    }

    /** The {@code kubectl port-forward} processes a test started, stopped when it ends. */
    private static final class Forwards implements AutoCloseable {
        private final Kubectl k;
        private final Path tmp;
        private final List<Process> started = new ArrayList<>();

        Forwards(Kubectl k, Path tmp) {
            this.k = k;
            this.tmp = tmp;
        }

        /** Runs {@code kubectl port-forward TARGET :PORT} and returns the local port once it forwards. */
        int forward(String... args) throws Exception {
            Path out = Files.createTempFile(tmp, "pf", ".txt");
            Process p = k.start(out, args);
            started.add(p);
            for (int i = 0; i < 600; i++) {
                Matcher m = FORWARDING.matcher(Files.readString(out));
                if (m.find()) return Integer.parseInt(m.group(1));
                if (!p.isAlive()) throw new AssertionError("port-forward ended: " + Files.readString(out));
                TimeUnit.MILLISECONDS.sleep(50);
            }
            throw new AssertionError("port-forward did not start: " + Files.readString(out));
        }

        @Override
        public void close() throws InterruptedException {
            for (Process p : started) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Creates {@code nginx-pod} (labelled app=web) on {@code node} in a new namespace and waits until it is Ready. */
    private static void nginxPod(Kubectl k, Path tmp, String ns, String node) throws Exception {
        k.run("create", "namespace", ns);
        Path file = tmp.resolve("pod.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx-pod, labels: {app: web}}
                spec:
                  nodeName: %s
                  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
                """.formatted(node));
        assertOk(k.run("-n", ns, "create", "-f", file.toString()));
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s"));
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @MethodSource("clients")
    void nginxsPageThroughAPodAndAService(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = "e2e-pf-" + client.replace('.', '-');
        nginxPod(k, tmp, ns, "w3-k8s");
        assertOk(k.run("-n", ns, "create", "service", "clusterip", "web", "--tcp=8080:80"));
        HttpClient http = HttpClient.newHttpClient();
        try (Forwards forwards = new Forwards(k, tmp)) {
            int port = forwards.forward("-n", ns, "port-forward", "pod/nginx-pod", ":80");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> page = get(http, port, "/");
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("<title>Welcome to nginx!</title>"), page.body());
                assertEquals("nginx/1.29.3", page.headers().firstValue("Server").orElse(""));
                assertEquals(615, page.body().length());
            }
            assertEquals(404, get(http, port, "/missing").statusCode());
            int viaService = forwards.forward("-n", ns, "port-forward", "svc/web", ":8080");
            assertTrue(get(http, viaService, "/").body().contains("Welcome to nginx!"));
            // the page is the container's file: edited through exec, the forwarded connection serves the edit
            assertOk(k.run("-n", ns, "exec", "nginx-pod", "--", "sh", "-c", "echo changed > /usr/share/nginx/html/index.html"));
            assertEquals("changed\n", get(http, port, "/").body());
        }
    }

    /**
     * One {@code kubectl port-forward} is one SPDY session for all its connections, and kubectl's SPDY library keeps
     * no flow-control windows: a server that waits for a window update stops after the session's first 64 KiB. A
     * 200 KB page and then 100 requests more go through one session here.
     */
    @ParameterizedTest
    @MethodSource("clients")
    void aSessionCarriesMoreThanItsFirst64KiB(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = "e2e-pf-big-" + client.replace('.', '-');
        nginxPod(k, tmp, ns, "w2-k8s");
        StringBuilder page = new StringBuilder();
        for (int i = 0; page.length() < 200_000; i++) page.append("row ").append(i).append(" of a big page\n");
        assertOk(k.runWithInput(page.toString(), "-n", ns, "exec", "-i", "nginx-pod", "--", "sh", "-c",
                "cat > /usr/share/nginx/html/big.txt"));
        HttpClient http = HttpClient.newHttpClient();
        try (Forwards forwards = new Forwards(k, tmp)) {
            int port = forwards.forward("-n", ns, "port-forward", "pod/nginx-pod", ":80");
            HttpResponse<String> big = get(http, port, "/big.txt");
            assertEquals(200, big.statusCode());
            assertEquals(page.toString(), big.body());
            for (int i = 0; i < 100; i++) assertEquals(615, get(http, port, "/").body().length(), "request " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void echoHnameAnswersItsPodName(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = "e2e-pf-hname-" + client.replace('.', '-');
        k.run("create", "namespace", ns);
        assertOk(k.run("-n", ns, "create", "deployment", "echo-hname", "--image=sysnet4admin/echo-hname", "--replicas=1"));
        assertOk(k.run("-n", ns, "rollout", "status", "deploy/echo-hname", "--timeout=60s"));
        String pod = k.run("-n", ns, "get", "pods", "-o", "jsonpath={.items[0].metadata.name}").out();
        HttpClient http = HttpClient.newHttpClient();
        try (Forwards forwards = new Forwards(k, tmp)) {
            int port = forwards.forward("-n", ns, "port-forward", "deploy/echo-hname", ":80");
            Set<String> bodies = new HashSet<>();
            for (int i = 0; i < 2; i++) bodies.add(get(http, port, "/").body());
            assertEquals(Set.of(pod + "\n"), bodies);
        }
    }
}
