package kubefake.server.e2e;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A container's shell reading its stdin, as learners use it: {@code kubectl run -i --rm ... -- sh} with commands piped
 * in, {@code kubectl run -it} at a terminal, {@code kubectl attach -i} to a pod whose stdin stays open, and the
 * container's log afterwards. kubectl waits for the pod to run, attaches (SPDY for 1.27 and 1.29, WebSockets after),
 * and reports the container's exit code once the shell exits.
 */
class PodAttachE2ETest {

    static List<String> clients() {
        return List.of("1.27", "1.29", "1.31", "1.33");
    }

    private static String namespace(Kubectl k, String test, String client) {
        String ns = "e2e-attach-" + test + "-" + client.replace('.', '-');
        Kubectl.ok(k.run("create", "namespace", ns));
        return ns;
    }

    @ParameterizedTest
    @MethodSource("clients")
    void runWithPipedCommandsPrintsTheirOutputAndEndsWithTheShellsCode(String client) {
        Kubectl k = TestCluster.kubectl(client);
        String ns = namespace(k, "piped", client);
        Kubectl.Result r = k.runWithInput("echo inside; hostname\n", "-n", ns, "run", "-i", "--rm", "t", "--image=busybox",
                "--restart=Never", "--", "sh");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("inside\nt\npod \"t\" deleted\n", r.out());
        assertEquals("If you don't see a command prompt, try pressing enter.\n", k.streamErr(r));
        Kubectl.Result three = k.runWithInput("echo before\nexit 3\necho never\n", "-n", ns, "run", "-i", "--rm", "t3",
                "--image=busybox", "--restart=Never", "--", "sh");
        assertEquals(3, three.exitCode(), three::toString);
        assertEquals("before\npod \"t3\" deleted\n", three.out());
        assertEquals("If you don't see a command prompt, try pressing enter.\npod " + ns + "/t3 terminated (Error)\n",
                k.streamErr(three));
        Kubectl.ok(k.runUntil(java.time.Duration.ofSeconds(30), x -> x.out().isEmpty(), "-n", ns, "get", "pods", "-o", "name"));
    }

    /**
     * At a terminal: kubectl's hint, the prompt busybox redraws when the pty's size changes (kubectl sends its size
     * plus one, then its size, so that the screen is redrawn: two redraws), the echo, CR LF.
     */
    @ParameterizedTest
    @MethodSource("clients")
    void runItAtATerminalShowsThePromptAndEchoes(String client) {
        Kubectl k = TestCluster.kubectl(client);
        String ns = namespace(k, "tty", client);
        Kubectl.Result r = k.runInTerminal("/ # ", List.of("echo hi", "hostname", "exit 2"), 100, 30,
                "-n", ns, "run", "-it", "--rm", "tt", "--image=busybox", "--restart=Never", "--", "sh");
        assertEquals(2, r.exitCode(), r::toString);
        String shown = k.streamErr(new Kubectl.Result(r.exitCode(), "", r.out()));
        String session = "If you don't see a command prompt, try pressing enter.\r\n\r/ # \u001b[J\r/ # \u001b[J"
                + "echo hi\r\nhi\r\n/ # hostname\r\ntt\r\n/ # exit 2\r\n";
        assertTrue(shown.startsWith(session), shown);
        assertTrue(shown.contains("pod \"tt\" deleted\r\n"), shown);
        assertTrue(shown.endsWith("pod " + ns + "/tt terminated (Error)\r\n"), shown);
    }

    /**
     * A pod whose container keeps stdin open between attaches (no stdinOnce): two attaches talk to the same shell,
     * the second's {@code exit 4} ends the container, the kubelet restarts it, and its log has what the shell wrote.
     */
    @ParameterizedTest
    @MethodSource("clients")
    void twoAttachesTalkToTheSameShellAndItsExitRestartsTheContainer(String client, @TempDir Path tmp) throws Exception {
        Kubectl k = TestCluster.kubectl(client);
        String ns = namespace(k, "twice", client);
        Path file = Files.createTempFile(tmp, "pod", ".yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata: {name: sh}
                spec:
                  containers: [{name: sh, image: busybox, command: [sh], stdin: true}]
                """);
        Kubectl.ok(k.run("-n", ns, "create", "-f", file.toString()));
        Kubectl.ok(k.run("-n", ns, "wait", "--for=condition=Ready", "pod/sh", "--timeout=60s"));
        Kubectl.Result first = k.runWithInputUntil("echo one; X=5; cd /etc\n", "one\n", "-n", ns, "attach", "-i", "sh");
        assertEquals("one\n", first.out());
        Kubectl.Result second = k.runWithInput("echo two $X; pwd\nexit 4\n", "-n", ns, "attach", "-i", "sh");
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("two 5\n/etc\n", second.out());
        Kubectl.ok(k.runUntil(java.time.Duration.ofSeconds(30), x -> x.out().equals("1 4"), "-n", ns, "get", "pod", "sh", "-o",
                "jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.exitCode}"));
        Kubectl.Result logs = k.run("-n", ns, "logs", "sh", "--previous");
        Kubectl.ok(logs);
        assertEquals("one\ntwo 5\n/etc\n", logs.out());
        Kubectl.Result fresh = k.run("-n", ns, "logs", "sh");
        Kubectl.ok(fresh);
        assertEquals("", fresh.out(), "the restarted shell has written nothing");
    }
}
