package kubefake.client.informers;

import kubefake.client.runtime.ClusterRuntime;
import kubefake.store.registry.Registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The informers of a cluster, one per resource, shared by every controller and kubelet (client-go's
 * SharedInformerFactory). Components ask for the informers they need and add their handlers and indexes;
 * the composition root then calls {@link #start()}. An informer asked for after that needs another {@code start()}.
 */
public final class SharedInformers implements AutoCloseable {
    /** How many changes a watch may hold for an informer that lags before it overflows (and replays). */
    public static final int DEFAULT_WATCH_BUFFER = 10_000;

    private final Registry registry;
    private final ClusterRuntime runtime;
    private final int watchBufferLimit;
    private final Map<String, Informer> informers = new LinkedHashMap<>();
    private boolean closed;

    public SharedInformers(Registry registry, ClusterRuntime runtime) {
        this(registry, runtime, DEFAULT_WATCH_BUFFER);
    }

    public SharedInformers(Registry registry, ClusterRuntime runtime, int watchBufferLimit) {
        this.registry = registry;
        this.runtime = runtime;
        this.watchBufferLimit = watchBufferLimit;
    }

    /** The informer of a served resource (created on first use, not started). */
    public synchronized Informer informer(String group, String resource) {
        if (closed) throw new IllegalStateException("informers closed");
        return informers.computeIfAbsent(group + "/" + resource,
                k -> new Informer(registry.resource(group, resource), runtime, watchBufferLimit));
    }

    /** Starts every informer not started yet. */
    public synchronized void start() {
        if (closed) throw new IllegalStateException("informers closed");
        informers.values().forEach(Informer::start);
    }

    /** Whether every informer asked for so far has synced. */
    public synchronized boolean hasSynced() {
        return informers.values().stream().allMatch(Informer::hasSynced);
    }

    /** Waits until every informer has synced (see {@link ClusterRuntime#await}); false on time-out. */
    public boolean awaitSynced(Duration timeout) {
        List<Informer> all;
        synchronized (this) {
            all = new ArrayList<>(informers.values());
        }
        Instant deadline = Instant.now().plus(timeout);
        for (Informer i : all) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!i.awaitSynced(left.isNegative() ? Duration.ZERO : left)) return false;
        }
        return true;
    }

    /** Stops every informer. */
    @Override
    public synchronized void close() {
        closed = true;
        informers.values().forEach(Informer::stop);
    }
}
