package kubefake.client.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Test time: stands still until {@link #advance} moves it, and runs each task that falls due on the thread that
 * moves it, in due-time order (tasks due at the same instant in the order they were scheduled), with the clock
 * reading the task's due time while it runs. Thread-safe: other threads may read it and schedule on it.
 */
public final class ManualClusterClock extends ClusterClock {
    /** Where a test's time starts unless it says otherwise: fixed, so that names and timestamps repeat run to run. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");

    private record Task(Instant due, long sequence, Runnable action) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public ManualClusterClock() {
        this(DEFAULT_START);
    }

    public ManualClusterClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        Instant due = delay.isNegative() ? now : plusSaturated(now, delay);
        Task task = new Task(due, sequence++, action);
        tasks.add(task);
        return () -> {
            synchronized (this) {
                return tasks.remove(task);
            }
        };
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way. */
    public void advance(Duration duration) {
        if (duration.isNegative()) throw new IllegalArgumentException("time does not go back: " + duration);
        Instant target;
        synchronized (this) {
            target = plusSaturated(now, duration);
        }
        while (runNextDue(target)) {
            // each task may schedule more, possibly before target: they run in turn
        }
        synchronized (this) {
            if (target.isAfter(now)) now = target;
        }
    }

    /**
     * Runs the earliest task due at or before {@code until}, first moving time to its due time (never back);
     * false when no task is due by then. What {@link ManualRuntime} uses to interleave clock tasks with the work
     * they queue.
     */
    public boolean runNextDue(Instant until) {
        Task task;
        synchronized (this) {
            task = tasks.peek();
            if (task == null || task.due().isAfter(until)) return false;
            tasks.poll();
            if (task.due().isAfter(now)) now = task.due();
        }
        task.action().run();
        return true;
    }

    /** When the next task falls due, if any is scheduled. */
    public synchronized Optional<Instant> nextDue() {
        Task next = tasks.peek();
        return next == null ? Optional.empty() : Optional.of(next.due());
    }

    /** How many tasks wait to fall due. */
    public synchronized int scheduledTasks() {
        return tasks.size();
    }

    private static Instant plusSaturated(Instant t, Duration d) {
        try {
            return t.plus(d);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            return Instant.MAX;
        }
    }

    @Override
    public String toString() {
        return "ManualClusterClock[" + instant() + "]";
    }
}
