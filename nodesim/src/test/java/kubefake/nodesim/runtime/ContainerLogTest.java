package kubefake.nodesim.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A container run's log read back as the kubelet reads its log file: lines by time, tails, since, loops, dates. */
class ContainerLogTest {
    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");
    private final ImageCatalogue catalogue = ImageCatalogue.builtIn();

    private ContainerLog log(String script) {
        Timeline t = catalogue.resolve("busybox").start(List.of("sh", "-c", script), List.of(), "pod-1");
        ProcessTable table = new ProcessTable();
        table.started("containerd://1", "uid", "c", START, t);
        return new ContainerLog(table.get("containerd://1").orElseThrow());
    }

    private static List<String> texts(ContainerLog log, long from, long to) {
        return log.lines(from, to).stream().map(ContainerLog.Line::text).toList();
    }

    @Test
    void linesAppearWhenTheProcessWritesThemAndStopAtItsEnd() {
        ContainerLog log = log("echo one; sleep 2; echo two >&2; sleep 1; exit 3");
        assertEquals(1, log.count(START));
        assertEquals(1, log.count(START.plusSeconds(1)));
        assertEquals(2, log.count(START.plusSeconds(2)));
        assertEquals(List.of("one", "two"), texts(log, 0, 2));
        assertEquals(Timeline.Stream.STDERR, log.line(1).stream(), "echo >&2 writes to standard error");
        assertEquals(START.plusSeconds(2), log.timeOf(1));
        assertNull(log.timeOf(2), "the process writes nothing more");
        assertEquals(START.plusSeconds(3), log.process().endsAt());
        assertEquals(3, log.process().exitCode());
    }

    @Test
    void aLoopRepeatsItsRoundAndDatePrintsTheTimeOfEachLine() {
        ContainerLog log = log("while true; do date; sleep 1; done");
        Instant later = START.plus(Duration.ofHours(2)).plusMillis(500);
        long count = log.count(later);
        assertEquals(2 * 3600 + 1, count, "one line a second, the first at the start");
        assertEquals(List.of("Sun Dec  6 11:59:59 UTC 2026", "Sun Dec  6 12:00:00 UTC 2026"), texts(log, count - 2, count));
        assertEquals(START.plusSeconds(7200), log.timeOf(count - 1));
        assertEquals(START.plusSeconds(7201), log.timeOf(count), "the next line is due a second later");
    }

    @Test
    void tailAndSinceChooseTheFirstLineAsTheKubeletDoes() {
        ContainerLog log = log("while true; do echo tick; sleep 10; done");
        Instant now = START.plusSeconds(95);
        assertEquals(10, log.count(now));
        assertEquals(7, log.firstLine(now, 3, null), "the last 3 lines");
        assertEquals(0, log.firstLine(now, -1, null), "all");
        assertEquals(4, log.firstLine(now, -1, START.plusSeconds(35)), "none before 35 s");
        assertEquals(8, log.firstLine(now, 5, START.plusSeconds(80)), "the later of both");
        assertEquals(10, log.firstLine(now, 0, null));
    }

    @Test
    void aLongLoggingLoopKeepsOnlyWhatARotatedLogKeeps() {
        ContainerLog log = log("while true; do echo x; echo y; done");
        Instant now = START.plus(Duration.ofDays(1));
        long count = log.count(now);
        assertEquals(count - ContainerLog.KEPT_LINES, log.firstLine(now, -1, null));
    }

    @Test
    void catalogueLinesCarryTheTimeTheyWereWritten() {
        Timeline nginx = catalogue.resolve("nginx").start(List.of(), List.of(), "nginx-pod");
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
        ContainerLog log = log("echo a >/dev/null; echo b 1>&2; nope 2>/dev/null; nope2 2>&1; echo c > /tmp/f; echo d");
        assertEquals(List.of("b", "sh: nope2: not found", "d"), texts(log, 0, log.count(START)));
        assertEquals(Timeline.Stream.STDERR, log.line(0).stream());
        assertEquals(Timeline.Stream.STDOUT, log.line(1).stream(), "2>&1: errors go to standard output");
    }
}
