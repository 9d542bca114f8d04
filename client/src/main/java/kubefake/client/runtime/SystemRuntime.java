package kubefake.client.runtime;

import kubefake.store.mvcc.DeferredDurability;
import kubefake.store.mvcc.InProcessReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production runtime: a small pool of daemon threads (no thread per node, pod or controller) and a cluster
 * clock. A task that throws is logged and the pool carries on.
 *
 * <p>The pool keeps {@code threads} of them running: a task that waits for something outside the process through
 * {@link ForkJoinPool#managedBlock} (the store's write waiting for its fsync) is replaced by another thread meanwhile,
 * so writes made by the cluster's controllers and kubelets share the log's fsyncs as concurrent clients' do, instead
 * of the whole cluster writing at the pace of one fsync per thread. {@link #close} cancels what is scheduled, lets the
 * running tasks finish (a few seconds at most) and drops what is submitted afterwards.
 */
public final class SystemRuntime implements ClusterRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(SystemRuntime.class);
    /** Two threads: the machine this runs on is usually a laptop shared with kubectl and the API server. */
    public static final int DEFAULT_THREADS = 2;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** At most this many threads waiting (for fsyncs) beside the running ones; past it a waiting task holds its thread. */
    static final int MAX_WAITING = 256;
    private static final AtomicInteger RUNTIMES = new AtomicInteger();
    /** How long {@link #executeSoon} waits: the changes within it reach their consumer in one batch. */
    static final Duration SOON = Duration.ofMillis(1);

    private final ClusterClock clock;
    private final ForkJoinPool pool;
    private final Executor executor = this::submit;
    /** {@link #urgentExecutor}'s tasks: each pool task first runs those waiting here. */
    private final ConcurrentLinkedQueue<Runnable> urgent = new ConcurrentLinkedQueue<>();
    private final Executor urgentExecutor = this::submitUrgent;
    /** Real time for {@link #executeSoon}: one thread, which only hands tasks to the pool or to lanes. */
    private final SoonHandOff soon;
    /** Clock tasks not yet due: cancelled on close, so a closed cluster leaves nothing behind in the clock. */
    private final Set<Cancellable> scheduled = ConcurrentHashMap.newKeySet();
    /** The pool's threads read ahead of the store's durability ({@link InProcessReads}): its writes do not wait. */
    private final boolean inProcessReads;
    private volatile boolean closed;

    private SystemRuntime(ClusterClock clock, int threadCount, DeferredDurability durability) {
        if (threadCount < 1) throw new IllegalArgumentException("threads must be at least 1: " + threadCount);
        this.clock = clock;
        this.inProcessReads = durability != null;
        String name = "cluster-" + RUNTIMES.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        // FIFO (async mode); spare threads only while others wait, retired after a minute idle; when MAX_WAITING
        // threads wait already, the next waiting task keeps its thread (saturated) rather than failing
        this.pool = new ForkJoinPool(threadCount, p -> {
            ForkJoinWorkerThread t = new ForkJoinWorkerThread(p) {
                @Override
                protected void onStart() {
                    // the cluster's components read the store's writes once ordered in its log, before their fsync
                    if (inProcessReads) InProcessReads.markCurrentThread();
                }
            };
            t.setName(name + "-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (t, e) -> reportFailure("background task", e), true, 0, threadCount + MAX_WAITING, 1, p -> true, 60, TimeUnit.SECONDS);
        this.soon = new SoonHandOff(name + "-soon", SOON, e -> reportFailure("hand-off", e));
    }

    /** A runtime on real time with the default pool. */
    public static SystemRuntime start() {
        return start(new SystemClusterClock(), DEFAULT_THREADS);
    }

    public static SystemRuntime start(ClusterClock clock, int threads) {
        return new SystemRuntime(clock, threads, null);
    }

    /**
     * A runtime whose tasks read the store's writes as soon as they are ordered in its log and do not wait for their
     * own writes' fsync ({@link InProcessReads}): {@code durability} is the cluster's store's, null when its writes do
     * not wait.
     */
    public static SystemRuntime start(ClusterClock clock, int threads, DeferredDurability durability) {
        return new SystemRuntime(clock, threads, durability);
    }

    @Override
    public ClusterClock clock() {
        return clock;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    private void submit(Runnable task) {
        if (closed) return;
        try {
            pool.execute(() -> runGuarded(task));
        } catch (RejectedExecutionException e) {
            if (!closed) throw e;
            // closing: the work of a stopping cluster is dropped
        }
    }

    @Override
    public Executor urgentExecutor() {
        return urgentExecutor;
    }

    /**
     * Queued ahead of the pool's work: the next task any pool thread starts runs it first. The pool gets a task of its
     * own for it too, so that it runs when nothing else is queued.
     */
    private void submitUrgent(Runnable task) {
        if (closed) return;
        urgent.add(task);
        submit(NO_TASK);
    }

    private static final Runnable NO_TASK = () -> { };

    private void runGuarded(Runnable task) {
        for (Runnable u = urgent.poll(); u != null; u = urgent.poll()) runOne(u);
        runOne(task);
    }

    private void runOne(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            reportFailure("background task", e);
        }
    }

    @Override
    public void executeSoon(Runnable task) {
        if (closed) return;
        soon.execute(() -> submit(task));
    }

    /** The hand-off itself runs on the timer's thread: one task queued on the pool (by the lane), not two. */
    @Override
    public void executeSoon(Executor target, Runnable task) {
        if (closed) return;
        soon.execute(() -> {
            if (!closed) target.execute(task);
        });
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return schedule(delay, executor, task);
    }

    /** The hand-off to {@code target} runs on the clock's timer, as {@link #executeSoon(Executor, Runnable)}'s. */
    @Override
    public Cancellable schedule(Duration delay, Executor target, Runnable task) {
        if (closed) return () -> false;
        Tracked tracked = new Tracked();
        scheduled.add(tracked);
        tracked.handle = clock.schedule(delay, () -> {
            if (scheduled.remove(tracked) && !closed) target.execute(task);
        });
        if (closed) tracked.cancel(); // close ran meanwhile and may have missed it
        return tracked;
    }

    /** A scheduled task the runtime keeps track of until it falls due or is cancelled. */
    private final class Tracked implements Cancellable {
        volatile Cancellable handle;

        @Override
        public boolean cancel() {
            boolean removed = scheduled.remove(this);
            Cancellable h = handle;
            if (h != null) h.cancel();
            return removed;
        }
    }

    @Override
    public boolean await(CompletionStage<?> stage, Duration timeout) {
        if (onOwnThread()) {
            throw new IllegalStateException("waiting on the cluster's own executor would block it");
        }
        try {
            stage.toCompletableFuture().get(SystemClusterClock.saturatedNanos(timeout), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            return true; // completed, exceptionally: the caller looks at the stage itself
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void reportFailure(String what, Throwable failure) {
        LOG.error("{} failed", what, failure);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Cancellable c : scheduled) c.cancel();
        scheduled.clear();
        soon.close();
        pool.shutdown();
        if (onOwnThread()) return; // closed from one of its own tasks
        try {
            if (!pool.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("background tasks still running {} s after close: interrupting them", CLOSE_GRACE.toSeconds());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private boolean onOwnThread() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool;
    }

    /** The pool's size: how many threads run tasks at once (more exist while some wait). */
    public int threads() {
        return pool.getParallelism();
    }
}
