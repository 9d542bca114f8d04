package kubefake.client.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The test runtime: queued work runs on the test thread when the test says so, and time moves only by
 * {@link #advance}. A test reads {@code create pod → runUntilIdle() → assert Scheduled → advance(2s) → assert Running},
 * deterministically and without sleeping.
 *
 * <p>A background task that throws (or a failure reported by a component) makes the next {@link #runUntilIdle} or
 * {@link #advance} throw once the queue is idle, so bugs in handlers do not pass unseen; {@link #tolerateFailures}
 * turns that off for tests about failures.
 */
public final class ManualRuntime implements ClusterRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ManualRuntime.class);
    /** More tasks than this in one runUntilIdle means something requeues itself forever: fail instead of hanging. */
    private static final int MAX_TASKS_PER_RUN = 1_000_000;

    private final ManualClusterClock clock;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // guarded by this
    private final List<Throwable> failures = new ArrayList<>(); // guarded by this
    private final Executor executor = this::enqueue;
    private boolean tolerateFailures;
    private volatile boolean closed;

    public ManualRuntime() {
        this(new ManualClusterClock());
    }

    public ManualRuntime(ManualClusterClock clock) {
        this.clock = clock;
    }

    @Override
    public ManualClusterClock clock() {
        return clock;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    private void enqueue(Runnable task) {
        if (closed) return;
        synchronized (this) {
            queue.addLast(task);
        }
    }

    /**
     * Runs queued work, and clock tasks due now, until nothing is left; what they queue runs too.
     *
     * @return how many tasks ran
     */
    public int runUntilIdle() {
        int ran = runIdle();
        throwFailures();
        return ran;
    }

    private int runIdle() {
        int ran = 0;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.pollFirst();
            }
            if (next == null) {
                if (!clock.runNextDue(clock.instant())) return ran;
                continue;
            }
            if (++ran > MAX_TASKS_PER_RUN) {
                throw new IllegalStateException("not idle after " + MAX_TASKS_PER_RUN + " tasks: some work requeues itself forever");
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                reportFailure("background task", e);
            }
        }
    }

    /**
     * Moves time forward by {@code duration}: each clock task runs at its due time, followed by all the work it
     * queues, before time moves on to the next one; at the end time is {@code now + duration} and the queue idle.
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) throw new IllegalArgumentException("time does not go back: " + duration);
        Instant target = clock.instant().plus(duration);
        runIdle();
        while (clock.runNextDue(target)) runIdle();
        clock.advance(Duration.between(clock.instant(), target));
        runIdle();
        throwFailures();
    }

    /** How many tasks wait in the queue (clock tasks not counted). */
    public synchronized int queuedTasks() {
        return queue.size();
    }

    /** Completion needs no waiting here: queued work runs until idle, and the answer is whether the stage completed. */
    @Override
    public boolean await(CompletionStage<?> stage, Duration timeout) {
        runUntilIdle();
        return stage.toCompletableFuture().isDone();
    }

    @Override
    public void reportFailure(String what, Throwable failure) {
        LOG.error("{} failed", what, failure);
        synchronized (this) {
            failures.add(failure);
        }
    }

    /** Failures are logged and kept in {@link #failures()} but no longer make runUntilIdle/advance throw. */
    public ManualRuntime tolerateFailures() {
        tolerateFailures = true;
        return this;
    }

    /** What failed so far (reported or thrown by a task). */
    public synchronized List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void throwFailures() {
        List<Throwable> seen;
        synchronized (this) {
            if (tolerateFailures || failures.isEmpty()) return;
            seen = List.copyOf(failures);
            failures.clear();
        }
        IllegalStateException e = new IllegalStateException(seen.size() + " background task(s) failed", seen.get(0));
        for (Throwable t : seen.subList(1, seen.size())) e.addSuppressed(t);
        throw e;
    }

    /** Drops what is queued; later work is ignored. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            queue.clear();
        }
    }
}
