package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BusyBox's {@code timeout}: in scripts, as a container's command, and wrapping an interactive shell. */
class TimeoutTest {
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final ExecRecorder io = new ExecRecorder();

    private ExecProcess start(List<String> argv, boolean stdin, boolean tty) {
        return io.start(new ExecProcess.Container("box", catalogue.resolve("busybox"), List.of(), Map.of(),
                ExecRecorder.CONTAINER_STARTED, () -> { }), argv, stdin, tty);
    }

    /** Runs the earliest timer task, as the clock reaching it would. */
    private Duration fireNext() {
        Duration delay = io.delays.remove(0);
        io.timers.remove(0).run();
        return delay;
    }

    @Test
    void aProgramThatOutlastsItsTimeDiesOfTheSignalAndTheScriptGoesOn() {
        start(List.of("sh", "-c", "timeout 2 sleep 10; echo status $?; timeout -s KILL 5 sleep 1; echo status $?"),
                false, false);
        assertNull(io.exit, "sleep is running");
        assertEquals(Duration.ofSeconds(2), io.delays.get(0), "the watcher's time");
        assertEquals(Duration.ofSeconds(10), io.delays.get(1), "sleep's");
        fireNext();
        assertEquals("status 143\n", io.out.toString(), "TERM: 128 + 15, not coreutils' 124");
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1)), io.delays);
        assertEquals(2, io.timers.size(), "the first sleep was killed: the second watcher and sleep are left");
        io.timers.remove(1).run(); // the second sleep ends first
        assertEquals("status 143\nstatus 0\n", io.out.toString());
        assertEquals(0, io.exit);
        assertEquals(List.of(), io.timers, "the watcher of a program that ended is gone");
    }

    @Test
    void itsErrorsAreBusyBoxs() {
        start(List.of("sh", "-c", "timeout -s NOPE 1 true; echo $?; timeout 1 nope; echo $?; timeout abc true; echo $?"),
                false, false);
        assertEquals("1\n127\n1\n", io.out.toString());
        assertEquals("timeout: unknown signal 'NOPE'\ntimeout: can't execute 'nope': No such file or directory\n"
                + "timeout: invalid number 'abc'\n", io.err.toString());
        io.err.setLength(0);
        start(List.of("timeout", "5"), false, false);
        assertEquals(1, io.exit);
        assertEquals("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
                + "Usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS\n\n"
                + "Run PROG. Send SIG to it if it is not gone in SECS seconds.\n"
                + "Default SIG: TERM.If it still exists in KILL_SECS seconds, send KILL.\n", io.err.toString());
    }

    @Test
    void anInteractiveShellUnderTimeoutReadsItsTerminalUntilKilled() {
        ExecProcess p = start(List.of("timeout", "-s", "SIGKILL", "36000", "sh", "-i"), true, true);
        assertEquals("/ # ", io.out.toString(), "PROG replaced timeout: the shell prompts");
        p.input("whoami\r".getBytes(StandardCharsets.UTF_8));
        assertEquals("/ # whoami\r\nroot\r\n/ # ", io.out.toString());
        assertNull(io.exit);
        assertEquals(Duration.ofHours(10), fireNext());
        assertEquals(137, io.exit, "killed by SIGKILL");
    }

    @Test
    void anInteractiveShellIgnoresTermAndDiesOfTheKillThatFollows() {
        start(List.of("timeout", "-k", "3", "1", "sh", "-i"), true, true);
        fireNext();
        assertNull(io.exit, "an interactive ash ignores SIGTERM");
        assertEquals(Duration.ofSeconds(3), fireNext());
        assertEquals(137, io.exit);
    }

    @Test
    void psShowsPid1RunningProgAndTimeoutsWatcherBesideIt() {
        List<String> command = List.of("timeout", "-s", "SIGKILL", "36000", "sh", "-i");
        ExecProcess.Container box = new ExecProcess.Container("box", catalogue.resolve("busybox"), command, Map.of(),
                ExecRecorder.CONTAINER_STARTED, () -> { });
        io.start(box, List.of("ps"), false, false);
        String[] lines = io.out.toString().split("\n");
        assertEquals(4, lines.length, io.out::toString);
        assertEquals("PID   USER     TIME  COMMAND", lines[0]);
        assertEquals("    1 root      0:00 sh -i", lines[1]);
        assertTrue(lines[2].matches(" +\\d+ root      0:00 timeout -s SIGKILL 36000 sh -i"), lines[2]);
        assertTrue(lines[3].matches(" +\\d+ root      0:00 ps"), "ps exec'd alone is one process: " + lines[3]);
        io.out.setLength(0);
        io.start(box, List.of("cat", "/proc/1/cmdline"), false, false);
        assertEquals("sh\0-i\0", io.out.toString());
    }

    @Test
    void aContainerWhoseCommandIsTimeoutOfAShellWaitsForItsAttach() {
        Image busybox = catalogue.resolve("busybox");
        Timeline t = busybox.start(List.of("timeout", "-s", "SIGKILL", "36000", "sh", "-i"), null, true, false, true);
        assertTrue(t.live().stdin(), "it reads the container's stdin");
        assertTrue(!busybox.start(List.of("timeout", "5", "sh", "-c", "true"), null, true, false, true).live().stdin());
    }
}
