package kubefake.client.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs its tasks one at a time, in submission order, on a shared executor: how one informer's deliveries (or one
 * recorder's writes) stay in order without a thread of their own. After a batch it yields, so a busy lane does not
 * starve the others sharing the pool. On a cluster runtime over a durable store, a batch's store writes do not wait for
 * their fsync ({@code InProcessReads}): the next batch reads them at once, as everything else in the process does.
 *
 * <p>{@link #executeUrgent} tasks run before the lane's other tasks, and the lane's drain is then queued on the
 * runtime's {@link ClusterRuntime#urgentExecutor}: a kubelet's heartbeat goes before its own pods' work and before
 * what other lanes have queued.
 */
public final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final Executor executor;
    private final Executor urgentExecutor;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> urgentTasks = new ArrayDeque<>();
    // guarded by this
    /** A drain runs: when done it queues the next drain if tasks are left. */
    private boolean active;
    /** A drain is queued on the executor, or on the urgent one. */
    private boolean queued;
    private boolean queuedUrgent;

    public SerialExecutor(Executor executor) {
        this.executor = executor;
        this.urgentExecutor = executor;
    }

    /** A lane on the runtime's executor, its urgent tasks on the runtime's urgent executor. */
    public SerialExecutor(ClusterRuntime runtime) {
        this.executor = runtime.executor();
        this.urgentExecutor = runtime.urgentExecutor();
    }

    @Override
    public void execute(Runnable task) {
        submit(task, false);
    }

    /** Runs {@code task} after the lane's other urgent tasks, before its others. */
    public void executeUrgent(Runnable task) {
        submit(task, true);
    }

    private void submit(Runnable task, boolean urgent) {
        boolean urgentDrain;
        synchronized (this) {
            (urgent ? urgentTasks : tasks).addLast(task);
            Boolean next = nextDrain();
            if (next == null) return;
            urgentDrain = next;
        }
        queueDrain(urgentDrain);
    }

    /**
     * Under the lock: which drain to queue (true: an urgent one), or null when the running or a queued one will serve
     * the lane's most urgent task.
     */
    private Boolean nextDrain() {
        if (active || queuedUrgent) return null;
        if (!urgentTasks.isEmpty()) {
            queuedUrgent = true;
            return true;
        }
        if (queued || tasks.isEmpty()) return null;
        queued = true;
        return false;
    }

    private void queueDrain(boolean urgent) {
        if (urgent) urgentExecutor.execute(() -> drain(true));
        else executor.execute(() -> drain(false));
    }

    private void drain(boolean urgent) {
        synchronized (this) {
            if (urgent) queuedUrgent = false;
            else queued = false;
            if (active) return; // the running drain queues the next one when it is done
            active = true;
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
                next = urgentTasks.pollFirst();
                if (next == null) next = tasks.pollFirst();
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
        boolean urgentDrain;
        synchronized (this) {
            active = false;
            Boolean next = nextDrain();
            if (next == null) return;
            urgentDrain = next;
        }
        queueDrain(urgentDrain);
    }

    /** How many tasks wait (for tests and diagnostics). */
    public synchronized int pending() {
        return tasks.size() + urgentTasks.size();
    }
}
