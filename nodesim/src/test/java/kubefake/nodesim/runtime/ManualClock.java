package kubefake.nodesim.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/** A clock a test moves by hand, and a process's timer on it: tasks run in time order as the clock passes them. */
public final class ManualClock extends Clock implements ExecProcess.Timer {
    private record Task(Instant at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant now;
    private long seq;

    public ManualClock(Instant start) {
        this.now = start;
    }

    @Override
    public Runnable after(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now.plus(delay), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock on by {@code d}, running each task when its time comes. */
    public void advance(Duration d) {
        Instant until = now.plus(d);
        while (!tasks.isEmpty() && !tasks.peek().at.isAfter(until)) {
            Task t = tasks.poll();
            now = t.at;
            if (!t.cancelled[0]) t.run.run();
        }
        now = until;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
