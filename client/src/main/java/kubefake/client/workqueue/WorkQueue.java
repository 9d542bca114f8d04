package kubefake.client.workqueue;

import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * client-go's rate-limited work queue, without blocking: keys wait in order; a key queued several times before it
 * is taken is processed once; a key being processed is not handed out again and, if queued meanwhile, comes back
 * once {@link #done} is called. {@link #addAfter} waits on the cluster clock, {@link #addRateLimited} backs off per
 * key until {@link #forget}.
 *
 * <p>Instead of a blocking {@code Get}, a consumer polls and is told by the ready listener when a key becomes
 * available ({@link Controller} does this on the cluster's executor). Thread-safe.
 */
public final class WorkQueue<K> {
    /** A key waiting for its time; its timer is set right after it is created, under the queue's lock. */
    private static final class Waiting {
        final Instant readyAt;
        Cancellable timer;

        Waiting(Instant readyAt) {
            this.readyAt = readyAt;
        }
    }

    private final String name;
    private final ClusterRuntime runtime;
    private final RateLimiter<K> rateLimiter;

    // guarded by this
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Waiting> waiting = new HashMap<>();
    private boolean shuttingDown;
    private Runnable readyListener = () -> { };

    /** A queue with client-go's default controller rate limiter. */
    public WorkQueue(String name, ClusterRuntime runtime) {
        this(name, runtime, RateLimiters.defaultControllerRateLimiter(runtime.clock()));
    }

    public WorkQueue(String name, ClusterRuntime runtime, RateLimiter<K> rateLimiter) {
        this.name = name;
        this.runtime = runtime;
        this.rateLimiter = rateLimiter;
        WorkQueues.register(runtime, this);
    }

    public String name() {
        return name;
    }

    /** Called (outside the queue's lock, on the adding thread) whenever a key becomes ready to be taken. */
    public synchronized void setReadyListener(Runnable listener) {
        this.readyListener = listener;
    }

    /** Queues the key unless it is queued already; a key being processed is queued again once it is done. */
    public void add(K key) {
        Runnable notify;
        synchronized (this) {
            if (shuttingDown || !dirty.add(key) || processing.contains(key)) return;
            queue.addLast(key);
            notify = readyListener;
        }
        notify.run();
    }

    /**
     * Queues the key once {@code delay} has passed on the cluster clock. A key already waiting keeps the earlier of
     * the two times.
     */
    public void addAfter(K key, Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            add(key);
            return;
        }
        synchronized (this) {
            if (shuttingDown) return;
            Instant readyAt = runtime.clock().instant().plus(delay);
            Waiting existing = waiting.get(key);
            if (existing != null && !existing.readyAt.isAfter(readyAt)) return;
            if (existing != null) existing.timer.cancel();
            Waiting entry = new Waiting(readyAt);
            waiting.put(key, entry);
            entry.timer = runtime.schedule(delay, () -> ready(key, entry));
        }
    }

    private void ready(K key, Waiting which) {
        synchronized (this) {
            if (waiting.get(key) != which) return; // replaced by an earlier time, or shut down
            waiting.remove(key);
        }
        add(key);
    }

    /**
     * Queues the key after its back-off (5 ms, 10 ms, 20 ms... with the default rate limiter).
     *
     * @return the back-off given
     */
    public Duration addRateLimited(K key) {
        Duration delay = rateLimiter.when(key);
        addAfter(key, delay);
        return delay;
    }

    /** Ends the key's back-off (it succeeded, or gave up). */
    public void forget(K key) {
        rateLimiter.forget(key);
    }

    public int numRequeues(K key) {
        return rateLimiter.numRequeues(key);
    }

    /** Takes the next key and marks it as being processed, or null when none is ready (or the queue is shut down). */
    public synchronized K poll() {
        if (shuttingDown) return null;
        K key = queue.pollFirst();
        if (key == null) return null;
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    /** Processing of the key is over: if it was queued meanwhile, it is ready again. */
    public void done(K key) {
        Runnable notify = null;
        synchronized (this) {
            processing.remove(key);
            if (dirty.contains(key) && !shuttingDown) {
                queue.addLast(key);
                notify = readyListener;
            }
        }
        if (notify != null) notify.run();
    }

    /** How many keys are ready to be taken. */
    public synchronized int len() {
        return queue.size();
    }

    /** Whether the key is being processed. */
    public synchronized boolean isProcessing(K key) {
        return processing.contains(key);
    }

    /** How many keys wait for their time (addAfter, back-off). */
    public synchronized int waitingCount() {
        return waiting.size();
    }

    /** Drops every queued and waiting key; later adds are ignored, poll answers null. */
    public void shutDown() {
        synchronized (this) {
            if (shuttingDown) return;
            shuttingDown = true;
            queue.clear();
            dirty.clear();
            waiting.values().forEach(w -> w.timer.cancel());
            waiting.clear();
        }
    }

    public synchronized boolean isShuttingDown() {
        return shuttingDown;
    }

    @Override
    public synchronized String toString() {
        return "WorkQueue[" + name + ": " + queue.size() + " ready, " + processing.size() + " processing, " + waiting.size() + " waiting]";
    }
}
