package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kubectl exec} into the simulated containers over both transports: SPDY/3.1 (1.27, 1.29, and 1.33 when told
 * not to use WebSockets) and the v5 WebSocket protocol (1.31, 1.33): output and exit codes, a shell fed on stdin, a program the
 * image lacks, and LAB.md step 11 (nginx is PID 1; {@code kill 1} ends the session with 137 and the kubelet restarts
 * the container).
 */
class PodExecE2ETest {

    static List<String> clients() {
        return List.of("1.27", "1.29", "1.31", "1.33", "1.33-spdy");
    }

    private static Kubectl kubectl(String client) {
        Kubectl k = TestCluster.kubectl(client.substring(0, 4));
        if (client.endsWith("-spdy")) k.env("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
        return k;
    }

    private static void assertOk(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
    }

    private static String nginxPod(Kubectl k, String client, Path tmp, String name) throws Exception {
        String ns = "e2e-exec-" + client.replace('.', '-');
        k.run("create", "namespace", ns); // one per client: its tests' pods share it
        NginxPods.createReady(k, tmp, ns, name);
        return ns;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void commandsPrintTheirOutputAndExitWithTheirCode(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = nginxPod(k, client, tmp, "web");
        Kubectl.Result hi = k.run("-n", ns, "exec", "web", "--", "echo", "hi");
        assertOk(hi);
        assertEquals("hi\n", hi.out());
        Kubectl.Result three = k.run("-n", ns, "exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, three.exitCode(), three::toString);
        assertEquals("out\n", three.out());
        assertEquals("err\ncommand terminated with exit code 3\n", k.streamErr(three));
        Kubectl.Result missing = k.run("-n", ns, "exec", "web", "--", "nope");
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(Pattern.compile("^error: Internal error occurred: error executing command in container: failed to exec in "
                + "container: failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: exec failed: unable to start "
                + "container process: exec: \"nope\": executable file not found in \\$PATH: unknown\n$").matcher(k.streamErr(missing)).find(),
                missing::toString);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aShellReadsItsCommandsFromStdin(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = nginxPod(k, client, tmp, "shell");
        Kubectl.Result r = k.runWithInput("hostname\ncat /usr/share/nginx/html/index.html | grep title\nfoo\nexit 4\n",
                "-n", ns, "exec", "-i", "shell", "--", "/bin/bash");
        assertEquals(4, r.exitCode(), r::toString);
        assertEquals("shell\n<title>Welcome to nginx!</title>\n", r.out());
        assertEquals("/bin/bash: line 3: foo: command not found\ncommand terminated with exit code 4\n", k.streamErr(r));
        Kubectl.Result eof = k.runWithInput("echo bye\n", "-n", ns, "exec", "-i", "shell", "--", "sh");
        assertOk(eof);
        assertEquals("bye\n", eof.out());
    }

    /** The kubelet's hosts file and containerd's resolv.conf, as {@code cat} shows them in the container. */
    @ParameterizedTest
    @MethodSource("clients")
    void theContainerFindsItsHostsFileAndTheClusterDns(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = nginxPod(k, client, tmp, "net");
        String ip = k.run("-n", ns, "get", "pod", "net", "-o", "jsonpath={.status.podIP}").out();
        assertTrue(ip.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), ip);
        Kubectl.Result hosts = k.run("-n", ns, "exec", "net", "--", "cat", "/etc/hosts");
        assertOk(hosts);
        assertEquals("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
                + ip + "\tnet\n", hosts.out());
        Kubectl.Result resolv = k.run("-n", ns, "exec", "net", "--", "cat", "/etc/resolv.conf");
        assertOk(resolv);
        assertEquals("search " + ns + ".svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\n"
                + "options ndots:5\n", resolv.out());
    }

    /**
     * kubectl's SPDY library keeps no flow-control windows (it never sends WINDOW_UPDATE): a server that waits for
     * one stops after the session's first 64 KiB. Here 300 KB go to {@code cat} on stdin and come back on stdout.
     */
    @ParameterizedTest
    @MethodSource("clients")
    void moreThanASessionsFirst64KiBGoesInAndComesBack(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = nginxPod(k, client, tmp, "big");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 300_000; i++) text.append("line ").append(i).append(" of a long input\n");
        Kubectl.Result r = k.runWithInput(text.toString(), "-n", ns, "exec", "-i", "big", "--", "cat");
        assertOk(r);
        assertEquals(text.length(), r.out().length());
        assertEquals(text.toString(), r.out());
    }

    /**
     * LAB.md step 11 as a user types it: {@code kubectl exec -it nginx-pod -- /bin/bash} at a real terminal. With a TTY
     * the container's pty echoes what is typed, ends lines with CR LF and merges stderr into stdout; bash shows the
     * nginx image's prompt and says {@code exit} as it leaves; kubectl restores the terminal and reports the code.
     */
    @ParameterizedTest
    @MethodSource("clients")
    void anInteractiveShellOnATerminalShowsThePromptAndEchoes(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = nginxPod(k, "tty-" + client, tmp, "nginx-pod"); // its own namespace: kill1... has an nginx-pod too
        String prompt = "root@nginx-pod:/# ";
        Kubectl.Result r = k.runInTerminal(prompt, List.of("hostname", "echo out; echo err >&2", "stty size", "exit 3"), 100, 30,
                "-n", ns, "exec", "-it", "nginx-pod", "--", "/bin/bash");
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals(prompt + "hostname\r\nnginx-pod\r\n"
                + prompt + "echo out; echo err >&2\r\nout\r\nerr\r\n"
                + prompt + "stty size\r\n30 100\r\n"
                + prompt + "exit 3\r\nexit\r\n"
                + "command terminated with exit code 3\r\n", k.streamErr(new Kubectl.Result(r.exitCode(), "", r.out())),
                r::toString);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void kill1EndsTheSessionAndTheKubeletRestartsTheContainer(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = nginxPod(k, client, tmp, "nginx-pod");
        Kubectl.Result pid1 = k.run("-n", ns, "exec", "nginx-pod", "--", "cat", "/proc/1/cmdline");
        assertOk(pid1);
        assertEquals("nginx: master process nginx -g daemon off;\0", pid1.out(), "nginx's master names itself");
        Kubectl.Result ps = k.run("-n", ns, "exec", "nginx-pod", "--", "ps", "aux");
        assertEquals(1, ps.exitCode(), "nginx's image has no procps: " + ps);
        assertTrue(ps.err().contains("exec: \"ps\": executable file not found in $PATH"), ps::toString);
        // the shell waits while nginx shuts down; the container's end kills it
        Kubectl.Result killed = k.runWithInput("kill 1\nsleep 30\n", "-n", ns, "exec", "-i", "nginx-pod", "--", "/bin/bash");
        assertEquals(137, killed.exitCode(), killed::toString);
        assertEquals("command terminated with exit code 137\n", k.streamErr(killed));
        assertOk(k.run("-n", ns, "wait", "--for=jsonpath={.status.containerStatuses[0].restartCount}=1", "pod/nginx-pod",
                "--timeout=60s"));
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/nginx-pod", "--timeout=60s"));
        Kubectl.Result pods = k.run("-n", ns, "get", "pod", "nginx-pod");
        assertTrue(Pattern.compile("^nginx-pod +1/1 +Running +1 \\(\\d+s ago\\) +\\d+s$", Pattern.MULTILINE).matcher(pods.out()).find(),
                pods::toString);
        Kubectl.Result lastState = k.run("-n", ns, "get", "pod", "nginx-pod", "-o",
                "jsonpath={.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}");
        assertEquals("Completed/0", lastState.out(), "nginx takes SIGTERM and exits 0");
        Kubectl.Result notRunning = k.run("-n", ns, "logs", "nginx-pod", "--previous", "--tail=1");
        assertOk(notRunning);
        assertTrue(notRunning.out().endsWith("[notice] 1#1: start worker process 29\n"), notRunning::toString);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void attachShowsWhatTheMainProcessWritesUntilItEnds(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = "e2e-attach-" + client.replace('.', '-');
        k.run("create", "namespace", ns);
        Path file = Files.createTempFile(tmp, "pod", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: ticker}
                spec:
                  nodeName: w2-k8s
                  restartPolicy: Never
                  containers: [{name: main, image: busybox, command: [sh, -c, 'echo early; sleep 4; echo tick; sleep 1; echo tock >&2']}]
                """);
        assertOk(k.run("-n", ns, "create", "-f", file.toString()));
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/ticker", "--timeout=60s"));
        Kubectl.Result attached = k.run("-n", ns, "attach", "ticker");
        assertOk(attached);
        assertTrue(attached.out().endsWith("tick\n"), attached::toString);
        assertTrue(!attached.out().contains("early"), "attach starts from now: " + attached);
        assertTrue(k.streamErr(attached).endsWith("tock\n"), attached::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29", "1.33"})
    void scriptsRunInTheImagesShell(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = "e2e-sh-" + client.replace('.', '-');
        k.run("create", "namespace", ns);
        Path file = Files.createTempFile(tmp, "pod", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: clock}
                spec:
                  containers: [{name: main, image: busybox, command: [/bin/sh, -c, 'while true; do date; sleep 5; done']}]
                """);
        assertOk(k.run("-n", ns, "create", "-f", file.toString()));
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/clock", "--timeout=60s"));
        String date = "[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} UTC \\d{4}";

        Kubectl.Result loop = k.run("-n", ns, "exec", "clock", "--", "sh", "-c", "for i in $(seq 1 3); do date; done");
        assertOk(loop);
        assertEquals(3, loop.out().lines().count(), loop::toString);
        assertTrue(loop.out().lines().allMatch(l -> l.matches(date)), loop::toString);
        Kubectl.Result words = k.run("-n", ns, "exec", "clock", "--", "sh", "-c",
                "n=0; for w in $(echo a b) `echo c`; do n=$((n + 1)); done; echo \"$n words\"");
        assertEquals("3 words\n", words.out(), words::toString);
        Kubectl.Result branch = k.run("-n", ns, "exec", "clock", "--", "sh", "-c",
                "if [ -f /etc/hostname ]; then case $(cat /etc/hostname) in clo*) echo mine;; *) echo other;; esac; else echo none; fi");
        assertEquals("mine\n", branch.out(), branch::toString);
        Kubectl.Result piped = k.run("-n", ns, "exec", "clock", "--", "sh", "-c", "seq 10 | grep 1 | wc -l");
        assertEquals("2\n", piped.out(), piped::toString);
        // a pipeline's stages run together: an endless producer's lines reach the reader as they come, and the
        // reader's end ends the producer
        Kubectl.Result endless = k.run("-n", ns, "exec", "clock", "--", "sh", "-c",
                "while true; do date; sleep 1; done | grep UTC | head -n 2");
        assertOk(endless);
        assertEquals(2, endless.out().lines().count(), endless::toString);
        assertTrue(endless.out().lines().allMatch(l -> l.matches(date)), endless::toString);
        // seq writes as its reader reads, and tail and wc keep only what they print: 20 MB of numbers go through
        Kubectl.Result lengthy = k.run("-n", ns, "exec", "clock", "--", "sh", "-c", "seq 1 3000000 | tail -n 1; seq 3000000 | wc -l");
        assertEquals("3000000\n3000000\n", lengthy.out(), lengthy::toString);
        Kubectl.Result toClient = k.run("-n", ns, "exec", "clock", "--", "seq", "200000");
        assertEquals(200000, toClient.out().lines().count(), () -> toClient.toString().substring(0, 300));
        assertTrue(toClient.out().endsWith("\n199999\n200000\n"));
        Kubectl.Result fromStdin = k.runWithInput("a\nb\nc\n", "-n", ns, "exec", "-i", "clock", "--", "sh", "-c",
                "cat | grep -v b | sort -r");
        assertEquals("c\na\n", fromStdin.out(), fromStdin::toString);

        Kubectl.Result broken = k.run("-n", ns, "exec", "clock", "--", "sh", "-c", "do date; done");
        assertEquals(2, broken.exitCode(), broken::toString);
        assertEquals("sh: syntax error: unexpected \"do\"\ncommand terminated with exit code 2\n", k.streamErr(broken));
        Kubectl.Result missing = k.run("-n", ns, "exec", "clock", "--", "sh", "-c", "for i in 1; do nope; done");
        assertEquals(127, missing.exitCode(), missing::toString);
        assertEquals("sh: nope: not found\ncommand terminated with exit code 127\n", k.streamErr(missing));

        Kubectl.Result logs = k.run("-n", ns, "logs", "clock");
        assertOk(logs);
        assertTrue(logs.out().lines().findAny().isPresent() && logs.out().lines().allMatch(l -> l.matches(date)), logs::toString);
    }
    /** BusyBox's timeout as a container's command: PROG is PID 1, the watcher beside it; timeout and tr in a script. */
    @ParameterizedTest
    @ValueSource(strings = {"1.33"})
    void timeoutRunsItsProgramInItsPlace(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = kubectl(client);
        String ns = "e2e-timeout-" + client.replace('.', '-');
        k.run("create", "namespace", ns);
        Path file = Files.createTempFile(tmp, "pod", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: timed}
                spec:
                  containers: [{name: main, image: busybox, command: [timeout, '3600', sh, -c, 'sleep 3600']}]
                """);
        assertOk(k.run("-n", ns, "create", "-f", file.toString()));
        assertOk(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/timed", "--timeout=60s"));
        Kubectl.Result ps = k.run("-n", ns, "exec", "timed", "--", "ps");
        assertOk(ps);
        List<String> lines = ps.out().lines().toList();
        assertEquals(4, lines.size(), ps::toString);
        assertEquals("    1 root      0:00 sh -c sleep 3600", lines.get(1));
        assertTrue(lines.get(2).matches(" +\\d+ root      0:00 timeout 3600 sh -c sleep 3600"), ps::toString);
        assertTrue(lines.get(3).matches(" +\\d+ root      0:00 ps"), ps::toString);
        Kubectl.Result script = k.run("-n", ns, "exec", "timed", "--", "sh", "-c",
                "timeout 1 sleep 5; echo $?; cat /proc/1/cmdline | tr '\\0' ' '; echo");
        assertOk(script);
        assertEquals("143\nsh -c sleep 3600 \n", script.out());
    }
}
