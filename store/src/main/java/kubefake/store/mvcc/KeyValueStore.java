package kubefake.store.mvcc;

/**
 * The revisioned key-value store (etcd's model, in process): one global revision, range at a revision,
 * compare-and-swap writes, tombstones, watch from any retained revision and compaction.
 */
public interface KeyValueStore extends ReadView, WriteView, Watchable, AutoCloseable {
    /**
     * Forgets every value superseded at or before {@code revision} (the latest value of each live key is kept,
     * and tombstones at or below it are dropped). Reads, watches and continue tokens older than it then fail
     * with {@link CompactedException}. Open watchers are unaffected, except one still replaying history that this
     * removes: it is closed with OVERFLOW (it must relist). Compacting to a revision already compacted does nothing.
     *
     * @throws FutureRevisionException when revision > currentRevision()
     */
    void compact(long revision);

    /**
     * Whether a write waits for something outside this process before it returns (a durable log's fsync, an etcd
     * round trip), so that the thread writing should be one that may wait.
     */
    default boolean writesWait() {
        return true;
    }

    /**
     * How a thread that must not wait can write and learn later when its writes are durable, or null when this store
     * cannot tell (its writes wait in the writing thread, or do not wait at all).
     */
    default DeferredDurability deferredDurability() {
        return null;
    }

    /** Closes every watcher with STORE_CLOSED. */
    @Override
    void close();
}
