package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.certs.ClientCertificate;
import kubefake.certs.ClusterPki;
import kubefake.server.KubefakeCluster;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web view ({@code https://HOST:PORT/ui/}) in a real headless Chromium ({@code src/test/browser/webui.mjs}),
 * against a lab cluster whose clock the test moves: a bad token is refused; the page shows the four lab nodes with
 * kube-system's pods where kubectl shows them; a pod {@code kubectl run} creates appears live and runs; its YAML on
 * click; the stop-kubelet button turns its node NotReady on the cluster's clock; the kube-proxy, delete and drain
 * buttons act on the cluster; a user with rights on nodes only sees the server's 403 messages, word for word as
 * kubectl prints them; a browser with a client certificate of the cluster's CA is its user without a login.
 */
class WebViewBrowserE2ETest {
    private static final String ADMIN_TOKEN = "web-admin-token";
    private static final String VIEWER_TOKEN = "web-viewer-token";
    private static final Duration STEP_LIMIT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LabCluster lab = LabCluster.clocked(Duration.ofMillis(10))
            .with((options, dir) -> options.withTokenAuthFile(tokenFile(dir)));

    @TempDir
    Path dir;

    /** The admin's and the viewer's tokens, in a static token file of the cluster's directory. */
    private static Path tokenFile(Path dir) {
        try {
            return Files.writeString(dir.resolve("tokens.csv"), ADMIN_TOKEN + ",web-admin,web-admin-uid,\"system:masters\"\n"
                    + VIEWER_TOKEN + ",viewer,viewer-uid,\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theWebViewShowsTheClusterLiveAndItsButtonsActThroughTheApiWithTheUsersRights() throws Exception {
        BrowserScript.requireNode(); // skipped (or failed in CI) before a cluster is started for nothing
        Path screenshots = Files.createDirectories(Path.of("target/webview-screenshots"));
        KubefakeCluster cluster = lab.cluster();
        Kubectl k = new Kubectl("1.33", cluster.adminConf(), Files.createDirectories(dir.resolve("home")));
        Kubectl viewer = new Kubectl("1.33", viewerKubeconfig(cluster), Files.createDirectories(dir.resolve("viewer-home")));
        // kube-system's pods Running (a kubectl that fails meanwhile, as on a loaded machine's cold start, is asked again)
        Map<String, String> systemPods = stepUntil(Duration.ofMillis(200), Duration.ofMinutes(2),
                () -> pods(k, "-n", "kube-system"), p -> !p.isEmpty() && p.values().stream().allMatch(s -> s.endsWith(" Running")));
        String ns = "webview";
        Kubectl.ok(k.run("create", "namespace", ns));
        Kubectl.ok(k.run("create", "clusterrole", "node-reader", "--verb=get,list,watch", "--resource=nodes"));
        Kubectl.ok(k.run("create", "clusterrolebinding", "viewer-nodes", "--clusterrole=node-reader", "--user=viewer"));

        ClientCertificate certificate = ClusterPki.issueClientCertificate(cluster.pki().directory(), "cert-user",
                List.of("system:masters"), Duration.ofDays(1));
        Path cert = Files.write(dir.resolve("client.crt"), certificate.certificatePem());
        Path key = Files.write(dir.resolve("client.key"), certificate.privateKeyPem());
        try (BrowserScript page = BrowserScript.start(dir.resolve("browser.err"), "webui.mjs",
                "--url", cluster.serverUrl() + KubefakeCluster.WEB_VIEW_PATH, "--token", ADMIN_TOKEN,
                "--viewer-token", VIEWER_TOKEN, "--screenshot", screenshots.toAbsolutePath().toString(),
                "--system-pods", Integer.toString(systemPods.size()), "--cert", cert.toString(), "--key", key.toString())) {
            BrowserScript.Meanwhile still = () -> { };

            JsonNode badLogin = page.next("bad-login", STEP_LIMIT, still);
            assertEquals("Login refused: Unauthorized", badLogin.path("error").asText());
            assertFalse(badLogin.path("clusterShown").asBoolean(), "nothing of the cluster is shown before a login");

            JsonNode loaded = page.next("loaded", STEP_LIMIT, still);
            assertEquals("web-admin", loaded.path("user").asText());
            List<String> nodes = new ArrayList<>();
            for (JsonNode n : loaded.path("nodes")) nodes.add(n.path("name").asText() + " " + n.path("status").asText());
            assertEquals(List.of("m-k8s Ready", "w1-k8s Ready", "w2-k8s Ready", "w3-k8s Ready"), nodes);
            Map<String, String> shown = new TreeMap<>();
            for (JsonNode p : loaded.path("pods")) {
                String pod = p.path("pod").asText();
                if (pod.startsWith("kube-system/")) shown.put(pod.substring("kube-system/".length()), p.path("node").asText());
            }
            Map<String, String> where = new TreeMap<>();
            systemPods.forEach((name, nodeAndPhase) -> where.put(name, nodeAndPhase.split(" ")[0]));
            assertEquals(where, shown, "kube-system's pods in their nodes' boxes, as kubectl lists them");

            // kubectl run: the pod appears live, then runs
            Kubectl.ok(k.run("-n", ns, "run", "web", "--image=nginx"));
            page.send(Json.MAPPER.createObjectNode().put("pod", ns + "/web"));
            page.next("pod-appeared", STEP_LIMIT, still);
            JsonNode running = page.next("pod-running", STEP_LIMIT, () -> lab.advance(Duration.ofMillis(50)));
            String worker = running.path("node").asText();
            assertEquals(worker + " Running", pods(k, "-n", ns, "web").get("web"), "the box kubectl's NODE names");

            String yaml = page.next("yaml", STEP_LIMIT, still).path("yaml").asText();
            assertTrue(yaml.startsWith("apiVersion: v1\nkind: Pod\nmetadata:\n"), yaml);
            assertTrue(yaml.contains("\n  name: web\n  namespace: " + ns + "\n"), yaml);
            assertFalse(yaml.contains("managedFields"), "hidden, as kubectl get -o yaml hides them");

            // stop kubelet: no heartbeats, NotReady after the node monitor's grace period of cluster time
            page.next("kubelet-stopped", STEP_LIMIT, still);
            assertFalse(cluster.nodes().kubeletRunning(worker));
            page.next("node-notready", STEP_LIMIT, () -> lab.advance(Duration.ofSeconds(5)));
            String notReady = k.run("get", "node", worker, "--no-headers").out();
            assertTrue(notReady.matches(worker + " +NotReady +.*\n"), notReady);
            page.send(Json.MAPPER.createObjectNode());
            page.next("node-ready", STEP_LIMIT, () -> lab.advance(Duration.ofSeconds(1)));
            assertTrue(cluster.nodes().kubeletRunning(worker));

            page.next("kube-proxy-broken", STEP_LIMIT, still);
            assertTrue(cluster.nodes().podTrafficDropped(worker), "traffic to the node's pods is dropped");
            page.send(Json.MAPPER.createObjectNode());
            page.next("kube-proxy-restored", STEP_LIMIT, still);
            assertFalse(cluster.nodes().podTrafficDropped(worker));

            page.next("pod-deleted", STEP_LIMIT, () -> lab.advance(Duration.ofMillis(200)));
            assertEquals("Error from server (NotFound): pods \"web\" not found\n", k.run("-n", ns, "get", "pod", "web").err());

            // drain: cordoned, every pod but the DaemonSets' evicted (and gone)
            String drained = worker.equals("w3-k8s") ? "w1-k8s" : "w3-k8s";
            page.send(Json.MAPPER.createObjectNode().put("drain", drained));
            JsonNode drain = page.next("drained", STEP_LIMIT, () -> lab.advance(Duration.ofMillis(500)));
            assertEquals("Ready,SchedulingDisabled", drain.path("status").asText());
            String cordoned = k.run("get", "node", drained, "--no-headers").out();
            assertTrue(cordoned.matches(drained + " +Ready,SchedulingDisabled +.*\n"), cordoned);
            List<String> left = new ArrayList<>();
            for (JsonNode p : drain.path("pods")) left.add(p.asText());
            List<String> daemonSetPods = Kubectl.lines(Kubectl.ok(k.run("get", "pods", "-A", "--no-headers",
                    "--field-selector", "spec.nodeName=" + drained,
                    "-o", "custom-columns=P:.metadata.namespace,N:.metadata.name,OWNER:.metadata.ownerReferences[0].kind")))
                    .stream().map(l -> l.split(" +")).peek(c -> assertEquals("DaemonSet", c[2], String.join(" ", c)))
                    .map(c -> c[0] + "/" + c[1]).sorted().toList();
            assertEquals(daemonSetPods, left.stream().sorted().toList());
            assertTrue(drain.path("log").toString().contains("Warning: ignoring DaemonSet-managed Pods: "), drain::toPrettyString);
            page.send(Json.MAPPER.createObjectNode());
            page.next("uncordoned", STEP_LIMIT, still);
            String uncordoned = k.run("get", "node", drained, "--no-headers").out();
            assertTrue(uncordoned.matches(drained + " +Ready +.*\n"), uncordoned);

            // RBAC: a user who may read nodes only sees the server's refusals, as kubectl prints them
            JsonNode forbidden = page.next("forbidden", STEP_LIMIT, still);
            assertEquals("viewer", forbidden.path("user").asText());
            assertEquals(4, forbidden.path("nodes").size(), forbidden::toPrettyString);
            List<String> banner = new ArrayList<>();
            for (JsonNode b : forbidden.path("banner")) banner.add("Error from server (Forbidden): " + b.asText() + "\n");
            assertTrue(banner.contains(viewer.run("get", "pods", "-A").err()), forbidden::toPrettyString);
            assertTrue(banner.contains(viewer.run("get", "events", "-A").err()), forbidden::toPrettyString);
            String refused = viewer.run("create", "--raw", "/kubefake/v1/nodes/" + worker + "/kubelet/stop", "-f", "/dev/null").err();
            assertTrue(refused.startsWith("Error from server (Forbidden): forbidden: User \"viewer\" cannot post path"), refused);
            assertTrue(forbidden.path("refused").asText().endsWith("Stop kubelet " + worker + ": " + refused.strip()),
                    forbidden::toPrettyString);
            assertTrue(cluster.nodes().kubeletRunning(worker), "the refused button changed nothing");

            JsonNode certified = page.next("certificate", STEP_LIMIT, still);
            assertEquals("cert-user", certified.path("user").asText());
            assertFalse(certified.path("loginShown").asBoolean(), "no login with a client certificate");

            assertEquals("[]", page.next("done", STEP_LIMIT, still).path("pageErrors").toString(), "no script error in the page");
        }
    }

    /** name → "NODE PHASE" of the pods kubectl lists with these arguments (empty when kubectl fails). */
    private static Map<String, String> pods(Kubectl k, String... args) {
        List<String> all = new ArrayList<>(List.of("get", "pods", "--no-headers",
                "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase"));
        all.addAll(List.of(args));
        Map<String, String> pods = new TreeMap<>();
        Kubectl.Result r = k.run(all.toArray(String[]::new));
        if (r.exitCode() != 0) return pods;
        for (String line : Kubectl.lines(r)) {
            String[] c = line.split(" +");
            pods.put(c[0], c[1] + " " + c[2]);
        }
        return pods;
    }

    private static <T> T stepUntil(Duration step, Duration limit, java.util.function.Supplier<T> read,
                                   Predicate<T> fits) throws InterruptedException {
        Instant end = lab.clock().instant().plus(limit);
        T value;
        while (!fits.test(value = read.get())) {
            if (!lab.clock().instant().isBefore(end)) throw new AssertionError("not within " + limit + " of cluster time: " + value);
            lab.advance(step);
        }
        return value;
    }

    /** A kubeconfig for the viewer's bearer token (no client certificate, which would take precedence). */
    private Path viewerKubeconfig(KubefakeCluster cluster) throws Exception {
        Path ca = dir.resolve("ca.crt");
        Files.write(ca, cluster.pki().caCertificatePem());
        Path kubeconfig = dir.resolve("viewer.conf");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kubefake
                  cluster: {server: "%s", certificate-authority: "%s"}
                users:
                - name: viewer
                  user: {token: "%s"}
                contexts:
                - name: viewer
                  context: {cluster: kubefake, user: viewer}
                current-context: viewer
                """.formatted(cluster.serverUrl(), ca, VIEWER_TOKEN));
        return kubeconfig;
    }
}
