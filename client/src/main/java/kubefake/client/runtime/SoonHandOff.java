package kubefake.client.runtime;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The thread behind {@link ClusterRuntime#executeSoon}: hand-offs queued by writers run on it within one period of
 * being queued, all those of a period together. While hand-offs keep coming it wakes once per period by its own
 * timer, so a writer only queues (no lock, no thread to wake); after a period with none it sleeps until the next one
 * wakes it (one extra timed wake-up when writes stop). A per-task timer (a scheduled executor) instead costs the writer a locked queue and a wake-up of the
 * timer thread per burst, and the timer thread a second wake-up at the deadline.
 *
 * <p>Hand-offs must only queue work elsewhere (a pool, a lane): they run one after another on this one thread.
 */
final class SoonHandOff {
    private final long periodNanos;
    private final ConcurrentLinkedQueue<Runnable> handOffs = new ConcurrentLinkedQueue<>();
    /** Set while the thread waits with no deadline: the next hand-off queued must wake it. */
    private final AtomicBoolean idle = new AtomicBoolean();
    private final Thread thread;
    private final Consumer<Throwable> onFailure;
    private volatile boolean closed;

    SoonHandOff(String threadName, Duration period, Consumer<Throwable> onFailure) {
        this.periodNanos = period.toNanos();
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a hand-off; dropped once closed. */
    void execute(Runnable handOff) {
        if (closed) return;
        handOffs.add(handOff);
        if (idle.get() && idle.compareAndSet(true, false)) LockSupport.unpark(thread);
    }

    /** Stops the thread; hand-offs not yet run are dropped. */
    void close() {
        closed = true;
        handOffs.clear();
        LockSupport.unpark(thread);
    }

    private void report(Throwable e) {
        try {
            onFailure.accept(e);
        } catch (Throwable ignored) {
            // a failing report must not end the thread either
        }
    }

    private void run() {
        boolean ranLastPeriod = false;
        while (!closed) {
            Thread.interrupted(); // an interrupt would make every park return at once: the thread would spin
            if (!ranLastPeriod && handOffs.isEmpty()) {
                idle.set(true);
                // a hand-off queued before idle was set is seen here; one queued after it sees idle and wakes us
                if (handOffs.isEmpty() && !closed) LockSupport.park(this);
                idle.set(false);
                continue;
            }
            // the first hand-off of a burst waits one period, so that the rest of the burst joins it; after a period
            // that ran some, the thread waits another before sleeping idle: a consumer that is signalled again once
            // it has drained (an informer under steady writes) then queues without waking anyone
            long deadline = System.nanoTime() + periodNanos;
            for (long left = periodNanos; left > 0 && !closed; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
            ranLastPeriod = false;
            for (Runnable r = handOffs.poll(); r != null && !closed; r = handOffs.poll()) {
                ranLastPeriod = true;
                try {
                    r.run();
                } catch (Throwable e) {
                    report(e); // and the others still run: this one thread serves every informer
                }
            }
        }
    }
}
