package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images' network tools and system views in a pod of namespace {@code default} at 172.16.1.5: a Service web
 * (ClusterIP 10.96.0.20, port 80 to an nginx pod at 172.16.2.7), a headless Service db with two pods.
 */
class NetworkToolsTest {
    private static final String PAGE = "HTTP/1.1 200 OK\r\nServer: nginx/1.29.3\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello";
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final ExecRecorder io = new ExecRecorder();
    private final StringBuilder out = io.out;
    private final StringBuilder err = io.err;
    private final List<Runnable> timers = io.timers;
    private final List<Duration> delays = io.delays;
    private final List<String> requests = new ArrayList<>();

    /** The cluster the pod sees. */
    private final ExecProcess.Network network = new ExecProcess.Network() {
        @Override
        public Curl curl(List<String> args) {
            return new Curl("", "", 6, Duration.ZERO);
        }

        @Override
        public List<String> query(String fqdn) {
            return switch (fqdn) {
                case "web.default.svc.cluster.local" -> List.of("10.96.0.20");
                case "kubernetes.default.svc.cluster.local" -> List.of("10.96.0.1");
                case "db.default.svc.cluster.local" -> List.of("172.16.3.1", "172.16.3.2");
                default -> null;
            };
        }

        @Override
        public Reach connect(String ip, int port) {
            if (ip.equals("10.96.0.20") || ip.startsWith("127.")) return port == 80 ? Reach.OPEN : Reach.REFUSED;
            return ip.equals("172.16.2.7") ? Reach.REFUSED : Reach.DROPPED;
        }

        @Override
        public byte[] http(String ip, int port, String requestHead) {
            requests.add(requestHead);
            String response = requestHead.startsWith("GET /nope ")
                    ? "HTTP/1.1 404 Not Found\r\nServer: nginx/1.29.3\r\nContent-Length: 0\r\n\r\n" : PAGE;
            return response.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int echoTtl(String ip) {
            return ip.equals("172.16.2.7") ? 62 : ip.startsWith("127.") ? 64 : 0;
        }

        @Override
        public List<Integer> listening() {
            return List.of(80);
        }

        @Override
        public String podIp() {
            return "172.16.1.5";
        }
    };

    private ExecProcess start(String image, List<String> argv, boolean stdin, boolean tty) {
        Image i = catalogue.resolve(image);
        Instant created = Instant.parse("2026-12-06T10:00:00Z");
        ContainerFiles files = new ContainerFiles(i, "client", created);
        files.writeFile("/etc/hosts", ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "172.16.1.5\tclient\n").getBytes(StandardCharsets.UTF_8), 0644, created);
        files.writeFile("/etc/resolv.conf", ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                + "nameserver 10.96.0.10\noptions ndots:5\n").getBytes(StandardCharsets.UTF_8), 0644, created);
        return io.start(new ExecProcess.Container("client", i, List.of(), Map.of(), created, () -> { }, files, network), argv,
                stdin, tty);
    }

    private ExecProcess sh(String image, String script) {
        return start(image, List.of("sh", "-c", script), false, false);
    }

    /** Runs the timers as they come due, until none is left. */
    private void runTimers() {
        while (!timers.isEmpty()) timers.remove(0).run();
    }

    @Test
    void pingOfAClusterIpGetsNoAnswerAndGivesUpAfterTheWait() {
        sh("busybox", "ping -c 2 web");
        assertEquals("PING web (10.96.0.20): 56 data bytes\n", out.toString());
        assertNull(io.exit, "it waits for the answers");
        runTimers();
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)), delays, "one request a second, then -W's 10 s");
        assertEquals("PING web (10.96.0.20): 56 data bytes\n\n--- web ping statistics ---\n"
                + "2 packets transmitted, 0 packets received, 100% packet loss\n", out.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void pingOfAPodIpPrintsEachAnswerAndTheRoundTrips() {
        sh("busybox", "ping -c 2 172.16.2.7");
        assertTrue(out.toString().matches("PING 172.16.2.7 \\(172.16.2.7\\): 56 data bytes\n"
                + "64 bytes from 172.16.2.7: seq=0 ttl=62 time=0\\.\\d{3} ms\n"), out::toString);
        runTimers();
        assertTrue(out.toString().matches("(?s).*64 bytes from 172.16.2.7: seq=1 ttl=62 time=0\\.\\d{3} ms\n\n"
                + "--- 172.16.2.7 ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\n"
                + "round-trip min/avg/max = 0\\.\\d{3}/0\\.\\d{3}/0\\.\\d{3} ms\n"), out::toString);
        assertEquals(0, io.exit);
    }

    @Test
    void pingWithoutACountRunsUntilInterruptedOrTheExecEnds() {
        ExecProcess p = start("busybox", List.of("ping", "localhost"), true, true);
        for (int i = 0; i < 5; i++) timers.remove(0).run();
        assertNull(io.exit);
        assertTrue(out.toString().contains("64 bytes from 127.0.0.1: seq=5 ttl=64"), out::toString);
        p.input("\u0003".getBytes(StandardCharsets.UTF_8));
        assertTrue(out.toString().contains("seq=5 ttl=64 time=0.0"), out::toString);
        assertTrue(out.toString().matches("(?s).*\r\n\\^C\r\n--- localhost ping statistics ---\r\n6 packets transmitted, 6 packets received, 0% packet loss\r\n.*"),
                out::toString);
        assertEquals(0, io.exit);
        assertTrue(timers.isEmpty());

        out.setLength(0);
        io.exit = null;
        ExecProcess q = start("busybox", List.of("ping", "web"), false, false);
        timers.remove(0).run();
        q.containerEnded();
        assertEquals(137, io.exit);
        assertTrue(timers.isEmpty(), "its next request is not sent");
    }

    @Test
    void pingOfANameNobodyKnowsFailsAtOnce() {
        sh("busybox", "ping -c 1 nosuch");
        assertEquals("ping: bad address 'nosuch'\n", err.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void nslookupTriesEachSearchDomainForABareName() {
        sh("busybox", "nslookup web");
        assertEquals("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                + "Name:\tweb.default.svc.cluster.local\nAddress: 10.96.0.20\n\n"
                + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
                + "** server can't find web.cluster.local: NXDOMAIN\n\n"
                + "\n"
                + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
                + "** server can't find web.cluster.local: NXDOMAIN\n\n", out.toString());
        assertEquals(1, io.exit, "BusyBox counts the search domains' NXDOMAIN");
    }

    @Test
    void nslookupAsksForADottedNameAsIs() {
        sh("busybox", "nslookup db.default.svc.cluster.local");
        assertEquals("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                + "Name:\tdb.default.svc.cluster.local\nAddress: 172.16.3.1\n"
                + "Name:\tdb.default.svc.cluster.local\nAddress: 172.16.3.2\n\n\n", out.toString());
        assertEquals(0, io.exit);
        out.setLength(0);
        sh("busybox", "nslookup kubernetes.default");
        assertEquals("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                + "** server can't find kubernetes.default: NXDOMAIN\n\n"
                + "** server can't find kubernetes.default: NXDOMAIN\n\n", out.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void wgetFetchesThroughTheResolverAndSaysWhatItDid() {
        sh("busybox", "wget -qO- web");
        assertEquals("hello", out.toString());
        assertEquals("", err.toString());
        assertEquals(0, io.exit);
        assertEquals("GET / HTTP/1.1\r\nHost: web\r\nUser-Agent: Wget\r\nConnection: close\r\n", requests.get(0));

        out.setLength(0);
        sh("busybox", "wget -O /tmp/page web.default.svc.cluster.local && cat /tmp/page");
        assertEquals("hello", out.toString());
        assertEquals("Connecting to web.default.svc.cluster.local (10.96.0.20:80)\nsaving to '/tmp/page'\n"
                + "page                 100% |********************************|     5  0:00:00 ETA\n'/tmp/page' saved\n", err.toString());

        err.setLength(0);
        sh("busybox", "wget -S -O - localhost/nope");
        assertEquals("Connecting to localhost (127.0.0.1:80)\n  HTTP/1.1 404 Not Found\n  Server: nginx/1.29.3\n  Content-Length: 0\n"
                + "wget: server returned error: HTTP/1.1 404 Not Found\n", err.toString());
        assertEquals(1, io.exit);

        err.setLength(0);
        sh("busybox", "wget -q nosuch; wget -q 172.16.2.7");
        assertEquals("wget: bad address 'nosuch'\nwget: can't connect to remote host (172.16.2.7): Connection refused\n", err.toString());
    }

    @Test
    void wgetToAnAddressThatDropsPacketsWaitsForItsTimeout() {
        sh("busybox", "wget -q -T 3 172.16.9.9");
        assertNull(io.exit);
        assertEquals(List.of(Duration.ofSeconds(3)), delays);
        runTimers();
        assertEquals("wget: download timed out\n", err.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void ncScansAPort() {
        sh("busybox", "nc -zv web 80; echo $?; nc -zv web 81; echo $?; nc -zvv web 81");
        assertEquals("web (10.96.0.20:80) open\nnc: web (10.96.0.20:81): Connection refused\n", err.toString());
        assertEquals("0\n1\n", out.toString());
        err.setLength(0);
        sh("busybox", "nc -zv -w 2 172.16.9.9 80");
        assertEquals(List.of(Duration.ofSeconds(2)), delays);
        runTimers();
        assertEquals("nc: 172.16.9.9 (172.16.9.9:80): Connection timed out\n", err.toString());
        assertEquals(1, io.exit);
    }

    @Test
    void thePodsInterfacesAndSockets() {
        sh("busybox", "ip addr | grep inet; ip route; ifconfig eth0 | head -2; netstat -tln; hostname -i");
        String text = out.toString();
        assertTrue(text.startsWith("    inet 127.0.0.1/8 scope host lo\n    inet6 ::1/128 scope host \n"
                + "    inet 172.16.1.5/32 scope global eth0\n    inet6 fe80::"), text);
        assertTrue(text.contains("default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n"), text);
        assertTrue(text.contains("\n          inet addr:172.16.1.5  Bcast:0.0.0.0  Mask:255.255.255.255\n"), text);
        assertTrue(text.contains("Active Internet connections (only servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       \n"
                + "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      \n"), text);
        assertTrue(text.endsWith("\n172.16.1.5\n"), text);
    }

    @Test
    void busyboxShowsTheNodesDiskMemoryAndUptime() {
        sh("busybox", "df -h | head -2; free -m; uptime");
        String text = out.toString();
        assertTrue(text.startsWith("Filesystem                Size      Used Available Use% Mounted on\n"
                + "overlay                  38.2G     10.0G     28.2G  26% /\n"
                + "              total        used        free      shared  buff/cache   available\n"
                + "Mem:           1821         597         392           4         830        1065\n"
                + "Swap:             0           0           0\n"), text);
        assertTrue(text.matches("(?s).*\\n \\d\\d:\\d\\d:\\d\\d up .*,  0 users,  load average: 0\\.08, 0\\.05, 0\\.01\\n"), text);
        assertEquals(0, io.exit);
    }

    @Test
    void debianImagesHaveNoneOfBusyBoxsApplets() {
        sh("nginx", "ps aux; ping -c 1 web; wget web");
        assertEquals("sh: 1: ps: not found\nsh: 1: ping: not found\nsh: 1: wget: not found\n", err.toString());
        assertEquals(127, io.exit);
    }

    @Test
    void nginxAsACommandAnswersAndEnds() {
        sh("nginx", "nginx -v; nginx -t; nginx -s reload");
        assertTrue(err.toString().matches("nginx version: nginx/1.29.3\n"
                + "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                + "nginx: configuration file /etc/nginx/nginx.conf test is successful\n"
                + "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[notice] \\d+#\\d+: signal process started\n"), err::toString);
        assertEquals(0, io.exit);
        err.setLength(0);
        io.exit = null;
        sh("nginx", "nginx");
        assertNull(io.exit);
        runTimers();
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500)), delays);
        assertTrue(err.toString().endsWith("nginx: [emerg] still could not bind()\n"), err::toString);
        assertEquals(10, err.toString().split("nginx: \\[emerg] bind\\(\\) to ").length - 1, err::toString);
        assertEquals(1, io.exit);
    }

    @Test
    void theImagesFilesAreTheirDistributions() {
        sh("nginx", "wc -c /usr/share/nginx/html/50x.html; grep PRETTY /etc/os-release; grep nginx /etc/passwd; cat /proc/1/cmdline");
        assertEquals("497 /usr/share/nginx/html/50x.html\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n"
                + "nginx:x:101:101:nginx user:/nonexistent:/bin/false\nnginx: master process nginx -g daemon off;\0", out.toString());
        out.setLength(0);
        sh("nginx", "cat /etc/nginx/nginx.conf | grep include");
        assertEquals("    include       /etc/nginx/mime.types;\n    include /etc/nginx/conf.d/*.conf;\n", out.toString());
    }

    @Test
    void lsPrintsOneNamePerLineIntoAPipeEvenOnATerminal() {
        ExecProcess p = start("nginx", List.of("bash"), true, true);
        out.setLength(0);
        p.input("ls / | head -3\r".getBytes(StandardCharsets.UTF_8));
        assertEquals("ls / | head -3\r\nbin\r\nboot\r\ndev\r\nroot@client:/# ", out.toString());
        out.setLength(0);
        p.input("echo hi > /tmp/x\rcat /tmp/x\rcd /etc; pwd\r".getBytes(StandardCharsets.UTF_8));
        assertEquals("echo hi > /tmp/x\r\nroot@client:/# cat /tmp/x\r\nhi\r\nroot@client:/# cd /etc; pwd\r\n/etc\r\nroot@client:/etc# ",
                out.toString(), "a file's bytes on the terminal end their lines with CR LF too");
    }
}
