package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * curl inside a pod ({@code kubectl exec client -- curl ...}) reaches another pod's IP, a Service by its name, its
 * {@code svc.ns} and {@code svc.ns.svc.cluster.local} forms (the pod's DNS search path) and its ClusterIP; a name no
 * Service has does not resolve.
 */
class PodNetworkE2ETest {

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void curlFromAPodReachesPodsAndServices(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = "e2e-podnet-" + version.replace('.', '-');
        k.run("create", "namespace", ns);
        Path yaml = Files.writeString(tmp.resolve("net.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: nginx}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  containers: [{name: nginx, image: nginx}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 8080, targetPort: 80}]
                """);
        ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/web", "pod/client", "--timeout=60s"));
        String podIp = ok(k.run("-n", ns, "get", "pod", "web", "-o", "jsonpath={.status.podIP}")).out();
        String clusterIp = ok(k.run("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).out();
        k.runUntil(java.time.Duration.ofSeconds(30), r -> r.out().equals(podIp), "-n", ns, "get", "endpoints", "web", "-o",
                "jsonpath={.subsets[0].addresses[0].ip}");

        for (String url : new String[] {podIp, "web:8080", "web." + ns + ":8080", "web." + ns + ".svc.cluster.local:8080",
                clusterIp + ":8080/index.html"}) {
            Kubectl.Result r = k.run("-n", ns, "exec", "client", "--", "curl", "-sS", url);
            assertEquals(0, r.exitCode(), url + ": " + r);
            assertTrue(r.out().startsWith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>"), url + ": " + r);
        }
        Kubectl.Result unknown = k.run("-n", ns, "exec", "client", "--", "curl", "-sS", "nosuch");
        assertEquals(6, unknown.exitCode(), unknown::toString);
        assertEquals("curl: (6) Could not resolve host: nosuch\ncommand terminated with exit code 6\n", k.streamErr(unknown));
        Kubectl.Result refused = k.run("-n", ns, "exec", "client", "--", "curl", "-sS", podIp + ":8080");
        assertEquals(7, refused.exitCode(), refused::toString);
        assertEquals("curl: (7) Failed to connect to " + podIp + " port 8080 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n",
                k.streamErr(refused));
        // what scripts check: the status code alone, the headers, -f's exit code, the body saved to a file
        Kubectl.Result code = ok(k.run("-n", ns, "exec", "client", "--", "curl", "-s", "-o", "/dev/null", "-w",
                "%{http_code}\\n", "web:8080"));
        assertEquals("200\n", code.out());
        Kubectl.Result head = ok(k.run("-n", ns, "exec", "client", "--", "curl", "-sI", "web:8080"));
        assertTrue(head.out().startsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.29.3\r\n"), head::toString);
        assertTrue(head.out().endsWith("Accept-Ranges: bytes\r\n\r\n"), head::toString);
        Kubectl.Result missing = k.run("-n", ns, "exec", "client", "--", "curl", "-fsS", "web:8080/nope");
        assertEquals(22, missing.exitCode(), missing::toString);
        assertEquals("curl: (22) The requested URL returned error: 404\ncommand terminated with exit code 22\n",
                k.streamErr(missing));
        Kubectl.Result saved = ok(k.run("-n", ns, "exec", "client", "--", "sh", "-c",
                "curl -s -o /tmp/page.html web:8080 && wc -c /tmp/page.html"));
        assertEquals("615 /tmp/page.html\n", saved.out());
    }
}
