package kubefake.client.runtime;

import java.time.Duration;

/** A task run every period of cluster time until cancelled: each run schedules the next. */
final class Periodic implements Cancellable {
    private final ClusterRuntime runtime;
    private final Duration period;
    private final Runnable task;
    private Cancellable next; // guarded by this
    private boolean cancelled; // guarded by this

    Periodic(ClusterRuntime runtime, Duration period, Runnable task) {
        this.runtime = runtime;
        this.period = period;
        this.task = task;
    }

    Periodic start() {
        scheduleNext();
        return this;
    }

    private synchronized void scheduleNext() {
        if (!cancelled) next = runtime.schedule(period, this::runOnce);
    }

    private void runOnce() {
        synchronized (this) {
            if (cancelled) return;
        }
        try {
            task.run();
        } finally {
            scheduleNext();
        }
    }

    @Override
    public synchronized boolean cancel() {
        if (cancelled) return false;
        cancelled = true;
        if (next != null) next.cancel();
        return true;
    }
}
