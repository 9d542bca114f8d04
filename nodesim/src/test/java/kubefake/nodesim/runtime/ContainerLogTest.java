package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A container run's log read back as the kubelet reads its log file: lines by time, tails, since, loops, dates. A
 * script runs as it goes on the node's clock (here moved by hand): its lines carry the clock's time.
 */
class ContainerLogTest {
    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();
    private final ManualClock clock = new ManualClock(START);
    private final ProcessTable table = new ProcessTable();

    /** A busybox container running {@code sh -c script}, started at START as the kubelet starts it. */
    private ContainerLog log(String script) {
        Image busybox = catalogue.resolve("busybox");
        table.started("containerd://1", "uid", "c", START, busybox.start(List.of("sh", "-c", script), List.of()));
        LiveProcess live = table.get("containerd://1").orElseThrow().live();
        live.start(new ExecProcess.Container("pod-1", busybox, List.of("sh", "-c", script), Map.of(), START, () -> { }),
                clock, clock, code -> table.ending("containerd://1", clock.instant(), code));
        return new ContainerLog(table.get("containerd://1").orElseThrow());
    }

    /** The log as read now (a log read from the table, as the kubelet reads it, sees the run's end). */
    private ContainerLog reread() {
        return new ContainerLog(table.get("containerd://1").orElseThrow());
    }

    private static List<String> texts(ContainerLog log, long from, long to) {
        return log.lines(from, to).stream().map(ContainerLog.Line::text).toList();
    }

    @Test
    void linesAppearWhenTheProcessWritesThemAndStopAtItsEnd() {
        ContainerLog log = log("echo one; sleep 2; echo two >&2; sleep 1; exit 3");
        assertEquals(1, log.count(START));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, log.count(START.plusSeconds(1)));
        assertNull(log.process().endsAt(), "it runs on");
        clock.advance(Duration.ofSeconds(5));
        assertEquals(1, log.count(START.plusSeconds(1)), "a line written later is not in the log of an earlier instant");
        assertEquals(2, log.count(START.plusSeconds(2)));
        assertEquals(List.of("one", "two"), texts(log, 0, 2));
        assertEquals(Timeline.Stream.STDERR, log.line(1).stream(), "echo >&2 writes to standard error");
        assertEquals(START.plusSeconds(2), log.timeOf(1));
        assertNull(log.timeOf(2), "the process writes nothing more");
        assertEquals(START.plusSeconds(3), reread().process().endsAt());
        assertEquals(3, reread().process().exitCode());
    }

    @Test
    void aLoopRepeatsItsRoundAndDatePrintsTheTimeOfEachLine() {
        ContainerLog log = log("while true; do date; sleep 1; done");
        Instant later = START.plus(Duration.ofHours(2)).plusMillis(500);
        clock.advance(Duration.between(START, later));
        long count = log.count(later);
        assertEquals(2 * 3600 + 1, count, "one line a second, the first at the start");
        assertEquals(List.of("Sun Dec  6 11:59:59 UTC 2026", "Sun Dec  6 12:00:00 UTC 2026"), texts(log, count - 2, count));
        assertEquals(START.plusSeconds(7200), log.timeOf(count - 1));
        assertNull(log.timeOf(count), "the next line is not written yet");
    }

    @Test
    void tailAndSinceChooseTheFirstLineAsTheKubeletDoes() {
        ContainerLog log = log("while true; do echo tick; sleep 10; done");
        Instant now = START.plusSeconds(95);
        clock.advance(Duration.ofSeconds(95));
        assertEquals(10, log.count(now));
        assertEquals(7, log.firstLine(now, 3, null), "the last 3 lines");
        assertEquals(0, log.firstLine(now, -1, null), "all");
        assertEquals(4, log.firstLine(now, -1, START.plusSeconds(35)), "none before 35 s");
        assertEquals(8, log.firstLine(now, 5, START.plusSeconds(80)), "the later of both");
        assertEquals(10, log.firstLine(now, 0, null));
    }

    @Test
    void aLongLoggingLoopKeepsOnlyWhatARotatedLogKeeps() {
        ContainerLog log = log("while true; do seq 1000; sleep 1; done");
        Instant now = START.plusSeconds(120);
        clock.advance(Duration.ofSeconds(120));
        long count = log.count(now);
        assertEquals(121_000, count, "a thousand lines a second");
        assertEquals(count - ContainerLog.KEPT_LINES, log.firstLine(now, -1, null));
    }

    @Test
    void catalogueLinesCarryTheTimeTheyWereWritten() {
        Timeline nginx = catalogue.resolve("nginx").start(List.of(), List.of());
        ProcessTable table = new ProcessTable();
        table.started("containerd://2", "uid", "nginx", START, nginx);
        ContainerLog log = new ContainerLog(table.get("containerd://2").orElseThrow());
        List<String> lines = texts(log, 0, log.count(START));
        assertEquals("/docker-entrypoint.sh: Configuration complete; ready for start up", lines.get(8));
        assertEquals("2026/12/06 10:00:00 [notice] 1#1: using the \"epoll\" event method", lines.get(9));
        assertEquals(Timeline.Stream.STDERR, log.line(9).stream());
    }

    @Test
    void redirectionsSendOutputWhereTheShellSendsIt() {
        ContainerLog log = log("echo a >/dev/null; echo b 1>&2; nope 2>/dev/null; nope2 2>&1; echo c > /tmp/f; echo d; cat /tmp/f");
        assertEquals(List.of("b", "sh: nope2: not found", "d", "c"), texts(log, 0, log.count(START)),
                "a file written is there to read");
        assertEquals(Timeline.Stream.STDERR, log.line(0).stream());
        assertEquals(Timeline.Stream.STDOUT, log.line(1).stream(), "2>&1: errors go to standard output");
    }
}
