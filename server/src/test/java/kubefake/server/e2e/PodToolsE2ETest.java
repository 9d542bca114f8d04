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
 * What a learner types first inside pods ({@code kubectl exec POD -- sh -c '...'}), answered as the real images
 * answer and never hanging: in nginx's pod its own server on the loopback, nginx's own flags, the image's files, no
 * ps; in busybox's pod ping, nslookup, wget, nc and the interface views against a Service, a headless Service, a pod
 * IP and a missing name.
 */
class PodToolsE2ETest {

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void programsInsidePodsAnswerAsTheImagesDo(String version, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(version);
        String ns = "e2e-podtools-" + version.replace('.', '-');
        k.run("create", "namespace", ns);
        Path yaml = Files.writeString(tmp.resolve("tools.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: nginx-pod, labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: nginx}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: bb}
                spec:
                  containers: [{name: bb, image: busybox, args: [sleep, "3600"]}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{port: 80}]
                """);
        ok(k.run("-n", ns, "create", "-f", yaml.toString()));
        ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "pod/bb", "--timeout=60s"));
        String podIp = ok(k.run("-n", ns, "get", "pod", "nginx-pod", "-o", "jsonpath={.status.podIP}")).out();
        String bbIp = ok(k.run("-n", ns, "get", "pod", "bb", "-o", "jsonpath={.status.podIP}")).out();
        String clusterIp = ok(k.run("-n", ns, "get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).out();
        k.runUntil(java.time.Duration.ofSeconds(30), r -> r.out().equals(podIp), "-n", ns, "get", "endpoints", "web", "-o",
                "jsonpath={.subsets[0].addresses[0].ip}");

        // nginx's pod: its own server on the loopback and by its names, nginx's flags, its files
        Kubectl.Result ps = k.run("-n", ns, "exec", "nginx-pod", "--", "sh", "-c", "ps aux");
        assertEquals(127, ps.exitCode(), ps::toString);
        assertEquals("sh: 1: ps: not found\ncommand terminated with exit code 127\n", k.streamErr(ps));
        Kubectl.Result own = ok(k.run("-n", ns, "exec", "nginx-pod", "--", "sh", "-c",
                "curl -s 127.0.0.1 | head -4; curl -s localhost | wc -c; curl -s nginx-pod | wc -c; hostname -i"));
        assertEquals("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n615\n615\n" + podIp + "\n", own.out());
        Kubectl.Result closed = k.run("-n", ns, "exec", "nginx-pod", "--", "curl", "-sS", "127.0.0.1:81");
        assertEquals(7, closed.exitCode(), closed::toString);
        assertEquals("curl: (7) Failed to connect to 127.0.0.1 port 81 after 0 ms: Couldn't connect to server\n"
                + "command terminated with exit code 7\n", k.streamErr(closed));
        Kubectl.Result nginx = ok(k.run("-n", ns, "exec", "nginx-pod", "--", "sh", "-c", "nginx -v && nginx -t"));
        assertEquals("nginx version: nginx/1.29.3\nnginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                + "nginx: configuration file /etc/nginx/nginx.conf test is successful\n", k.streamErr(nginx));
        Kubectl.Result files = ok(k.run("-n", ns, "exec", "nginx-pod", "--", "sh", "-c",
                "head -1 /etc/os-release; wc -c /usr/share/nginx/html/50x.html; grep root:x /etc/passwd"));
        assertEquals("PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n497 /usr/share/nginx/html/50x.html\n"
                + "root:x:0:0:root:/root:/bin/bash\n", files.out());

        // busybox's pod: a ClusterIP does not answer ping, a pod does
        Kubectl.Result ping = k.run("-n", ns, "exec", "bb", "--", "ping", "-c", "2", "-W", "1", "web");
        assertEquals(1, ping.exitCode(), ping::toString);
        assertEquals("PING web (" + clusterIp + "): 56 data bytes\n\n--- web ping statistics ---\n"
                + "2 packets transmitted, 0 packets received, 100% packet loss\n", ping.out());
        Kubectl.Result pong = ok(k.run("-n", ns, "exec", "bb", "--", "ping", "-c", "1", podIp));
        assertTrue(pong.out().matches("PING " + podIp.replace(".", "\\.") + " \\(.*\\): 56 data bytes\n64 bytes from "
                + podIp.replace(".", "\\.") + ": seq=0 ttl=6[234] time=\\d\\.\\d{3} ms\n\n--- .* ping statistics ---\n"
                + "1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = .* ms\n"), pong::toString);

        // nslookup asks the cluster's DNS: a Service, a headless one (its pods), a missing name
        Kubectl.Result svc = ok(k.run("-n", ns, "exec", "bb", "--", "nslookup", "web." + ns + ".svc.cluster.local"));
        assertEquals("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb." + ns + ".svc.cluster.local\nAddress: "
                + clusterIp + "\n\n\n", svc.out());
        Kubectl.Result headless = k.run("-n", ns, "exec", "bb", "--", "nslookup", "db");
        assertTrue(headless.out().contains("Name:\tdb." + ns + ".svc.cluster.local\nAddress: " + podIp + "\n"), headless::toString);
        assertTrue(headless.out().contains("** server can't find db.svc.cluster.local: NXDOMAIN\n"), headless::toString);
        Kubectl.Result missing = k.run("-n", ns, "exec", "bb", "--", "nslookup", "nosuch." + ns);
        assertEquals(1, missing.exitCode(), missing::toString);
        assertEquals("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nosuch." + ns + ": NXDOMAIN\n\n"
                + "** server can't find nosuch." + ns + ": NXDOMAIN\n\n", missing.out());

        // wget and nc through the resolver, from sh -c pipelines
        Kubectl.Result wget = ok(k.run("-n", ns, "exec", "bb", "--", "sh", "-c", "wget -qO- web | head -4; wget -qO- " + podIp + " | wc -c"));
        assertEquals("<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n615\n", wget.out());
        Kubectl.Result notFound = k.run("-n", ns, "exec", "bb", "--", "wget", "-O", "-", "web/nope");
        assertEquals(1, notFound.exitCode(), notFound::toString);
        assertEquals("Connecting to web (" + clusterIp + ":80)\nwget: server returned error: HTTP/1.1 404 Not Found\n"
                + "command terminated with exit code 1\n", k.streamErr(notFound));
        Kubectl.Result bad = k.run("-n", ns, "exec", "bb", "--", "wget", "-q", "nosuch");
        assertEquals("wget: bad address 'nosuch'\ncommand terminated with exit code 1\n", k.streamErr(bad));
        Kubectl.Result nc = ok(k.run("-n", ns, "exec", "bb", "--", "sh", "-c", "nc -zv web 80 2>&1; nc -z web 81; echo $?"));
        assertEquals("web (" + clusterIp + ":80) open\n1\n", nc.out());

        // the pod's interfaces
        Kubectl.Result ip = ok(k.run("-n", ns, "exec", "bb", "--", "sh", "-c", "ip addr | grep 'inet '; ip route; hostname -i"));
        assertEquals("    inet 127.0.0.1/8 scope host lo\n    inet " + bbIp + "/32 scope global eth0\n"
                + "default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n" + bbIp + "\n", ip.out());
        k.run("delete", "namespace", ns, "--wait=false");
    }
}
