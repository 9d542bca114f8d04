package kubefake.store.mvcc;

public interface Watchable {
    /**
     * A revision every watcher has already been given all events up to (its buffer or its poll has them): a watcher
     * that has polled everything is in sync at least up to it. Lags {@code currentRevision()} only while a write is
     * being delivered. Watch bookmarks use it, so that a bookmark never announces a revision whose event the
     * client has not seen yet.
     */
    long deliveredRevision();

    /**
     * Watches every key starting with {@code keyPrefix} for events with revision > {@code afterRevision}.
     * Past events still held (afterRevision ≥ compactedRevision()) are replayed first, then live ones follow,
     * with no gap and no duplicate. The replay is read lazily and does not count against {@code bufferLimit}.
     * The caller polls as soon as this returns and keeps polling until {@link Watcher#poll} answers an empty list;
     * from then on {@code onReady} announces the next events.
     *
     * @param onReady     called (on the writer's thread, keep it short: e.g. schedule a drain on an event loop)
     *                    whenever the buffer goes from empty to non-empty and when the watcher closes
     * @param bufferLimit how many undelivered live events the watcher may hold; one more closes it with OVERFLOW
     * @throws CompactedException when afterRevision < compactedRevision()
     */
    Watcher watch(String keyPrefix, long afterRevision, Runnable onReady, int bufferLimit);

    /**
     * As {@link #watch(String, long, Runnable, int)}, for a watcher that wants only the events a {@code trigger}
     * names (null: every event of the prefix). A hint: this default, like a store that cannot index its watchers,
     * delivers every event of the prefix.
     */
    default Watcher watch(String keyPrefix, long afterRevision, Runnable onReady, int bufferLimit, WatchTrigger trigger) {
        return watch(keyPrefix, afterRevision, onReady, bufferLimit);
    }
}
