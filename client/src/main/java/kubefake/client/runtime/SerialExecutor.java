package kubefake.client.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs its tasks one at a time, in submission order, on a shared executor: how one informer's deliveries (or one
 * recorder's writes) stay in order without a thread of their own. After a batch it yields, so a busy lane does not
 * starve the others sharing the pool. On a cluster runtime, a batch's store writes are not each waited for: the next
 * batch runs once they are durable ({@link ClusterRuntime#runDeferringDurability}).
 */
public final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final Executor executor;
    /** Null: each write a task makes is durable when it returns. */
    private final ClusterRuntime runtime;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled; // guarded by this: a drain is queued, running, or waiting for its writes' durability

    public SerialExecutor(Executor executor) {
        this.executor = executor;
        this.runtime = null;
    }

    /** A lane on the runtime's executor whose batches do not hold a pool thread while their writes become durable. */
    public SerialExecutor(ClusterRuntime runtime) {
        this.executor = runtime.executor();
        this.runtime = runtime;
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
        if (runtime != null) {
            runtime.runDeferringDurability(this::runBatch, this::batchDone);
            return;
        }
        try {
            runBatch();
        } finally {
            batchDone();
        }
    }

    private void runBatch() {
        for (int i = 0; i < BATCH; i++) {
            Runnable next;
            synchronized (this) {
                next = tasks.pollFirst();
                if (next == null) return;
            }
            next.run();
        }
    }

    /**
     * After a batch (a full one, or one a task threw out of, which the executor reports) and its writes: the rest runs
     * in a fresh drain.
     */
    private void batchDone() {
        synchronized (this) {
            if (tasks.isEmpty()) {
                scheduled = false;
                return;
            }
        }
        executor.execute(this::drain);
    }

    /** How many tasks wait (for tests and diagnostics). */
    public synchronized int pending() {
        return tasks.size();
    }
}
