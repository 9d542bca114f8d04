package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A container's main process reading its stdin: fed by attaches, written to them and to the log, ending the container. */
class LiveProcessTest {
    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final ProcessTable table = new ProcessTable();
    private final List<Integer> exits = new ArrayList<>();
    private Instant now = START.plusSeconds(5);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** What one attach saw. */
    private static final class Seen implements LiveProcess.Client {
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        boolean ended;

        @Override
        public void output(Timeline.Stream stream, String text) {
            (stream == Timeline.Stream.STDERR ? err : out).append(text);
        }

        @Override
        public void ended() {
            ended = true;
        }
    }

    /** A busybox container run with this spec, its process started as an attach starts it. */
    private LiveProcess run(List<String> args, boolean stdin, boolean once, boolean tty) {
        Image busybox = catalogue.resolve("busybox");
        table.started("containerd://1", "uid", "t", START, busybox.start(List.of(), args, stdin, once, tty));
        LiveProcess p = table.get("containerd://1").orElseThrow().live();
        if (p == null) return null;
        p.start(new ExecProcess.Container("t", busybox, args, Map.of(), START, () -> { }), (delay, task) -> () -> { },
                clock, exits::add);
        return p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> logLines() {
        ContainerLog log = new ContainerLog(table.get("containerd://1").orElseThrow());
        return log.lines(0, log.count(now)).stream().map(ContainerLog.Line::text).toList();
    }

    @Test
    void aShellWithoutStdinReadsItsEndAndExitsAtOnce() {
        LiveProcess p = run(List.of("sh"), false, false, false);
        assertFalse(p.readsStdin(), "the kubelet starts it with the container");
        assertEquals(List.of(0), exits);
    }

    @Test
    void pipedCommandsRunAndTheEndOfTheFirstAttachsStdinEndsTheShell() {
        LiveProcess p = run(List.of("sh"), true, true, false);
        assertFalse(table.get("containerd://1").orElseThrow().timeline().exits(), "it waits on its stdin");
        Seen first = new Seen();
        LiveProcess.Attachment a = p.attach(first, true);
        p.input(a, bytes("echo inside; hostname\n"));
        now = now.plusSeconds(1);
        p.input(a, bytes("nope\n"));
        assertEquals("inside\nt\n", first.out.toString());
        assertEquals("sh: nope: not found\n", first.err.toString());
        assertEquals(List.of(), exits);
        p.inputClosed(a);
        assertEquals(List.of(127), exits, "EOF: the shell exits with its last status");
        assertTrue(first.ended);
        assertEquals(List.of("inside", "t", "sh: nope: not found"), logLines());
        ContainerLog log = new ContainerLog(table.get("containerd://1").orElseThrow());
        assertEquals(START.plusSeconds(5), log.timeOf(1), "a line's time is when it was written");
        assertEquals(Timeline.Stream.STDERR, log.line(2).stream());
        assertEquals(START.plusSeconds(6), log.timeOf(2));
        assertNull(log.timeOf(3));
        Seen late = new Seen();
        p.attach(late, true);
        assertTrue(late.ended, "an attach to an ended process ends at once");
    }

    @Test
    void exitEndsTheProcessWithItsCodeForEveryAttach() {
        LiveProcess p = run(List.of("sh"), true, true, false);
        Seen reader = new Seen();
        p.attach(reader, false);
        Seen writer = new Seen();
        LiveProcess.Attachment w = p.attach(writer, true);
        p.input(w, bytes("echo bye\nexit 3\necho never\n"));
        assertEquals(List.of(3), exits);
        assertEquals("bye\n", reader.out.toString(), "every attach sees the output");
        assertTrue(reader.ended);
        assertTrue(writer.ended);
        assertEquals(List.of("bye"), logLines());
    }

    @Test
    void withoutStdinOnceStdinStaysOpenBetweenAttachesAndTheShellKeepsItsState() {
        LiveProcess p = run(List.of("sh"), true, false, false);
        Seen one = new Seen();
        LiveProcess.Attachment a = p.attach(one, true);
        p.input(a, bytes("X=5; cd /etc\n"));
        p.inputClosed(a);
        p.detach(a);
        assertEquals(List.of(), exits, "stdin is still open");
        Seen two = new Seen();
        LiveProcess.Attachment b = p.attach(two, true);
        p.input(b, bytes("echo $X; pwd\n"));
        assertEquals("5\n/etc\n", two.out.toString());
        assertEquals("", one.out.toString(), "a detached client hears nothing more");
        p.input(b, bytes("exit 4\n"));
        assertEquals(List.of(4), exits);
    }

    @Test
    void withStdinOnceASecondAttachCannotWriteAfterTheFirstLeft() {
        LiveProcess p = run(List.of("cat"), true, true, false);
        Seen one = new Seen();
        LiveProcess.Attachment a = p.attach(one, true);
        Seen two = new Seen();
        LiveProcess.Attachment b = p.attach(two, true);
        p.input(b, bytes("from the second\n"));
        assertEquals("from the second\n", one.out.toString(), "cat copies its stdin to its stdout");
        p.detach(a);
        assertEquals(List.of(0), exits, "the first attach's going closes stdin: cat ends");
        assertTrue(two.ended);
    }

    @Test
    void onATerminalThePtyEchoesEndsLinesWithCrLfAndAResizeRedrawsThePrompt() {
        LiveProcess p = run(List.of("sh"), true, true, true);
        Seen t = new Seen();
        LiveProcess.Attachment a = p.attach(t, true);
        p.resize(100, 30);
        assertEquals("\r/ # \u001b[J", t.out.toString(), "BusyBox's line editor redraws on SIGWINCH");
        p.resize(100, 30);
        assertEquals("\r/ # \u001b[J", t.out.toString(), "the same size is no change");
        t.out.setLength(0);
        p.input(a, bytes("echo hi; echo err >&2\r"));
        assertEquals("echo hi; echo err >&2\r\nhi\r\nerr\r\n/ # ", t.out.toString());
        assertEquals("", t.err.toString(), "a pty is one stream");
        p.input(a, bytes("exit 2\r"));
        assertEquals(List.of(2), exits);
        assertEquals(List.of("/ # \r/ # \u001b[Jecho hi; echo err >&2\r", "hi\r", "err\r", "/ # exit 2\r"), logLines(),
                "the log keeps what the pty showed, CRs included");
    }
}
