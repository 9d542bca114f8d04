package kubefake.server.http;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where a request whose store work may block runs. Mutating requests (create, update, patch, delete, reviews) go to
 * a bounded pool off Netty's event loops, so that a write waiting on the store (a durable log's fsync, an etcd round
 * trip) holds up no other connection; reads (get, list), probes and the start of long-running requests stay on the
 * event loop, where the store's lock-free reads answer without a thread hop.
 * <p>
 * The pool has a thread per core and a queue as deep as the mutating in-flight limit (requests beyond it were refused
 * with 429 before they got here, but for {@code system:masters}, which the limit lets through); when even that is full
 * the event loop serves the request itself, which slows its connections down as the pool would.
 */
final class RegistryWork implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    private RegistryWork(ThreadPoolExecutor pool) {
        this.pool = pool;
    }

    /** A pool of one thread per core (at least two) with a queue of {@code queue} requests (at least 64). */
    static RegistryWork pool(int queue) {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(64, queue)), new DefaultThreadFactory("registry", true),
                new ThreadPoolExecutor.CallerRunsPolicy());
        return new RegistryWork(pool);
    }

    /** Everything on the event loop (an embedded channel in tests and benchmarks). */
    static RegistryWork inline() {
        return new RegistryWork(null);
    }

    /** Whether a request of this kind is served off the event loop. */
    boolean offloads(RequestKind kind) {
        return pool != null && kind == RequestKind.MUTATING;
    }

    Executor executor() {
        return pool;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
