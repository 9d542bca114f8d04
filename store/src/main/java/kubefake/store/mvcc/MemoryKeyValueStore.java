package kubefake.store.mvcc;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory {@link KeyValueStore}.
 *
 * <p>Writes are serialized by one lock and do little under it: check the condition, encode the value, link it into
 * the key's history and the event log, publish the new revision, hand the event to the watchers of the key.
 * Reads take no lock: they fix a revision (the current one, read once) and read every key's history as of it, so a
 * read sees exactly one revision's state however many writes run meanwhile.
 *
 * <p>Compaction (see {@link #compact}) prunes histories key by key in short batches under the write lock;
 * a read that raced with it re-checks the compacted revision afterwards and fails instead of answering from
 * half-pruned history.
 *
 * <p>With a {@link CommitLog}, a write is linked in under the lock (later writers build on it) but published only
 * once the log has made it durable: reads fix the published revision, so they never see it before then, and the
 * writer waits for it outside the lock, so concurrent writers share the log's fsyncs. A writer that must not wait
 * defers instead (see {@link DeferredDurability}): it reads its own writes, and acknowledges them when told they are
 * durable. The threads of in-process components ({@link InProcessReads}) read and watch every write as soon as it is
 * linked in and ordered in the log, and their writes do not wait for it.
 */
public final class MemoryKeyValueStore implements KeyValueStore {
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Serializes compactions with each other (not with writes: those interleave between batches). */
    private final ReentrantLock compactionLock = new ReentrantLock();

    private final EventLog log = new EventLog();
    private final KeyIndex index = new KeyIndex(log);
    private final HistoryPacker packer = new HistoryPacker(log,
            prefix -> index.range(prefix, ReadView.prefixEnd(prefix), this.currentRevision, 0).kvs(), index::newest);
    /** Told of a write once it is published (durable, with a commit log). */
    private final WatcherGroup watchers = new WatcherGroup();
    /** With a commit log: the in-process components' watchers, told of a write as soon as it is linked in. */
    private final WatcherGroup orderedWatchers = new WatcherGroup();
    /**
     * How far in-process writers may run ahead of the log's fsyncs before a write of theirs waits for its own: a bound
     * on the log's queue only (each fsync takes everything queued, so the lag stays far below it on any disk).
     */
    static final long MAX_IN_PROCESS_AHEAD = 20_000;

    /** Null: a write is published as it is linked in (nothing is durable). */
    private final CommitLog commitLog;
    /** The log publishes every batch once durable: a write it has need not be waited for by its writer. */
    private final boolean logPublishes;

    /** Under writeLock: the newest revision linked in, published or still waiting to be durable. */
    private long lastRevision;
    /** lastRevision, written once the write is fully linked in: what in-process readers fix. */
    private volatile long orderedRevision;

    /** Written under writeLock after the write is fully linked in; read by everyone without a lock. */
    private volatile long currentRevision;
    /** Written under writeLock once every watcher of the write has its event: see {@link #deliveredRevision()}. */
    private volatile long deliveredRevision;
    private volatile long compactedRevision;
    private volatile boolean closed;

    /** A store that keeps nothing beyond this process. */
    public MemoryKeyValueStore() {
        this(null);
    }

    /** A store whose writes are acknowledged and seen only once {@code commitLog} made them durable. */
    public MemoryKeyValueStore(CommitLog commitLog) {
        this.commitLog = commitLog;
        this.logPublishes = commitLog != null && commitLog.publishWith(this::publishUpTo);
    }

    /** Only a store with a commit log waits: without one a write is linked in and published at once. */
    @Override
    public boolean writesWait() {
        return commitLog != null;
    }

    @Override
    public DeferredDurability deferredDurability() {
        return commitLog == null ? null : new DeferredDurability(this::whenDurable, () -> orderedRevision, () -> currentRevision);
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    @Override
    public long currentRevision() {
        return visibleRevision();
    }

    /**
     * The revision reads fix: the published one, or on a thread that deferred its writes' durability its own newest
     * write (linked in by that thread, so everything up to it is linked in too) when that is newer; on an in-process
     * component's thread every write linked in.
     */
    private long visibleRevision() {
        long published = currentRevision;
        if (commitLog == null) return published;
        if (InProcessReads.onCurrentThread()) return orderedRevision;
        long own = DeferredDurability.ownRevision();
        return own > published ? own : published;
    }

    @Override
    public long compactedRevision() {
        return compactedRevision;
    }

    @Override
    public KeyValue get(String key) {
        return index.get(key, visibleRevision());
    }

    /** As in {@link ReadView}; revision 0 means the current revision, a revision not reached yet is refused. */
    @Override
    public KeyValue get(String key, long revision) {
        if (revision == 0) {
            return get(key);
        }
        checkReadable(revision);
        KeyValue kv = index.get(key, revision);
        checkStillReadable(revision);
        return kv;
    }

    /** As in {@link ReadView}; a null endKey means no upper bound, a revision not reached yet is refused. */
    @Override
    public RangeResult range(String fromKey, String endKey, long revision, int limit) {
        Objects.requireNonNull(fromKey, "fromKey");
        if (revision == 0) {
            return index.range(fromKey, endKey, visibleRevision(), limit);
        }
        checkReadable(revision);
        RangeResult result = index.range(fromKey, endKey, revision, limit);
        checkStillReadable(revision);
        return result;
    }

    private void checkReadable(long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative: " + revision);
        }
        long compacted = compactedRevision;
        if (revision <= compacted) {
            throw new CompactedException(revision, compacted);
        }
        long current = visibleRevision();
        if (revision > current) {
            throw new FutureRevisionException(revision, current);
        }
    }

    /** A compaction that passed {@code revision} during the read may have pruned what it walked. */
    private void checkStillReadable(long revision) {
        long compacted = compactedRevision;
        if (revision <= compacted) {
            throw new CompactedException(revision, compacted);
        }
    }

    // ---- writes --------------------------------------------------------------------------------------------

    @Override
    public WriteResult put(String key, ValueEncoder encoder, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(encoder, "encoder");
        checkCondition(expectedModRevision);
        WriteResult result;
        writeLock.lock();
        try {
            checkOpen();
            KeyHistory history = index.history(key);
            KeyValue previous = KeyIndex.newestLive(history);
            if (!holds(expectedModRevision, previous)) {
                return new WriteResult(false, currentRevision, previous, null);
            }
            long revision = lastRevision + 1;
            byte[] value = Objects.requireNonNull(encoder.encode(revision), "the encoder returned null");
            // a key's revisions share one String of it (the caller's is a copy of its own): retained history is kept
            // for the compaction window, a pod has ~5 revisions
            KeyValue kv = previous == null
                    ? new KeyValue(key, value, revision, revision, 1)
                    : new KeyValue(previous.key(), value, previous.createRevision(), revision, previous.version() + 1);
            Object decoded = encoder.decoded(kv);
            if (decoded != null) kv.decoded(decoded);
            commit(new Event(Event.Type.PUT, kv, previous), history);
            result = new WriteResult(true, revision, kv, previous);
        } finally {
            writeLock.unlock();
        }
        publishWhenDurable(result.revision());
        return result;
    }

    /** As in {@link WriteView}; deleting an absent key fails (writes nothing) whatever the condition. */
    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        Objects.requireNonNull(key, "key");
        checkCondition(expectedModRevision);
        WriteResult result;
        writeLock.lock();
        try {
            checkOpen();
            KeyHistory history = index.history(key);
            KeyValue previous = KeyIndex.newestLive(history);
            if (previous == null || !holds(expectedModRevision, previous)) {
                return new WriteResult(false, currentRevision, previous, null);
            }
            long revision = lastRevision + 1;
            commit(new Event(Event.Type.DELETE, KeyHistory.tombstone(previous.key(), revision), previous), history);
            result = new WriteResult(true, revision, null, previous);
        } finally {
            writeLock.unlock();
        }
        publishWhenDurable(result.revision());
        return result;
    }

    private static void checkCondition(long expectedModRevision) {
        if (expectedModRevision < ANY) {
            throw new IllegalArgumentException("expectedModRevision must be ANY, ABSENT or a revision: " + expectedModRevision);
        }
    }

    private static boolean holds(long expectedModRevision, KeyValue current) {
        if (expectedModRevision == ANY) {
            return true;
        }
        if (expectedModRevision == ABSENT) {
            return current == null;
        }
        return current != null && current.modRevision() == expectedModRevision;
    }

    /**
     * Under writeLock: hands the write to the commit log (which may refuse it), links it in, and without a commit log
     * publishes it at once. {@code history}: the key's, as {@link KeyIndex#history} gave it under this hold.
     */
    private void commit(Event event, KeyHistory history) {
        if (commitLog != null) {
            commitLog.append(event);
        }
        index.record(event.kv(), history);
        log.append(event);
        lastRevision = event.revision();
        if (commitLog == null) {
            publish(event);
            return;
        }
        orderedRevision = event.revision();
        for (StoreWatcher watcher : orderedWatchers.matching(event)) {
            watcher.deliver(event);
        }
    }

    /** Under writeLock, in revision order: makes the write readable, then tells the key's watchers. */
    private void publish(Event event) {
        currentRevision = event.revision();
        for (StoreWatcher watcher : watchers.matching(event)) {
            watcher.deliver(event);
        }
        deliveredRevision = event.revision();
    }

    /**
     * Outside the lock: waits until the commit log made {@code revision} durable, then publishes every write up to
     * it that no other writer published yet (the first writer an fsync wakes publishes its whole batch).
     */
    private void publishWhenDurable(long revision) {
        if (commitLog == null || currentRevision >= revision || DeferredDurability.deferred(revision)) {
            return;
        }
        if (logPublishes && InProcessReads.onCurrentThread() && revision - currentRevision <= MAX_IN_PROCESS_AHEAD) {
            return; // it answers nobody: whatever depends on this write and leaves the process waits for a later one
        }
        commitLog.awaitDurable(revision);
        if (currentRevision >= revision) {
            return; // the log published it (see CommitLog#publishWith), or another writer of the batch did
        }
        publishUpTo(revision);
    }

    /**
     * For a writer that deferred: {@code then} once {@code revision} is durable and published (publishing it here if
     * the log did not), or with the log's failure.
     */
    private void whenDurable(long revision, java.util.function.Consumer<RuntimeException> then) {
        if (currentRevision >= revision) {
            then.accept(null);
            return;
        }
        commitLog.whenDurable(revision, failure -> {
            if (failure == null && currentRevision < revision) {
                try {
                    publishUpTo(revision);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            then.accept(failure);
        });
    }

    /** Publishes every durable write up to {@code revision} not published yet. */
    private void publishUpTo(long revision) {
        writeLock.lock();
        try {
            for (long r = currentRevision + 1; r <= revision; r++) {
                publish(log.get(r));
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long deliveredRevision() {
        return deliveredRevision;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the store is closed");
        }
    }

    // ---- watch ---------------------------------------------------------------------------------------------

    /**
     * As in {@link Watchable}. History to replay is ready at once: poll right after this returns, and keep polling
     * until {@link Watcher#poll} answers an empty list; from then on {@code onReady} announces the next events.
     * On a closed store the watcher comes back already closed with STORE_CLOSED.
     *
     * @throws IllegalArgumentException when bufferLimit &lt; 1 or afterRevision &lt; 0
     */
    @Override
    public Watcher watch(String keyPrefix, long afterRevision, Runnable onReady, int bufferLimit) {
        return watch(keyPrefix, afterRevision, onReady, bufferLimit, null);
    }

    /** As above; a {@code trigger} files the watcher under its value, so that only the writes it names reach it. */
    @Override
    public Watcher watch(String keyPrefix, long afterRevision, Runnable onReady, int bufferLimit, WatchTrigger trigger) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(onReady, "onReady");
        if (bufferLimit < 1) {
            throw new IllegalArgumentException("bufferLimit must be at least 1: " + bufferLimit);
        }
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative: " + afterRevision);
        }
        writeLock.lock();
        try {
            long compacted = compactedRevision;
            if (afterRevision < compacted) {
                throw new CompactedException(afterRevision, compacted);
            }
            // an in-process component's watch is told of writes as they are linked in, as its reads see them
            boolean ordered = commitLog != null && InProcessReads.onCurrentThread();
            WatcherGroup group = ordered ? orderedWatchers : watchers;
            StoreWatcher watcher = new StoreWatcher(keyPrefix, trigger, afterRevision, ordered ? lastRevision : currentRevision,
                    onReady, bufferLimit, log, w -> unregister(group, w));
            if (closed) {
                watcher.closeWith(Watcher.CloseReason.STORE_CLOSED);
            } else {
                group.add(watcher);
            }
            return watcher;
        } finally {
            writeLock.unlock();
        }
    }

    private void unregister(WatcherGroup group, StoreWatcher watcher) {
        writeLock.lock();
        try {
            group.remove(watcher);
        } finally {
            writeLock.unlock();
        }
    }

    /** How many watchers are open (for tests and metrics). */
    public int watcherCount() {
        writeLock.lock();
        try {
            return watchers.size() + orderedWatchers.size();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- compaction ----------------------------------------------------------------------------------------

    /**
     * As in {@link KeyValueStore}: afterwards reads at revisions ≤ {@code revision} and watches from before it fail
     * with {@link CompactedException}, and the event log no longer holds those revisions. A watcher that is still
     * replaying history which this removes is closed with OVERFLOW (it must relist), like one that fell behind;
     * other open watchers are unaffected. Compacting to a revision at or below the compacted one does nothing.
     *
     * @throws FutureRevisionException when revision &gt; currentRevision()
     */
    @Override
    public void compact(long revision) {
        compactionLock.lock();
        try {
            writeLock.lock();
            try {
                if (revision > currentRevision) {
                    throw new FutureRevisionException(revision, currentRevision);
                }
                if (revision <= compactedRevision) {
                    return;
                }
            } finally {
                writeLock.unlock();
            }
            if (commitLog != null) {
                commitLog.compacting(revision, this);
            }
            writeLock.lock();
            try {
                // Published first: readers that race with the pruning below re-check it and fail cleanly.
                compactedRevision = revision;
            } finally {
                writeLock.unlock();
            }
            index.compact(revision, writeLock);
            log.trimThrough(revision);
        } finally {
            compactionLock.unlock();
        }
    }

    /**
     * Packs the values superseded since the revision that was current at the previous call (see {@link HistoryPacker}):
     * called every few seconds, a superseded value stays as it is for one period, then costs its difference from its
     * successor until compaction forgets it. Reads answer the same either way.
     *
     * @return how many values this call packed
     */
    public int packHistory() {
        return packer.tick(currentRevision);
    }

    /**
     * Keeps the newest values of the keys under {@code prefix} packed as well once nobody reads them (see
     * {@link HistoryPacker}): objects that are written and then hardly read; {@link #packHistory} packs each a period
     * after it was written unless it was read meanwhile, or later once no longer read, and this call packs those the
     * store holds now (restored from a snapshot, say). Reads answer the same, inflating them.
     *
     * @return how many values this call packed
     */
    public int packUnreadValuesUnder(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return packer.packUnreadValuesUnder(prefix);
    }

    /** Sweeps the newest values under the prefixes now, as every {@link HistoryPacker#SWEEP_TICKS}-th tick does (tests). */
    int sweepUnreadValues() {
        return packer.sweep();
    }

    /** Looks again at the newest values the previous pass left because they were read, as every tick does (tests). */
    int lookAgainAtReadValues() {
        return packer.lookAgain();
    }

    /** Packs every value superseded up to {@code revision} now (tests). */
    int packHistoryThrough(long revision) {
        return packer.packThrough(revision);
    }

    // ---- recovery ------------------------------------------------------------------------------------------

    /**
     * Recovery, on a new store before any other use: the state a snapshot holds, every live key at {@code revision}.
     * History before it is gone: the store starts compacted at that revision.
     */
    public void restoreSnapshot(long revision, Iterable<KeyValue> liveKeys) {
        writeLock.lock();
        try {
            if (lastRevision != 0) {
                throw new IllegalStateException("a snapshot can only be restored into an empty store");
            }
            for (KeyValue kv : liveKeys) {
                if (kv.modRevision() > revision || kv.isTombstone()) {
                    throw new IllegalArgumentException("not a live key at revision " + revision + ": " + kv.key());
                }
                index.record(kv);
            }
            log.startAfter(revision);
            lastRevision = revision;
            orderedRevision = revision;
            currentRevision = revision;
            deliveredRevision = revision;
            compactedRevision = revision;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Recovery: re-applies one write read back from the commit log, which must be the next revision; {@code value}
     * null is a delete. Not logged again.
     *
     * @throws IllegalStateException when the write does not follow (a gap, or a delete of an absent key)
     */
    public void replay(long revision, String key, byte[] value) {
        writeLock.lock();
        try {
            if (revision != lastRevision + 1) {
                throw new IllegalStateException("expected revision " + (lastRevision + 1) + ", got " + revision);
            }
            KeyValue previous = index.newestLive(key);
            Event event;
            if (value == null) {
                if (previous == null) {
                    throw new IllegalStateException("revision " + revision + " deletes " + key + ", which does not exist");
                }
                event = new Event(Event.Type.DELETE, KeyHistory.tombstone(previous.key(), revision), previous);
            } else {
                event = new Event(Event.Type.PUT, previous == null
                        ? new KeyValue(key, value, revision, revision, 1)
                        : new KeyValue(previous.key(), value, previous.createRevision(), revision, previous.version() + 1), previous);
            }
            index.record(event.kv());
            log.append(event);
            lastRevision = revision;
            orderedRevision = revision;
            publish(event);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- close ---------------------------------------------------------------------------------------------

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (WatcherGroup group : List.of(watchers, orderedWatchers)) {
                for (StoreWatcher watcher : group.all()) {
                    watcher.closeWith(Watcher.CloseReason.STORE_CLOSED);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    // ---- for tests in this package -------------------------------------------------------------------------

    int keyCount() {
        return index.size();
    }

    int historySize(String key) {
        return index.historySize(key);
    }

    int eventLogSegments() {
        return log.segmentCount();
    }
}
