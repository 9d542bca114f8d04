package kubefake.client.runtime;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Where a cluster's background work runs: one {@link ClusterClock} and one {@link Executor} shared by every
 * controller, informer and simulated kubelet. Production uses {@link SystemRuntime} (a small thread pool), tests
 * {@link ManualRuntime} (everything on the test thread, time moved by hand).
 *
 * <p>Work handed to the executor must not block: a handful of threads serve the whole cluster. A task that throws
 * is reported ({@link #reportFailure}) and the executor carries on.
 */
public interface ClusterRuntime extends AutoCloseable {

    ClusterClock clock();

    /** Runs tasks in the background; after {@link #close} it silently drops them. */
    Executor executor();

    /**
     * Runs tasks before what {@link #executor} has queued: a node's own heartbeat (its registration, Lease and status),
     * which on a real cluster runs on that node's machine and waits behind no other node's pods nor any controller.
     * Here it is the executor's (one queue) unless the runtime keeps a queue for it.
     */
    default Executor urgentExecutor() {
        return executor();
    }

    /**
     * Runs {@code task} on the executor shortly, for a consumer woken once per change (an informer whose watch has
     * events): a short real-time wait lets one wake-up take a burst of changes, instead of a thread switch per write.
     * The wait does not follow the cluster clock. By default (the manual runtime) it is queued at once.
     */
    default void executeSoon(Runnable task) {
        executor().execute(task);
    }

    /**
     * {@link #executeSoon} of a task for {@code target} (a lane of the executor), whose {@code execute} only queues:
     * a runtime may call it from its timer rather than through a task of its own on the executor.
     */
    default void executeSoon(Executor target, Runnable task) {
        executeSoon(() -> target.execute(task));
    }

    /** Runs {@code task} on the executor once {@code delay} has passed on the cluster clock. */
    default Cancellable schedule(Duration delay, Runnable task) {
        Executor executor = executor();
        return clock().schedule(delay, () -> executor.execute(task));
    }

    /**
     * {@link #schedule} of a task for {@code target} (a lane of the executor), whose {@code execute} only queues: a
     * runtime may hand it to the lane from its timer, one task on the executor (the lane's) instead of two.
     */
    default Cancellable schedule(Duration delay, Executor target, Runnable task) {
        return schedule(delay, () -> target.execute(task));
    }

    /**
     * Runs {@code task} on the executor every {@code period} of cluster time, the first time after one period; the
     * next run is scheduled once the previous one has run (a fixed delay, as Kubernetes' {@code wait.Until}).
     */
    default Cancellable every(Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive: " + period);
        return new Periodic(this, period, task).start();
    }

    /**
     * Waits for {@code stage} to complete: in production blocks up to {@code timeout}; with the manual runtime runs
     * the queued work until idle (time does not move). True when it completed. Must not be called from the
     * executor's own threads.
     */
    boolean await(CompletionStage<?> stage, Duration timeout);

    /**
     * A background task failed in a way its owner could not handle (a bug): production logs it, the manual runtime
     * also makes the test fail.
     */
    void reportFailure(String what, Throwable failure);

    /** Stops the executor and cancels what is scheduled; waits briefly for running tasks. Idempotent. */
    @Override
    void close();
}
