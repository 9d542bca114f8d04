package kubefake.nodesim.runtime;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A container run's log, as the kubelet reads it from the runtime's log file: the lines its process wrote by some
 * instant, numbered from 0 in the order written. A planned process's lines are read from its plan (a catalogue
 * program's few lines, kept once per image); a {@link LiveProcess}'s are the ones it keeps as written. Like a log file
 * under rotation, only the last {@link #KEPT_LINES} lines are kept.
 */
public final class ContainerLog {
    /** What a rotated log file keeps, roughly: the kubelet's 10 MiB of short lines. */
    public static final long KEPT_LINES = 100_000;

    /** One line as written: when, to which stream, and its text (without the newline). */
    public record Line(Instant at, Timeline.Stream stream, String text) {
    }

    private final ContainerProcess process;
    private final Timeline timeline;
    /** The process reading stdin whose lines these are, or null for a planned one. */
    private final LiveProcess written;
    private final long start;

    public ContainerLog(ContainerProcess process) {
        this.process = process;
        this.timeline = process.timeline();
        this.written = process.live();
        this.start = nanos(process.startedAt());
    }

    public ContainerProcess process() {
        return process;
    }

    /** How many lines were written by {@code until} (inclusive). */
    public long count(Instant until) {
        if (written != null) return written.count(process.outputUntil(until));
        long t = nanos(process.outputUntil(until));
        List<Timeline.Output> fixed = timeline.output();
        long n = 0;
        while (n < fixed.size() && start + fixed.get((int) n).at().toNanos() <= t) n++;
        return n;
    }

    /** Line number {@code i}, which exists when {@code i < count(...)} at some instant. */
    public Line line(long i) {
        if (written != null) return written.line(i);
        return render(timeline.output().get((int) i), start);
    }

    /** When line {@code i} is (or was) written, or null when the process never writes it. */
    public Instant timeOf(long i) {
        if (written != null) return written.timeOf(i);
        List<Timeline.Output> fixed = timeline.output();
        if (i >= fixed.size()) return null;
        Instant at = instant(start + fixed.get((int) i).at().toNanos());
        return process.endsAt() != null && at.isAfter(process.endsAt()) ? null : at;
    }

    /**
     * The number of the first line to read by {@code until}: the kubelet's tail (the last {@code tail} lines, or all
     * when negative), then lines older than {@code since} (null: none) skipped, within what the log still keeps.
     */
    public long firstLine(Instant until, long tail, Instant since) {
        long count = count(until);
        long first = Math.max(0, count - KEPT_LINES);
        if (tail >= 0) first = Math.max(first, count - tail);
        if (since != null) {
            long lo = first;
            long hi = count;
            while (lo < hi) { // the first line not before since: times grow with line numbers
                long mid = (lo + hi) >>> 1;
                if (timeOf(mid).isBefore(since)) lo = mid + 1;
                else hi = mid;
            }
            first = lo;
        }
        return first;
    }

    /** The lines {@code from} (inclusive) to {@code to} (exclusive). */
    public List<Line> lines(long from, long to) {
        List<Line> out = new ArrayList<>((int) Math.max(0, Math.min(to - from, 4096)));
        for (long i = from; i < to; i++) out.add(line(i));
        return out;
    }

    private static Line render(Timeline.Output o, long base) {
        Instant at = instant(base + o.at().toNanos());
        return new Line(at, o.stream(), o.text().contains("{{") ? withTimes(o.text(), at) : o.text());
    }

    /** The line with its time placeholders ({@code {{time:PATTERN}}}, a catalogue line's) written out. */
    private static String withTimes(String text, Instant at) {
        String out = text;
        int i;
        while ((i = out.indexOf("{{time:")) >= 0) {
            int end = out.indexOf("}}", i);
            if (end < 0) break;
            String pattern = out.substring(i + 7, end);
            String time;
            try {
                time = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC).format(at);
            } catch (IllegalArgumentException e) {
                time = pattern;
            }
            out = out.substring(0, i) + time + out.substring(end + 2);
        }
        return out;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
