package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy subresources through the real kubectl: {@code kubectl proxy} and a plain HTTP client (curl's part) reaching
 * {@code /api/v1/namespaces/NS/pods/nginx-pod/proxy/} (nginx's page, and the page as an exec edited it), a Service's
 * endpoints through {@code services/NAME:PORT/proxy/}, a node's kubelet through {@code nodes/NAME/proxy/}
 * ({@code /healthz}, {@code /stats/summary}, {@code /logs/}), and the 503s when nothing listens.
 */
class ResourceProxyE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVING = Pattern.compile("Starting to serve on 127\\.0\\.0\\.1:(\\d+)");

    static List<String> clients() {
        return Kubectl.VERSIONS;
    }

    private static String lab(Kubectl k, Path tmp, String test) throws Exception {
        String ns = "e2e-proxy-" + test + "-" + k.version().replace('.', '-');
        k.run("create", "namespace", ns);
        Path file = Files.createTempFile(tmp, "lab", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx-pod, labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: nginx}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 8080, targetPort: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: nobody}
                spec:
                  selector: {app: nobody}
                  ports: [{port: 80}]
                """);
        ok(k.run("-n", ns, "create", "-f", file.toString()));
        ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s"));
        return ns;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void kubectlProxyServesThePodsPage(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = lab(k, tmp, "curl");
        Path log = tmp.resolve("proxy.log");
        Process proxy = k.start(log, "proxy", "--port=0");
        try {
            int port = servingPort(log, proxy);
            // as curl: HTTP/1.1 without an h2c upgrade offer, which kubectl proxy would pass on as an upgrade
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI page = URI.create("http://127.0.0.1:" + port + "/api/v1/namespaces/" + ns + "/pods/nginx-pod/proxy/");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r::body);
            assertTrue(r.body().startsWith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>"), r.body());
            assertEquals("nginx/1.29.3", r.headers().firstValue("Server").orElse(""));
            assertEquals("text/html", r.headers().firstValue("Content-Type").orElse(""));

            // the page is a file in the container: change it and the next request shows the change
            ok(k.run("-n", ns, "exec", "nginx-pod", "--", "sh", "-c", "echo '<h1>edited</h1>' > /usr/share/nginx/html/index.html"));
            r = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("<h1>edited</h1>\n", r.body());
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(page.resolve("nope.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("<center><h1>404 Not Found</h1></center>"), missing.body());
        } finally {
            proxy.destroy();
            proxy.waitFor();
        }
    }

    private static int servingPort(Path log, Process proxy) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            Matcher m = SERVING.matcher(Files.readString(log));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!proxy.isAlive()) break;
            Thread.sleep(50);
        }
        throw new AssertionError("kubectl proxy did not start: " + Files.readString(log));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void getRawReachesServicesAndKubelets(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = lab(k, tmp, "raw");
        String base = "/api/v1/namespaces/" + ns;
        assertTrue(ok(k.run("get", "--raw", base + "/services/web:http/proxy/")).out().contains("<title>Welcome to nginx!</title>"));
        assertTrue(ok(k.run("get", "--raw", base + "/services/web:8080/proxy/index.html")).out().contains("<h1>Welcome to nginx!</h1>"));

        String node = ok(k.run("-n", ns, "get", "pod", "nginx-pod", "-o", "jsonpath={.spec.nodeName}")).out();
        assertEquals("ok", ok(k.run("get", "--raw", "/api/v1/nodes/" + node + "/proxy/healthz")).out());
        JsonNode summary = JSON.readTree(ok(k.run("get", "--raw", "/api/v1/nodes/" + node + "/proxy/stats/summary")).out());
        assertEquals(node, summary.path("node").path("nodeName").asText());
        boolean listed = false;
        for (JsonNode p : summary.path("pods")) {
            if (p.path("podRef").path("name").asText().equals("nginx-pod") && p.path("podRef").path("namespace").asText().equals(ns)) {
                listed = true;
                assertEquals("nginx", p.path("containers").get(0).path("name").asText());
            }
        }
        assertTrue(listed, summary::toPrettyString);
        String logs = ok(k.run("get", "--raw", "/api/v1/nodes/" + node + "/proxy/logs/")).out();
        assertTrue(logs.startsWith("<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n"), logs);
        assertTrue(logs.contains("<a href=\"messages\">messages</a>\n"), logs);

        String ip = ok(k.run("-n", ns, "get", "pod", "nginx-pod", "-o", "jsonpath={.status.podIP}")).out();
        Kubectl.Result refused = k.run("get", "--raw", base + "/pods/nginx-pod:8080/proxy/");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertEquals("Error from server (ServiceUnavailable): error trying to reach service: dial tcp " + ip
                + ":8080: connect: connection refused\n", refused.err());
        Kubectl.Result nobody = k.run("get", "--raw", base + "/services/nobody/proxy/");
        assertEquals(1, nobody.exitCode(), nobody::toString);
        assertEquals("Error from server (ServiceUnavailable): no endpoints available for service \"nobody\"\n", nobody.err());
        Kubectl.Result noPod = k.run("get", "--raw", base + "/pods/no-such-pod/proxy/");
        assertEquals("Error from server (NotFound): pods \"no-such-pod\" not found\n", noPod.err());
    }
}
