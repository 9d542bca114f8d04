package kubefake.client.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock of a cluster: a {@link Clock} (so the registry stamps objects with it) that also schedules. Every
 * delay in the cluster (controller retries, kubelet stages, node grace periods) is a task on this clock, so that tests
 * move time forward instead of sleeping.
 *
 * <p>A scheduled task runs on the clock's own timer thread ({@link SystemClusterClock}) or on the thread that moves
 * the clock ({@link ManualClusterClock}): it must be short, and hand real work to an executor, as
 * {@link ClusterRuntime#schedule} does.
 */
public abstract class ClusterClock extends Clock {

    /** Runs {@code task} once {@code delay} has passed on this clock (a negative delay counts as zero). */
    public abstract Cancellable schedule(Duration delay, Runnable task);

    /** Cluster time is UTC, as the API server's timestamps are. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(getZone())) return this;
        ClusterClock source = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return source.withZone(other);
            }

            @Override
            public Instant instant() {
                return source.instant();
            }
        };
    }
}
