package kubefake.store.mvcc;

public interface Watchable {
    /**
     * Watches every key starting with {@code keyPrefix} for events with revision > {@code afterRevision}.
     * Past events still held (afterRevision ≥ compactedRevision()) are replayed first, then live ones follow,
     * with no gap and no duplicate.
     *
     * @param onReady     called (on the writer's thread, keep it short: e.g. schedule a drain on an event loop)
     *                    whenever the buffer goes from empty to non-empty and when the watcher closes
     * @param bufferLimit how many undelivered events the watcher may hold before it is closed with OVERFLOW
     * @throws CompactedException when afterRevision < compactedRevision()
     */
    Watcher watch(String keyPrefix, long afterRevision, Runnable onReady, int bufferLimit);
}
