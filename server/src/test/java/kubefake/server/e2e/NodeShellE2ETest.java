package kubefake.server.e2e;

import kubefake.server.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LAB.md steps 4 and 6 on the nodes' shells ({@code kubefake ssh NODE -- CMD}) with kubectl 1.29 and 1.33: the nginx
 * pod's IP from {@code get pods -o wide} curled from the control plane answers nginx's page; on the pod's worker
 * {@code modprobe -r br_netfilter} and a network restart leave the pod Running with the same IP while curl to it times
 * out; {@code modprobe br_netfilter} and a reboot make it answer again. (Step 11, PID 1 and {@code kill 1}, is in
 * {@link PodExecE2ETest}.)
 */
class NodeShellE2ETest {
    private record Shell(int exitCode, String out, String err) {
    }

    /** {@code kubefake ssh NODE -- CMD} as a student runs it, with the cluster's admin.conf. */
    private static Shell ssh(String node, String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("ssh", "--kubeconfig", TestCluster.get().adminConf().toString(), node, "--"));
        args.addAll(List.of(command));
        int code = cli.execute(args.toArray(String[]::new));
        return new Shell(code, out.toString(), err.toString());
    }

    /** The lab's nginx-pod.yaml, created and Running; its IP and node as {@code get pods -o wide} shows them. */
    private static String[] nginxPod(Kubectl k, String ns, Path tmp) throws Exception {
        k.run("create", "namespace", ns);
        Path yaml = Files.writeString(tmp.resolve("nginx-pod.yaml"), LabStepsE2ETest.NGINX_POD);
        ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s"));
        return wide(k, ns);
    }

    private static String[] wide(Kubectl k, String ns) {
        String row = ok(k.run("-n", ns, "get", "pods", "-o", "wide", "--no-headers")).out().trim();
        String[] cols = row.split("\\s+");
        assertEquals("Running", cols[2], row);
        return new String[] {cols[5], cols[6]}; // IP, NODE
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void step4CurlThePodIpFromANode(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String[] pod = nginxPod(k, "e2e-lab4-shell-" + version.replace('.', '-'), tmp);
        assertTrue(pod[0].matches("172\\.16\\.\\d+\\.\\d+") && pod[1].matches("w[1-3]-k8s"), String.join(" ", pod));
        assertEquals(new Shell(0, "m-k8s\n", ""), ssh("m-k8s", "hostname"));
        Shell curl = ssh("m-k8s", "curl", pod[0]);
        assertEquals(0, curl.exitCode(), curl::toString);
        assertTrue(curl.out().startsWith("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>"), curl::toString);
        Shell refused = ssh("m-k8s", "curl", pod[0] + ":8080");
        assertEquals(new Shell(7, "", "curl: (7) Failed to connect to " + pod[0] + " port 8080: Connection refused\n"), refused);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void step6KubeProxyFaultAndRecovery(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = "e2e-lab6-shell-" + version.replace('.', '-');
        String[] pod = nginxPod(k, ns, tmp);
        String worker = pod[1];
        try {
            assertEquals(new Shell(0, "", ""), ssh(worker, "modprobe", "-r", "br_netfilter"));
            assertEquals(new Shell(0, "", ""), ssh(worker, "systemctl", "restart", "NetworkManager"));
            String[] after = wide(k, ns);
            assertEquals(List.of(pod[0], worker), List.of(after), "the pod still shows Running with the same IP");
            Shell timedOut = ssh("m-k8s", "curl", "--connect-timeout", "1", pod[0]);
            assertEquals(new Shell(28, "", "curl: (28) Connection timed out after 1001 milliseconds\n"), timedOut,
                    "a timeout, not a refusal");

            assertEquals(new Shell(0, "", ""), ssh(worker, "modprobe", "br_netfilter"));
            assertEquals(new Shell(255, "", "Connection to " + worker + " closed by remote host.\n"), ssh(worker, "reboot"));
            Shell back = ssh("m-k8s", "curl", "-s", pod[0]);
            assertEquals(0, back.exitCode(), back::toString);
            assertTrue(back.out().contains("<title>Welcome to nginx!</title>"), back::toString);
        } finally {
            ssh(worker, "reboot");
        }
    }
}
