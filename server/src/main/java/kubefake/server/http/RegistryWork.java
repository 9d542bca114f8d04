package kubefake.server.http;

import io.netty.util.concurrent.DefaultThreadFactory;
import kubefake.store.mvcc.DeferredDurability;
import kubefake.store.registry.request.Waiting;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a request whose store work may wait runs. When the store's writes wait in the writing thread (an etcd round
 * trip), mutating requests (create, update, patch, delete, reviews) go to a bounded pool off Netty's event loops, so
 * that a write waiting on the store holds up no other connection; reads (get, list), probes and the start of
 * long-running requests stay on the event loop, where the store's lock-free reads answer without a thread hop. When
 * they do not (the in-memory store of {@code --durability none}), writes are served on the event loop too, as reads
 * are: the two thread hops of the pool would cost more than the write itself. When the store can tell later that a
 * write is durable ({@link DeferredDurability}: the write-ahead log of {@code --durability fsync}), writes are served
 * on the event loop as well, their durability deferred, and the answer is written once the log's fsync calls back:
 * no thread waits for the fsync. A write that finds it must wait (an admission plugin waiting for a controller's
 * object, see {@link Waiting}) is served again on the pool.
 * <p>
 * The pool has a thread for each write in progress, up to the mutating in-flight limit (requests beyond it were
 * refused with 429 before they got here, but for {@code system:masters}, which the limit lets through), made when
 * needed and ended after a minute idle: as kube-apiserver's goroutine per request, every write waiting on the store
 * waits in its own thread, so that concurrent writers share the durable log's fsyncs (group commit) instead of
 * queueing behind a few threads that wait one fsync each. Past the limit the event loop serves the request itself,
 * which slows its connections down as a full pool would.
 */
final class RegistryWork implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    /** Every write goes to the pool (the store's writes wait), not only those that must wait. */
    private final boolean everyWrite;
    /** Null, or how writes served on the event loop are answered once durable. */
    private final DeferredDurability durability;

    private RegistryWork(ThreadPoolExecutor pool, boolean everyWrite, DeferredDurability durability) {
        this.pool = pool;
        this.everyWrite = everyWrite;
        this.durability = durability;
    }

    /**
     * A pool of up to {@code maxWrites} threads (at least 64), each made when a write finds no idle one: a write is
     * handed to an idle thread or a new one, never queued behind another.
     */
    static RegistryWork pool(int maxWrites) {
        return pool(maxWrites, true);
    }

    /** As {@link #pool(int)}; when {@code writesWait} is false, only the writes that must wait go to the pool. */
    static RegistryWork pool(int maxWrites, boolean writesWait) {
        return pool(maxWrites, writesWait, null);
    }

    /**
     * As {@link #pool(int, boolean)}; with a {@code durability}, writes are served on the event loop and answered once
     * durable, and only the writes that must wait otherwise go to the pool.
     */
    static RegistryWork pool(int maxWrites, boolean writesWait, DeferredDurability durability) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Math.max(64, maxWrites), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory("registry", true),
                new ThreadPoolExecutor.CallerRunsPolicy());
        return new RegistryWork(pool, writesWait && durability == null, durability);
    }

    /** Everything on the event loop (an embedded channel in tests and benchmarks). */
    static RegistryWork inline() {
        return new RegistryWork(null, false, null);
    }

    /** Whether a request of this kind is served off the event loop from the start. */
    boolean offloads(RequestKind kind) {
        return pool != null && everyWrite && kind == RequestKind.MUTATING;
    }

    /** Whether a request served on the event loop that must wait can be served on the pool instead. */
    boolean takesWaits() {
        return pool != null;
    }

    /** Null, or how a write served on the event loop learns that it is durable (see {@link DeferredDurability}). */
    DeferredDurability durability() {
        return durability;
    }

    Executor executor() {
        return pool;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
