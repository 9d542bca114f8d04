package kubefake.client.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time ({@link Clock#systemUTC()}), with one timer thread that runs due tasks. The thread is a daemon, starts
 * with the first task and ends after a few idle seconds, so a clock nobody closes holds nothing.
 */
public final class SystemClusterClock extends ClusterClock {
    private static final Logger LOG = LoggerFactory.getLogger(SystemClusterClock.class);
    private static final Clock UTC = Clock.systemUTC();

    private final ScheduledThreadPoolExecutor timer;

    public SystemClusterClock() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cluster-clock");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // a cancelled back-off of 1,000 s must not hold its task that long
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    @Override
    public Instant instant() {
        return UTC.instant();
    }

    @Override
    public long millis() {
        return UTC.millis();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, saturatedNanos(delay));
        ScheduledFuture<?> f = timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // the timer thread serves every task of the cluster: one failure must not stop the others
                LOG.error("clock task failed", e);
            }
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "SystemClusterClock";
    }
}
