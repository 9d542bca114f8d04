package kubefake.store.mvcc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The compaction policy of kube-apiserver: at every tick, compact to the revision that was current at the
 * previous tick, so history stays readable (and watchable) for at least one interval (5 minutes in Kubernetes).
 *
 * <p>{@link #start} schedules {@link #tick} on an executor; tests call {@link #tick} themselves instead of waiting.
 */
public final class Compactor implements AutoCloseable {
    /** kube-apiserver's default ({@code --etcd-compaction-interval}). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

    private final KeyValueStore store;
    /** The revision seen at the previous tick; 0 before the first one. */
    private long previousTickRevision;
    private volatile ScheduledFuture<?> schedule;

    public Compactor(KeyValueStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Ticks every {@code interval} on {@code scheduler}, the first tick one interval from now. */
    public static Compactor start(KeyValueStore store, ScheduledExecutorService scheduler, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        Compactor compactor = new Compactor(store);
        long nanos = interval.toNanos();
        compactor.schedule = scheduler.scheduleAtFixedRate(compactor::tick, nanos, nanos, TimeUnit.NANOSECONDS);
        return compactor;
    }

    /**
     * One step of the policy: compacts to the revision remembered at the previous tick (if it is newer than the
     * compacted revision), then remembers the current revision.
     *
     * @return the revision compacted to, or 0 when this tick compacted nothing
     */
    public synchronized long tick() {
        long target = previousTickRevision;
        previousTickRevision = store.currentRevision();
        if (target <= store.compactedRevision()) {
            return 0;
        }
        try {
            store.compact(target);
            return target;
        } catch (RuntimeException e) {
            // A failed tick (e.g. the store closing) must not end the schedule: the next tick tries again.
            return 0;
        }
    }

    /** Stops the schedule (if {@link #start} made one); a tick already running finishes. */
    @Override
    public void close() {
        ScheduledFuture<?> scheduled = schedule;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
