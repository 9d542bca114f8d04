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

/** Processes exec starts in a simulated container: commands, the interactive shell, the terminal, PID 1. */
class ExecProcessTest {
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final StringBuilder out = new StringBuilder();
    private final StringBuilder err = new StringBuilder();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private Integer exit;
    private String failure;
    private int signals;

    private ExecProcess start(String image, List<String> argv, boolean stdin, boolean tty) {
        ExecProcess.Container c = new ExecProcess.Container("nginx-pod", catalogue.resolve(image), List.of(), Map.of("A", "b"),
                Instant.parse("2026-12-06T10:00:00Z"), () -> signals++);
        return ExecProcess.start(c, argv, stdin, tty, new ExecProcess.Io() {
            @Override
            public void stdout(String text) {
                out.append(text);
            }

            @Override
            public void stdoutBytes(byte[] data) {
                out.append(new String(data, StandardCharsets.UTF_8));
            }

            @Override
            public void stderr(String text) {
                err.append(text);
            }

            @Override
            public void exited(int code) {
                exit = code;
            }

            @Override
            public void failed(String message) {
                failure = message;
            }
        }, (delay, task) -> {
            delays.add(delay);
            timers.add(task);
            return () -> timers.remove(task);
        }, Instant.parse("2026-12-06T10:05:00Z"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCommandRunsAndEndsWithItsStatus() {
        start("nginx", List.of("sh", "-c", "echo out; echo err >&2; exit 3"), false, false);
        assertEquals("out\n", out.toString());
        assertEquals("err\n", err.toString());
        assertEquals(3, exit);
        out.setLength(0);
        start("nginx", List.of("cat", "/run/nginx.pid"), false, false);
        assertEquals("1\n", out.toString());
    }

    @Test
    void aProgramTheImageLacksCannotStart() {
        start("nginx", List.of("nope"), false, false);
        assertNull(exit);
        assertTrue(failure.endsWith("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": "
                + "executable file not found in $PATH: unknown"), failure);
        failure = null;
        start("busybox", List.of("/bin/bash"), true, true);
        assertTrue(failure.contains("exec: \"/bin/bash\": stat /bin/bash: no such file or directory"), failure);
    }

    @Test
    void anInteractiveShellReadsLinesUntilExitOrEndOfInput() {
        ExecProcess p = start("nginx", List.of("/bin/bash"), true, false);
        p.input(bytes("hostname\nfoo\necho $?\n"));
        assertEquals("nginx-pod\n127\n", out.toString());
        assertEquals("/bin/bash: line 2: foo: command not found\n", err.toString(), "bash names itself as it was started");
        assertNull(exit);
        p.input(bytes("exit 4\necho never\n"));
        assertEquals(4, exit);
        assertEquals("nginx-pod\n127\n", out.toString());
        out.setLength(0);
        exit = null;
        ExecProcess sh = start("busybox", List.of("sh"), true, false);
        sh.input(bytes("false"));
        sh.inputClosed();
        assertEquals(1, exit, "end of input: the last status");
    }

    @Test
    void aTerminalEchoesAndPromptsAsTheImagesShellDoes() {
        ExecProcess p = start("nginx", List.of("/bin/bash"), true, true);
        assertEquals("root@nginx-pod:/# ", out.toString());
        p.input(bytes("cd /usr/share/ngq"));
        p.input(new byte[] {0x7f});
        p.input(bytes("inx/html\rls\r"));
        assertEquals("root@nginx-pod:/# cd /usr/share/ngq\b \binx/html\r\nroot@nginx-pod:/usr/share/nginx/html# ls\r\n"
                + "50x.html  index.html\r\nroot@nginx-pod:/usr/share/nginx/html# ", out.toString());
        out.setLength(0);
        p.input(new byte[] {0x04});
        assertEquals("exit\r\n", out.toString());
        assertEquals(0, exit);
        out.setLength(0);
        start("busybox", List.of("sh"), true, true);
        assertEquals("/ # ", out.toString());
    }

    @Test
    void sttySizeShowsTheTerminalsSizeAsTheClientLastSentIt() {
        ExecProcess p = start("nginx", List.of("/bin/bash"), true, true);
        p.input(bytes("stty size\r"));
        assertTrue(out.toString().endsWith("stty size\r\n0 0\r\nroot@nginx-pod:/# "), out::toString); // a new pty's size
        p.resize(120, 40);
        out.setLength(0);
        p.input(bytes("stty size\r"));
        assertEquals("stty size\r\n40 120\r\nroot@nginx-pod:/# ", out.toString());
        start("nginx", List.of("stty", "size"), false, false);
        assertEquals(1, exit);
        assertEquals("stty: 'standard input': Inappropriate ioctl for device\n", err.toString());
    }

    @Test
    void pid1IsTheImagesProcessAndKill1SignalsIt() {
        ExecProcess p = start("nginx", List.of("bash"), true, false);
        p.input(bytes("cat /proc/1/cmdline\nps -ef\n"));
        assertEquals("nginx: master process nginx -g daemon off;\0", out.toString());
        assertEquals("bash: line 2: ps: command not found\n", err.toString(), "Debian's images have no procps");
        err.setLength(0);
        p.input(bytes("kill -9 1\nkill 1\nkill 12345\n"));
        assertEquals(1, signals, "init ignores SIGKILL from inside; SIGTERM reaches nginx");
        assertEquals("bash: kill: (12345) - No such process\n", err.toString());
        p.containerEnded();
        assertEquals(137, exit);
    }

    @Test
    void sleepWaitsAndLinesTypedMeanwhileRunAfter() {
        ExecProcess p = start("nginx", List.of("sh", "-c", "sleep 2 && echo done"), false, false);
        assertEquals(List.of(Duration.ofSeconds(2)), delays);
        assertNull(exit);
        timers.remove(0).run();
        assertEquals("done\n", out.toString());
        assertEquals(0, exit);
    }
}
