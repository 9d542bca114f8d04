package kubefake.client.workqueue;

import kubefake.client.runtime.ClusterRuntime;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs a {@link Reconciler} over a {@link WorkQueue}: up to {@code workers} keys at a time, each on the cluster's
 * executor (never two workers on one key: the queue sees to it). A sync that throws is retried with the queue's
 * back-off and logged in one line; one that succeeds is forgotten by the rate limiter; one that asks for it is
 * looked at again later.
 *
 * <p>A worker takes up to {@link #BATCH} ready keys per executor task and then yields, so controllers share the small
 * pool fairly (as a {@link kubefake.client.runtime.SerialExecutor} lane runs a batch of its tasks per turn). One key
 * per turn put each key of a busy controller behind everything else queued meanwhile: at a cluster's start the
 * scheduler bound one kube-system pod per turn of the pool, tens of milliseconds apart behind the kubelets' and event
 * recorders' batches, where kube-scheduler, a loop of its own, binds them within milliseconds.
 */
public final class Controller<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    /** Keys a worker takes in one executor task before it yields. */
    static final int BATCH = 16;

    private final String name;
    private final ClusterRuntime runtime;
    private final WorkQueue<K> queue;
    private final int workers;
    private final Reconciler<K> reconciler;

    // guarded by this
    private boolean started;
    private boolean closed;
    private int active;

    public Controller(String name, ClusterRuntime runtime, WorkQueue<K> queue, int workers, Reconciler<K> reconciler) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1: " + workers);
        this.name = name;
        this.runtime = runtime;
        this.queue = queue;
        this.workers = workers;
        this.reconciler = reconciler;
        queue.setReadyListener(this::dispatch);
    }

    public String name() {
        return name;
    }

    public WorkQueue<K> queue() {
        return queue;
    }

    /**
     * Starts the workers once everything in {@code before} has completed (typically the informers' first sync:
     * client-go's WaitForCacheSync, without blocking a thread). Keys queued meanwhile wait.
     */
    public void start(CompletionStage<?>... before) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[before.length];
        for (int i = 0; i < before.length; i++) all[i] = before[i].toCompletableFuture();
        CompletableFuture.allOf(all).thenRun(() -> {
            synchronized (this) {
                if (closed) return;
                started = true;
            }
            for (int i = 0; i < workers; i++) dispatch();
        });
    }

    /** Starts a worker if one is free and a key is ready. */
    private void dispatch() {
        synchronized (this) {
            if (!started || closed || active >= workers || queue.len() == 0) return;
            active++;
        }
        runtime.executor().execute(this::work);
    }

    /**
     * One turn of a worker: up to {@link #BATCH} keys. Their writes do not wait for the store's fsyncs on a cluster
     * runtime ({@code InProcessReads}): a key's next sync reads what its last one wrote at once.
     */
    private void work() {
        List<K> taken = new ArrayList<>();
        try {
            for (int i = 0; i < BATCH; i++) {
                K key = queue.poll();
                if (key == null) break;
                taken.add(key);
                process(key);
            }
        } finally {
            for (K key : taken) queue.done(key);
            synchronized (this) {
                active--;
            }
            dispatch();
        }
    }

    private void process(K key) {
        Result result;
        try {
            result = reconciler.reconcile(key);
        } catch (Exception e) {
            Duration delay = queue.addRateLimited(key);
            logFailure(key, e, delay);
            return;
        }
        queue.forget(key);
        if (result != null && result.requeues()) queue.addAfter(key, result.requeueAfter());
    }

    /**
     * One line per failure. A stack trace only for what is neither an API error nor a {@link SyncException} (so
     * probably a bug), and only on the first failure of a streak.
     */
    private void logFailure(K key, Exception e, Duration delay) {
        boolean understood = e instanceof StatusException || e instanceof SyncException;
        if (routineConflict(key, e)) {
            LOG.debug("{}: syncing {} failed, retrying in {}: {}", name, key, pretty(delay), e.getMessage());
            return;
        }
        if (!understood && queue.numRequeues(key) <= 1) {
            LOG.warn("{}: syncing {} failed, retrying in {}", name, key, pretty(delay), e);
        } else {
            LOG.warn("{}: syncing {} failed, retrying in {}: {}", name, key, pretty(delay), understood ? e.getMessage() : e.toString());
        }
    }

    /**
     * A write refused because the cached copy it started from was stale (409 Conflict) is how optimistic concurrency
     * works, not a failure: on every start the deployment controller meets one or two while it and the ReplicaSets'
     * status writes race. Only a key that keeps conflicting is worth a line on the console.
     */
    private boolean routineConflict(K key, Exception e) {
        return e instanceof StatusException s && s.code() == 409 && "Conflict".equals(s.reason())
                && queue.numRequeues(key) <= ROUTINE_CONFLICTS;
    }

    /** Conflicts in a row on one key that are logged at debug only. */
    private static final int ROUTINE_CONFLICTS = 3;

    private static String pretty(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    /** Stops taking keys and shuts the queue down; a sync already running finishes. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        queue.shutDown();
    }
}
