package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static kubefake.server.e2e.Kubectl.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NodePort Service of the lab's 3-replica echo-hname Deployment answers on a real socket of the host (the server's
 * bind address, 127.0.0.1 here), as a real kube-proxy's NodePort does: each connection goes to one ready pod, so
 * repeated requests show more than one pod's hostname; the port closes when the Service goes.
 */
class NodePortE2ETest {

    /** One request on a connection of its own, as each curl makes: the whole response. */
    private static String curl(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: curl/7.76.1\r\nAccept: */*\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void echoHnameAnswersOnTheNodePortFromSeveralPods(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = "e2e-nodeport-" + version.replace('.', '-');
        k.run("create", "namespace", ns);
        Path yaml = Files.writeString(tmp.resolve("echo-hname.yaml"), LabStepsE2ETest.ECHO_HNAME);
        ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        ok(k.run("-n", ns, "rollout", "status", "deployment/echo-hname", "--timeout=60s"));
        assertEquals("service/np-svc exposed\n",
                ok(k.run("-n", ns, "expose", "deployment", "echo-hname", "--type=NodePort", "--name=np-svc", "--port=80")).out());
        int nodePort = Integer.parseInt(ok(k.run("-n", ns, "get", "svc", "np-svc", "-o", "jsonpath={.spec.ports[0].nodePort}")).out());
        assertTrue(nodePort >= 30000 && nodePort <= 32767, "" + nodePort);
        // the endpoints controller lists the three pods as they are ready
        k.runUntil(Duration.ofSeconds(30), r -> r.out().trim().split(" ").length == 3, "-n", ns, "get", "endpoints", "np-svc",
                "-o", "jsonpath={.subsets[*].addresses[*].ip}");

        Set<String> hostnames = new TreeSet<>();
        for (int i = 0; i < 40 && hostnames.size() < 2; i++) {
            String r = curl(nodePort);
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            String body = r.substring(r.indexOf("\r\n\r\n") + 4);
            assertTrue(body.matches("echo-hname-[0-9a-z]+-[0-9a-z]{5}\n"), r);
            hostnames.add(body.trim());
        }
        assertTrue(hostnames.size() >= 2, "one pod answered every request: " + hostnames);
        String pods = ok(k.run("-n", ns, "get", "pods", "-l", "app=nginx", "-o", "jsonpath={.items[*].metadata.name}")).out();
        for (String h : hostnames) assertTrue(pods.contains(h), h + " is not one of " + pods);

        ok(k.run("-n", ns, "delete", "svc", "np-svc"));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean closed = false;
        while (!closed && System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", nodePort)) {
                Thread.sleep(100);
            } catch (ConnectException e) {
                closed = true;
            } catch (IOException e) {
                closed = true;
            }
        }
        assertTrue(closed, "the node port still listens after its Service was deleted");
    }
}
