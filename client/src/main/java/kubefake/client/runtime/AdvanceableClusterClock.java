package kubefake.client.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time that a test can also move forward: the cluster runs at the wall clock's pace (pods start, leases renew),
 * and {@link #advance} jumps ahead, running at once every task that the jump made due (a node's grace period, a
 * CronJob's next minute, a back-off). Time never goes back. One daemon timer thread, as {@link SystemClusterClock}.
 */
public final class AdvanceableClusterClock extends ClusterClock {
    private static final Logger LOG = LoggerFactory.getLogger(AdvanceableClusterClock.class);
    private static final Clock UTC = Clock.systemUTC();

    private final ScheduledThreadPoolExecutor timer;
    private final Set<Task> pending = ConcurrentHashMap.newKeySet();
    private volatile Duration offset = Duration.ZERO;

    public AdvanceableClusterClock() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cluster-clock");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
    }

    @Override
    public Instant instant() {
        return UTC.instant().plus(offset);
    }

    /** How far this clock is ahead of the wall clock. */
    public Duration offset() {
        return offset;
    }

    /** Moves time forward by {@code d}; tasks due by the new time run at once, the others keep their due times. */
    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("time cannot go back: " + d);
        synchronized (this) {
            offset = offset.plus(d);
        }
        for (Task t : pending) t.arm();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(instant().plus(delay.isNegative() ? Duration.ZERO : delay), task);
        pending.add(t);
        t.arm();
        return t::cancel;
    }

    /** A task due at a cluster instant; its timer is set again whenever the clock jumps. */
    private final class Task {
        private final Instant due;
        private final Runnable action;
        private ScheduledFuture<?> timerTask;
        private boolean done;

        Task(Instant due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        synchronized void arm() {
            if (done) return;
            if (timerTask != null) timerTask.cancel(false);
            long nanos = Math.max(0, SystemClusterClock.saturatedNanos(Duration.between(instant(), due)));
            timerTask = timer.schedule(this::fire, nanos, TimeUnit.NANOSECONDS);
        }

        synchronized boolean cancel() {
            if (done) return false;
            done = true;
            pending.remove(this);
            if (timerTask != null) timerTask.cancel(false);
            return true;
        }

        private void fire() {
            synchronized (this) {
                if (done) return;
                done = true;
            }
            pending.remove(this);
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LOG.error("clock task failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "AdvanceableClusterClock[offset=" + offset + "]";
    }
}
