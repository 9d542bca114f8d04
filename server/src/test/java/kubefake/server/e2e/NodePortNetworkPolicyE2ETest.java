package kubefake.server.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NetworkPolicies on traffic that enters through a NodePort, driven with the real curl on the host's socket
 * (127.0.0.1): the backend pod's policies see the client's address, or the entry node's (its IPIP tunnel address)
 * when kube-proxy forwarded the connection from another node under {@code externalTrafficPolicy: Cluster}. A refused
 * connection is dropped, so curl gives up at its {@code -m} limit with exit 28.
 */
class NodePortNetworkPolicyE2ETest {
    private static final String NS = "e2e-nodeport-netpol";

    private record Curl(int exitCode, String out, String err) {
    }

    private static Curl curl(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-sS", "-m", "1", "http://127.0.0.1:" + port + "/").start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not end");
        }
        return new Curl(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void assertAnswered(Curl c) {
        assertEquals(0, c.exitCode(), c::toString);
        assertTrue(c.out().contains("<title>Welcome to nginx!</title>"), c::toString);
    }

    private static void assertTimedOut(Curl c) {
        assertEquals(28, c.exitCode(), c::toString);
        assertEquals("", c.out(), c::toString);
        assertTrue(c.err().matches("curl: \\(28\\) Operation timed out after 10\\d\\d milliseconds with 0 bytes received\n"),
                c::toString);
    }

    private static void policy(Kubectl k, Path tmp, String name, String ingress) throws IOException {
        Path file = Files.writeString(tmp.resolve(name + ".yaml"), """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Ingress]
                  ingress: %s
                """.formatted(name, ingress));
        ok(k.run("-n", NS, "apply", "-f", file.toString()));
    }

    @Test
    void policiesJudgeTheClientOrTheEntryNodeAsKubeProxysNatLeavesTheSource(@TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl("1.33");
        k.run("create", "namespace", NS);
        Path web = Files.writeString(tmp.resolve("web.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: web, labels: {app: web}}
                spec:
                  nodeSelector: {kubernetes.io/hostname: w2-k8s}
                  containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80}]
                """);
        ok(k.run("-n", NS, "create", "-f", web.toString()));
        ok(k.run("-n", NS, "wait", "--for=condition=Ready", "pod/web", "--timeout=60s"));
        String podIp = ok(k.run("-n", NS, "get", "pod", "web", "-o", "jsonpath={.status.podIP}")).out();
        k.runUntil(Duration.ofSeconds(30), r -> r.out().equals(podIp), "-n", NS, "get", "endpoints", "web", "-o",
                "jsonpath={.subsets[0].addresses[0].ip}");
        int port = Integer.parseInt(ok(k.run("-n", NS, "get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}")).out());
        assertAnswered(curl(port));

        policy(k, tmp, "deny-all", "[]");
        assertTimedOut(curl(port));

        // the client's own address: what the pod sees when no node SNATs the connection
        policy(k, tmp, "from-host", "[{from: [{ipBlock: {cidr: 127.0.0.1/32}}]}]");
        ok(k.run("-n", NS, "patch", "svc", "web", "-p", "{\"spec\":{\"externalTrafficPolicy\":\"Local\"}}"));
        for (int i = 0; i < 3; i++) assertAnswered(curl(port));

        // Cluster: the balancer hands connections to each worker in turn (the control plane is excluded); only the
        // one entering at the pod's own node keeps the client's address, the others arrive from their entry node
        ok(k.run("-n", NS, "patch", "svc", "web", "-p", "{\"spec\":{\"externalTrafficPolicy\":\"Cluster\"}}"));
        List<String> workers = List.of(ok(k.run("get", "nodes", "-l", "!node.kubernetes.io/exclude-from-external-load-balancers",
                "-o", "jsonpath={.items[*].metadata.name}")).out().split(" "));
        assertEquals(List.of("w1-k8s", "w2-k8s", "w3-k8s"), workers);
        List<Curl> cluster = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) cluster.add(curl(port));
        assertEquals(1, cluster.stream().filter(c -> c.exitCode() == 0).count(), cluster::toString);
        cluster.stream().filter(c -> c.exitCode() != 0).forEach(NodePortNetworkPolicyE2ETest::assertTimedOut);

        // allowing the workers' tunnel addresses lets every connection in
        String tunnels = ok(k.run("get", "nodes", "-o",
                "jsonpath={range .items[*]}{.metadata.annotations.projectcalico\\.org/IPv4IPIPTunnelAddr}{\"\\n\"}{end}")).out();
        StringBuilder blocks = new StringBuilder("[{from: [{ipBlock: {cidr: 127.0.0.1/32}}");
        for (String t : tunnels.strip().split("\n")) blocks.append(", {ipBlock: {cidr: ").append(t).append("/32}}");
        policy(k, tmp, "from-host", blocks.append("]}]").toString());
        for (int i = 0; i < workers.size(); i++) assertAnswered(curl(port));

        ok(k.run("delete", "namespace", NS, "--wait=false"));
    }
}
