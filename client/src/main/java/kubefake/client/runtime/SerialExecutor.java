package kubefake.client.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs its tasks one at a time, in submission order, on a shared executor: how one informer's deliveries (or one
 * recorder's writes) stay in order without a thread of their own. After a batch it yields, so a busy lane does not
 * starve the others sharing the pool.
 */
public final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final Executor executor;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled; // guarded by this: a drain is queued or running

    public SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.addLast(task);
            if (scheduled) return;
            scheduled = true;
        }
        executor.execute(this::drain);
    }

    private void drain() {
        boolean more = true;
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable next;
                synchronized (this) {
                    next = tasks.pollFirst();
                    if (next == null) {
                        scheduled = false;
                        more = false;
                        return;
                    }
                }
                next.run();
            }
        } finally {
            // after a full batch, or when a task threw (the executor reports it): the rest runs in a fresh drain
            if (more) executor.execute(this::drain);
        }
    }

    /** How many tasks wait (for tests and diagnostics). */
    public synchronized int pending() {
        return tasks.size();
    }
}
