package kubefake.client.informers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ObjectKey;
import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.runtime.SerialExecutor;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.ResourceWatch;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local, indexed cache of one resource, kept current by list and watch (client-go's shared informer), and the
 * handlers it tells about each change. Get one from {@link SharedInformers}: every controller and kubelet of a
 * cluster shares it.
 *
 * <p>Everything the informer does (list, watch polling, cache updates, handler calls) runs on one serial lane of the
 * cluster's executor: handlers see changes in order, one at a time. The watch's readiness callback, which comes on
 * the writer's thread, only queues a drain on that lane, shortly ({@link ClusterRuntime#executeSoon}), so that a burst
 * of writes wakes the informer once rather than once per write.
 *
 * <p>When the watch ends, the informer watches again from the last revision it saw, and the missed changes are
 * replayed from the store's history; when that history is gone (410 Expired, compaction) it lists again and delivers
 * the difference with its cache: objects gone meanwhile as deletions, changed ones as updates (client-go's reflector
 * does the same).
 */
public final class Informer {
    private static final Logger LOG = LoggerFactory.getLogger(Informer.class);

    /** Index of objects by metadata.namespace. */
    public static final String NAMESPACE_INDEX = "namespace";
    /** Index of pods by spec.nodeName (unscheduled pods are not in it). */
    public static final String NODE_NAME_INDEX = "spec.nodeName";
    /** Index of objects by the uid of their controller owner (ownerReferences[?controller==true].uid). */
    public static final String CONTROLLER_INDEX = "controller";

    private static final int POLL_BATCH = 256;
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(800);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ResourceStore store;
    private final ClusterRuntime runtime;
    private final int watchBufferLimit;
    private final SerialExecutor lane;
    private final Runnable drainTask = this::drain;
    private final IndexedCache cache = new IndexedCache();
    private final List<ResourceEventHandler> handlers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();

    // lifecycle, guarded by this
    private boolean started;
    private boolean stopped;

    // lane-confined state
    private ResourceWatch watch;
    private volatile long lastRevision;
    /** Events the current watch delivered: a watch that ends without any is not simply reopened. */
    private int eventsThisWatch;
    private int emptyWatches;
    private Duration backoff = INITIAL_BACKOFF;
    private Cancellable retry;

    Informer(ResourceStore store, ClusterRuntime runtime, int watchBufferLimit) {
        this.store = store;
        this.runtime = runtime;
        this.watchBufferLimit = watchBufferLimit;
        this.lane = new SerialExecutor(runtime);
        cache.addIndexer(NAMESPACE_INDEX, o -> single(o.path("metadata").path("namespace")));
        cache.addIndexer(CONTROLLER_INDEX, Informer::controllerUid);
        if (store.type().group().isEmpty() && store.type().resource().equals("pods")) {
            cache.addIndexer(NODE_NAME_INDEX, o -> single(o.path("spec").path("nodeName")));
        }
    }

    private static List<String> single(JsonNode value) {
        String v = value.asText("");
        return v.isEmpty() ? List.of() : List.of(v);
    }

    private static List<String> controllerUid(ObjectNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) return single(ref.path("uid"));
        }
        return List.of();
    }

    public ResourceType type() {
        return store.type();
    }

    // ------------------------------------------------------------------ set-up

    /**
     * Adds an index. Added after the start (a controller that starts after others on the shared informers), it first
     * indexes every object already cached.
     */
    public void addIndexer(String name, IndexFunction function) {
        cache.addIndexer(name, function);
    }

    /**
     * Adds a handler. Added after the start, it first gets an {@code onAdd} for each object already in the cache (on
     * the lane, so in order with later changes).
     *
     * @return a handle that removes the handler
     */
    public synchronized Cancellable addHandler(ResourceEventHandler handler) {
        if (!started) {
            handlers.add(handler);
        } else {
            lane.execute(() -> {
                handlers.add(handler);
                for (StoredObject o : cache.list()) deliver(handler, h -> h.onAdd(o));
            });
        }
        return () -> handlers.remove(handler);
    }

    synchronized void start() {
        if (started || stopped) return;
        started = true;
        lane.execute(this::relist);
    }

    /** Stops watching; the cache keeps what it had, handlers hear nothing more. */
    void stop() {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
        }
        lane.execute(() -> {
            if (watch != null) watch.close();
            if (retry != null) retry.cancel();
        });
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    // ------------------------------------------------------------------ reading

    /** True once the cache holds the state of the first list (and handlers have been told about it). */
    public boolean hasSynced() {
        return synced.isDone();
    }

    /** Completes when {@link #hasSynced()} turns true. */
    public CompletionStage<Void> synced() {
        return synced;
    }

    /** Waits for the first sync (see {@link ClusterRuntime#await}: the manual runtime runs queued work instead). */
    public boolean awaitSynced(Duration timeout) {
        return runtime.await(synced, timeout);
    }

    /** Every cached object, in no particular order. */
    public List<StoredObject> list() {
        return cache.list();
    }

    /** The cached objects of a namespace. */
    public List<StoredObject> list(String namespace) {
        return cache.byIndex(NAMESPACE_INDEX, namespace);
    }

    public Optional<StoredObject> get(String namespace, String name) {
        return cache.get(ObjectKey.of(namespace, name));
    }

    /** The cached object under a key ({@link ObjectKey}). */
    public Optional<StoredObject> get(String key) {
        return cache.get(key);
    }

    /** The cached objects an index holds under value. */
    public List<StoredObject> byIndex(String index, String value) {
        return cache.byIndex(index, value);
    }

    /** The values an index holds objects under (for a node index, the nodes that some cached pod names). */
    public Set<String> indexValues(String index) {
        return cache.indexValues(index);
    }

    /** Every key in the cache. */
    public List<String> keys() {
        return cache.keys();
    }

    /** The revision the cache reflects (of the last list or watch event applied). */
    public long lastSyncRevision() {
        return lastRevision;
    }

    // ------------------------------------------------------------------ list and watch (on the lane)

    /** Lists, brings the cache to the list (delivering the difference) and watches from the list's revision. */
    private void relist() {
        if (isStopped()) return;
        closeWatch();
        ListResult result;
        try {
            result = store.list(null, ListOptions.ALL);
        } catch (RuntimeException e) {
            LOG.warn("list of {} failed, retrying in {} ms: {}", type().qualifiedResource(), backoff.toMillis(), e.toString());
            retryLater(this::relist);
            return;
        }
        replace(result.items());
        setLastRevision(result.resourceVersion());
        synced.complete(null);
        openWatch();
    }

    private void replace(List<StoredObject> items) {
        Set<String> seen = new HashSet<>();
        Map<String, StoredObject> known = cache.snapshot();
        for (StoredObject o : items) {
            ObjectNode tree = o.tree();
            String key = ObjectKey.of(tree);
            seen.add(key);
            StoredObject old = known.get(key);
            if (old != null && old.resourceVersion() == o.resourceVersion()) continue;
            cache.put(key, o, tree);
            if (old == null) deliverAll(h -> h.onAdd(o));
            else deliverAll(h -> h.onUpdate(old, o));
        }
        for (Map.Entry<String, StoredObject> e : known.entrySet()) {
            if (seen.contains(e.getKey())) continue;
            cache.remove(e.getKey());
            StoredObject last = e.getValue();
            deliverAll(h -> h.onDelete(last));
        }
    }

    private void openWatch() {
        if (isStopped()) return;
        ListOptions options = new ListOptions("", "", Long.toString(lastRevision), "", 0, null, 0, false, null);
        ResourceWatch opened;
        try {
            // the watch signals when events wait after it was drained; a burst of writes is taken in one drain
            opened = store.watch(null, options, () -> runtime.executeSoon(lane, drainTask), watchBufferLimit);
        } catch (RuntimeException e) {
            LOG.warn("watch of {} failed, relisting in {} ms: {}", type().qualifiedResource(), backoff.toMillis(), e.toString());
            retryLater(this::relist);
            return;
        }
        watch = opened;
        eventsThisWatch = 0;
        lane.execute(this::drain); // history since lastRevision is ready at once: poll without waiting for a signal
    }

    private void drain() {
        ResourceWatch w = watch;
        if (w == null || isStopped()) return;
        List<WatchEvent> events = w.poll(POLL_BATCH);
        for (WatchEvent e : events) {
            if (e.type() == WatchEvent.Type.ERROR) {
                // 410 Expired (history compacted) or another failure: the cache can only be rebuilt from a list
                LOG.debug("watch of {} ended: {}", type().qualifiedResource(), e.error().getMessage());
                closeWatch();
                relist();
                return;
            }
            apply(e);
        }
        if (events.size() >= POLL_BATCH) {
            lane.execute(this::drain); // more may wait: come back after the other lanes had a turn
        } else if (w.isClosed() && w == watch) {
            watchEnded();
        }
    }

    private void apply(WatchEvent e) {
        if (e.type() == WatchEvent.Type.BOOKMARK) return;
        eventsThisWatch++;
        emptyWatches = 0;
        backoff = INITIAL_BACKOFF;
        StoredObject o = e.object();
        ObjectNode tree = o.tree(); // the revision's shared tree: its handlers are likely to read it too
        String key = ObjectKey.of(tree);
        setLastRevision(o.resourceVersion());
        if (e.type() == WatchEvent.Type.DELETED) {
            if (cache.remove(key) != null) deliverAll(h -> h.onDelete(o));
            return;
        }
        StoredObject old = cache.put(key, o, tree);
        if (old == null) deliverAll(h -> h.onAdd(o));
        else deliverAll(h -> h.onUpdate(old, o));
    }

    /**
     * The watch closed (it fell behind and overflowed, or the store closed it): watch again from the last revision
     * seen, so the missed changes replay from history. A watch that ends twice in a row without delivering anything
     * is not reopened at once: after a back-off the informer lists again (client-go's "very short watch").
     */
    private void watchEnded() {
        closeWatch();
        if (eventsThisWatch > 0 || emptyWatches == 0) {
            if (eventsThisWatch == 0) emptyWatches++;
            openWatch();
        } else {
            emptyWatches++;
            LOG.debug("watch of {} keeps closing, relisting in {} ms", type().qualifiedResource(), backoff.toMillis());
            retryLater(this::relist);
        }
    }

    private void retryLater(Runnable action) {
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        if (retry != null) retry.cancel();
        retry = runtime.schedule(delay, () -> lane.execute(action));
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void setLastRevision(long revision) {
        lastRevision = revision;
    }

    // ------------------------------------------------------------------ delivery

    private interface Call {
        void on(ResourceEventHandler handler);
    }

    private void deliverAll(Call call) {
        for (ResourceEventHandler h : handlers) deliver(h, call);
    }

    /** A handler that throws is a bug in it: reported, and the other handlers are still told. */
    private void deliver(ResourceEventHandler handler, Call call) {
        try {
            call.on(handler);
        } catch (RuntimeException e) {
            runtime.reportFailure("event handler of the " + type().qualifiedResource() + " informer", e);
        }
    }

    @Override
    public String toString() {
        return "Informer[" + type().qualifiedResource() + ", " + cache.size() + " objects]";
    }
}
