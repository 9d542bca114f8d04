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
    private final ExecRecorder io = new ExecRecorder();
    private final StringBuilder out = io.out;
    private final StringBuilder err = io.err;
    private final List<Runnable> timers = io.timers;
    private final List<Duration> delays = io.delays;
    private int signals;

    private ExecProcess start(String image, List<String> argv, boolean stdin, boolean tty) {
        return io.start(new ExecProcess.Container("nginx-pod", catalogue.resolve(image), List.of(), Map.of("A", "b"),
                ExecRecorder.CONTAINER_STARTED, () -> signals++), argv, stdin, tty);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCommandRunsAndEndsWithItsStatus() {
        start("nginx", List.of("sh", "-c", "echo out; echo err >&2; exit 3"), false, false);
        assertEquals("out\n", out.toString());
        assertEquals("err\n", err.toString());
        assertEquals(3, io.exit);
        out.setLength(0);
        start("nginx", List.of("cat", "/run/nginx.pid"), false, false);
        assertEquals("1\n", out.toString());
    }

    @Test
    void outputWaitsForAClientThatIsBehind() {
        // kubectl exec pod -- yes, with kubectl stopped (Ctrl-Z): the server holds a few KiB, not all yes writes
        for (String script : List.of("yes", "while true; do echo y; done", "seq 1 1000000")) {
            out.setLength(0);
            io.behind = true;
            ExecProcess p = start("busybox", List.of("sh", "-c", script), false, false);
            for (int i = 0; i < 100 && !timers.isEmpty(); i++) timers.remove(0).run();
            assertTrue(timers.isEmpty(), script + ": waiting for the client, not on a timer");
            assertEquals(1, io.caughtUp.size(), script);
            int written = out.length();
            assertTrue(written > 0 && written <= 68 * 1024, script + ": " + written);
            io.behind = false;
            io.caughtUp.remove(0).run();
            for (int i = 0; i < 3 && !timers.isEmpty(); i++) timers.remove(0).run();
            assertTrue(out.length() > written, script + ": goes on once the client has caught up");
            p.containerEnded();
            int stopped = out.length();
            timers.forEach(Runnable::run);
            assertEquals(stopped, out.length(), script + ": nothing after the end");
            timers.clear();
            io.caughtUp.clear();
        }
    }

    @Test
    void aFullWritableLayerRefusesWritesAsAFullDiskDoes() {
        Image busybox = catalogue.resolve("busybox");
        ContainerFiles files = new ContainerFiles(busybox, "bb", ExecRecorder.CONTAINER_STARTED);
        files.writeFile("/data/big", new byte[(int) ContainerFiles.CAPACITY - 100_000], 0644, ExecRecorder.CONTAINER_STARTED);
        io.start(new ExecProcess.Container("bb", busybox, List.of(), Map.of(), ExecRecorder.CONTAINER_STARTED, () -> { }, files),
                List.of("sh", "-c", "yes > /tmp/f; echo yes $?; cat /data/big >> /tmp/f; rm /data/big; echo fits > /tmp/g; cat /tmp/g"),
                false, false);
        for (int i = 0; i < 1000 && io.exit == null && !timers.isEmpty(); i++) timers.remove(0).run();
        assertEquals("sh: write error: No space left on device\nsh: write error: No space left on device\n", err.toString(),
                "told once per redirection");
        assertEquals("yes 1\nfits\n", out.toString(), "yes stops at the error; removing a file makes room");
        assertTrue(files.bytes("/tmp/f").length <= 100_000, () -> "written up to the layer's size: " + files.bytes("/tmp/f").length);
        assertEquals(0, io.exit);
    }

    @Test
    void aProgramTheImageLacksCannotStart() {
        start("nginx", List.of("nope"), false, false);
        assertNull(io.exit);
        assertTrue(io.failure.endsWith("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": "
                + "executable file not found in $PATH: unknown"), io.failure);
        io.failure = null;
        start("busybox", List.of("/bin/bash"), true, true);
        assertTrue(io.failure.contains("exec: \"/bin/bash\": stat /bin/bash: no such file or directory"), io.failure);
    }

    @Test
    void aScriptsReadTakesTheProcessStdinLineByLineAsItArrives() {
        // echo -e 'a\nb' | kubectl exec -i pod -- sh -c 'while read l; do echo got $l; done; echo end'
        ExecProcess p = start("busybox", List.of("sh", "-c", "while read l; do echo got $l; done; echo end $?"), true, false);
        assertEquals("", out.toString(), "nothing has arrived yet: read waits");
        assertNull(io.exit);
        p.input(bytes("a\nb"));
        assertEquals("got a\n", out.toString(), "b has no newline yet: read still waits for it");
        p.input(bytes(" c\nlast"));
        assertEquals("got a\ngot b c\n", out.toString());
        p.inputClosed();
        assertEquals("got a\ngot b c\nend 0\n", out.toString(),
                "the unterminated last line is assigned but read fails with it: the loop ends without it");
        assertEquals(0, io.exit);
    }

    @Test
    void whatReadDidNotTakeStaysForTheNextReader() {
        ExecProcess p = start("busybox", List.of("sh", "-c", "read first; echo first=$first; cat"), true, false);
        p.input(bytes("one\ntwo\nthree\n"));
        p.inputClosed();
        assertEquals("first=one\ntwo\nthree\n", out.toString());
        assertEquals(0, io.exit);
        out.setLength(0);
        start("busybox", List.of("sh", "-c", "read x; echo status=$? x=$x"), false, false);
        assertEquals("status=1 x=\n", out.toString(), "without stdin read meets its end at once");
    }

    @Test
    void stdinThatArrivesWhileNothingReadsWaitsForTheNextRead() {
        // (echo a; sleep 1; echo b) | kubectl exec -i pod -- sh -c 'while read l; do echo got $l; sleep 2; done'
        ExecProcess p = start("busybox", List.of("sh", "-c", "while read l; do echo got $l; sleep 2; done"), true, false);
        p.input(bytes("a\n"));
        assertEquals("got a\n", out.toString());
        p.input(bytes("b\n"));
        p.inputClosed();
        assertEquals("got a\n", out.toString(), "the loop sleeps: b waits in the pipe");
        timers.remove(0).run();
        assertEquals("got a\ngot b\n", out.toString());
        timers.remove(0).run();
        assertEquals(0, io.exit);
    }

    @Test
    void anInteractiveReadOfAnUnterminatedLastLineFails() {
        ExecProcess p = start("busybox", List.of("sh"), true, false);
        p.input(bytes("read a; echo st=$? a=$a\nxyz"));
        p.inputClosed();
        assertEquals("st=1 a=xyz\n", out.toString());
    }

    @Test
    void anInteractiveShellsReadTakesTheNextLineTyped() {
        ExecProcess p = start("busybox", List.of("sh"), true, false);
        p.input(bytes("read name; echo hello $name\n"));
        assertEquals("", out.toString());
        p.input(bytes("world\necho next\n"));
        assertEquals("hello world\nnext\n", out.toString(), "the line read is data, not a command");
        p.input(bytes("read a; echo a=$a st=$?\n"));
        p.inputClosed();
        assertEquals("hello world\nnext\na= st=1\n", out.toString());
        assertEquals(0, io.exit, "end of input: the last status (echo's)");
    }

    @Test
    void anInteractiveShellReadsLinesUntilExitOrEndOfInput() {
        ExecProcess p = start("nginx", List.of("/bin/bash"), true, false);
        p.input(bytes("hostname\nfoo\necho $?\n"));
        assertEquals("nginx-pod\n127\n", out.toString());
        assertEquals("/bin/bash: line 2: foo: command not found\n", err.toString(), "bash names itself as it was started");
        assertNull(io.exit);
        p.input(bytes("exit 4\necho never\n"));
        assertEquals(4, io.exit);
        assertEquals("nginx-pod\n127\n", out.toString());
        out.setLength(0);
        io.exit = null;
        ExecProcess sh = start("busybox", List.of("sh"), true, false);
        sh.input(bytes("false"));
        sh.inputClosed();
        assertEquals(1, io.exit, "end of input: the last status");
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
        assertEquals(0, io.exit);
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
        assertEquals(1, io.exit);
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
        assertEquals(137, io.exit);
    }

    @Test
    void sleepWaitsAndLinesTypedMeanwhileRunAfter() {
        ExecProcess p = start("nginx", List.of("sh", "-c", "sleep 2 && echo done"), false, false);
        assertEquals(List.of(Duration.ofSeconds(2)), delays);
        assertNull(io.exit);
        timers.remove(0).run();
        assertEquals("done\n", out.toString());
        assertEquals(0, io.exit);
    }

    @Test
    void anEndlessPipelineGivesItsThreadBackAndStopsWhenTheSessionCloses() {
        ExecProcess p = start("busybox", List.of("sh", "-c", "yes | cat"), false, false);
        // start returned: the pipeline waits for the timer instead of holding the thread
        int first = io.out.length();
        assertTrue(first > 0 && first <= 4 * 64 * 1024, "a few pipes' worth, then the timer: " + first);
        for (int i = 0; i < 5 && !io.timers.isEmpty(); i++) io.timers.remove(0).run();
        assertTrue(io.out.length() > first, "and goes on as the timer runs");
        p.containerEnded(); // the client went
        assertEquals(137, io.exit);
        int atEnd = io.out.length();
        for (int i = 0; i < 5 && !io.timers.isEmpty(); i++) io.timers.remove(0).run();
        assertEquals(atEnd, io.out.length(), "nothing more once the process ended");
        assertTrue(io.out.toString().startsWith("y\ny\n"));
    }

    @Test
    void ctrlCStopsEveryStageOfAnEndlessPipelineAtAnInteractiveShell() {
        ExecProcess p = start("busybox", List.of("sh"), true, true);
        p.input("yes | grep y\r".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < 5 && !io.timers.isEmpty(); i++) io.timers.remove(0).run();
        assertTrue(io.out.toString().contains("y\r\ny\r\n"), "the pipeline prints as it goes");
        p.input(new byte[] {0x03});
        String atCtrlC = io.out.toString();
        assertTrue(atCtrlC.endsWith("^C\r\n/ # "), "the prompt comes back: " + atCtrlC.substring(Math.max(0, atCtrlC.length() - 40)));
        for (int i = 0; i < 5 && !io.timers.isEmpty(); i++) io.timers.remove(0).run();
        assertEquals(atCtrlC, io.out.toString(), "no stage of the pipeline goes on after ^C");
        p.input("echo $?\r".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(io.out.toString().endsWith("130\r\n/ # "), io.out.substring(io.out.length() - 20));
    }
}
