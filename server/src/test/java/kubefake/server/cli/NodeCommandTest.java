package kubefake.server.cli;

import kubefake.server.KubefakeCluster;
import kubefake.server.e2e.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `kubefake node stop-kubelet|start-kubelet|list` against a running cluster (LAB.md step 5): the pod of a node whose
 * kubelet is stopped stays Terminating when deleted, and goes once the kubelet is back.
 */
class NodeCommandTest {
    @TempDir
    static Path dir;
    private static KubefakeCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        Path tokens = dir.resolve("tokens.csv");
        Files.writeString(tokens, "viewer-token,viewer,viewer-uid,\"developers\"\n");
        cluster = KubefakeCluster.start(KubefakeCluster.Options.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1").withAdvertiseAddress(InetAddress.getByName("127.0.0.1")).withTokenAuthFile(tokens));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static String node(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "node";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--kubeconfig";
        all[args.length + 2] = cluster.adminConf().toString();
        int rc = run(out, err, all);
        return rc + "\n" + out + err;
    }

    @Test
    void aStoppedKubeletMakesAPodDeletionWaitUntilItStartsAgain() throws Exception {
        Kubectl k = new Kubectl("1.33", cluster.adminConf(), Files.createDirectories(dir.resolve("home")));
        Path pod = dir.resolve("pod.yaml");
        Files.writeString(pod, """
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx-pod, namespace: default}
                spec:
                  nodeName: w1-k8s
                  containers: [{name: nginx, image: nginx}]
                """);
        assertEquals(0, k.run("create", "-f", pod.toString()).exitCode());
        assertEquals(0, k.run("wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s").exitCode());

        assertEquals("0\nkubelet stopped on w1-k8s\n", node("stop-kubelet", "w1-k8s"));
        assertFalse(cluster.nodes().kubeletRunning("w1-k8s"));
        assertEquals("0\nNODE     KUBELET\nm-k8s    running\nw1-k8s   stopped\nw2-k8s   running\nw3-k8s   running\n", node("list"));
        Kubectl.Result deleted = k.run("delete", "pod", "nginx-pod", "--wait=false");
        assertEquals("pod \"nginx-pod\" deleted\n", deleted.out(), deleted::toString);
        Kubectl.Result waiting = k.run("wait", "--for=delete", "pod/nginx-pod", "--timeout=3s");
        assertEquals(1, waiting.exitCode(), "the deletion waits for the kubelet: " + waiting);
        Kubectl.Result get = k.run("get", "pods");
        assertTrue(get.out().matches("(?s).*\nnginx-pod +1/1 +Terminating +0 .*"), get::toString);

        assertEquals("0\nkubelet started on w1-k8s\n", node("start-kubelet", "w1-k8s"));
        Kubectl.Result gone = k.run("wait", "--for=delete", "pod/nginx-pod", "--timeout=30s");
        assertEquals(0, gone.exitCode(), gone::toString);
    }

    @Test
    void anUnknownNodeIsOneClearError() {
        assertEquals("1\nerror: nodes \"w9-k8s\" not found\n", node("stop-kubelet", "w9-k8s"));
    }

    @Test
    void theEndpointIsForAdministratorsOnlyAndOutsideTheKubernetesApi() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(cluster.pki().clientSslContext(null)).build();
        String base = "https://127.0.0.1:" + cluster.port();
        HttpResponse<String> viewer = http.send(HttpRequest.newBuilder(URI.create(base + "/kubefake/v1/nodes/w2-k8s/kubelet/stop"))
                .header("Authorization", "Bearer viewer-token").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, viewer.statusCode());
        assertTrue(viewer.body().contains("forbidden: User \\\"viewer\\\" cannot post path \\\"/kubefake/v1/nodes/w2-k8s/kubelet/stop\\\""), viewer.body());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/kubefake/v1/nodes")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, anonymous.statusCode());
        assertTrue(cluster.nodes().kubeletRunning("w2-k8s"));
        Kubectl k = new Kubectl("1.33", cluster.adminConf(), Files.createDirectories(dir.resolve("home2")));
        Kubectl.Result apis = k.run("api-resources", "-o", "name");
        assertFalse(apis.out().contains("kubefake"), "discovery shows a cluster's API only");
    }
}
