package kubefake.store.mvcc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;

/**
 * Every key's history in key order (etcd's {@code treeIndex}). Readers use it without locks (a concurrent skip
 * list of {@link KeyHistory}s, each read at a fixed revision, so a read sees one consistent revision while writers
 * go on); writes and compaction happen under the store's write lock.
 *
 * <p>Beside them, the {@link LiveKeys} of the newest create or delete count a range's live keys without walking it:
 * a range with a limit reads only its page, whatever the range holds after it.
 */
final class KeyIndex {
    /** Keys compacted per hold of the write lock, so a compaction never stalls writers for long. */
    private static final int COMPACTION_BATCH = 512;

    private final ConcurrentSkipListMap<String, KeyHistory> histories = new ConcurrentSkipListMap<>();
    /** Where a count at an older revision finds what changed since (the writes after it). */
    private final EventLog log;
    /** Written by the writer after the history it counts; read by everyone. */
    private volatile LiveKeys live = LiveKeys.EMPTY;

    KeyIndex(EventLog log) {
        this.log = log;
    }

    /** The key's live value at {@code revision}, or null. */
    KeyValue get(String key, long revision) {
        KeyHistory history = histories.get(key);
        return history == null ? null : history.at(revision);
    }

    /** The key's newest entry (a tombstone when deleted), or null when the index has none; any thread. */
    KeyValue newest(String key) {
        KeyHistory history = histories.get(key);
        return history == null ? null : history.newest();
    }

    /** Writer only: the key's newest live value, or null when absent or deleted. */
    KeyValue newestLive(String key) {
        return newestLive(history(key));
    }

    /**
     * Writer only: the key's history, or null when the index has none: a write looks its key up once in the skip
     * list for its condition and its {@link #record}, under one hold of the write lock.
     */
    KeyHistory history(String key) {
        return histories.get(key);
    }

    /** The newest live value of a history ({@link #history}), or null when absent or deleted. */
    static KeyValue newestLive(KeyHistory history) {
        if (history == null) {
            return null;
        }
        KeyValue newest = history.newest();
        return KeyHistory.isTombstone(newest) ? null : newest;
    }

    /** Writer only: records a write (a value, or a tombstone for a delete). */
    void record(KeyValue kv) {
        record(kv, histories.get(kv.key()));
    }

    /**
     * Writer only: records a write of the key whose history {@link #history} gave under the same hold of the write
     * lock (so nothing changed it since).
     */
    void record(KeyValue kv, KeyHistory history) {
        boolean wasLive = history != null && !KeyHistory.isTombstone(history.newest());
        if (history == null) {
            histories.put(kv.key(), new KeyHistory(kv));
        } else {
            history.append(kv);
        }
        boolean isLive = !KeyHistory.isTombstone(kv);
        if (isLive != wasLive) {
            live = isLive ? live.with(kv.key(), kv.modRevision()) : live.without(kv.key(), kv.modRevision());
        }
    }

    /**
     * Live keys in [fromKey, endKey) at {@code revision}, at most {@code limit} of them (all when it is 0 or less);
     * a null endKey means no upper bound. The count covers the whole range.
     */
    RangeResult range(String fromKey, String endKey, long revision, int limit) {
        if (endKey != null && fromKey.compareTo(endKey) >= 0) {
            return new RangeResult(List.of(), revision, false, 0);
        }
        NavigableMap<String, KeyHistory> span = endKey == null
                ? histories.tailMap(fromKey, true)
                : histories.subMap(fromKey, true, endKey, false);
        List<KeyValue> kvs = new ArrayList<>(limit > 0 ? Math.min(limit, 1024) : 16);
        long count = 0;
        long counted = limit > 0 ? count(fromKey, endKey, revision) : -1;
        for (KeyHistory history : span.values()) {
            KeyValue kv = history.at(revision);
            if (kv != null) {
                if (limit <= 0 || kvs.size() < limit) {
                    kvs.add(kv);
                } else if (counted >= 0) {
                    break; // the page is full and the count is known: the rest of the range need not be read
                }
                count++;
            }
        }
        if (counted >= 0 && kvs.size() == limit) {
            count = counted;
        }
        return new RangeResult(kvs, revision, count > kvs.size(), count);
    }

    /**
     * The number of live keys in [fromKey, endKey) at {@code revision}, from the newest {@link LiveKeys} and the
     * creates and deletes after the revision; -1 when walking those would cost more than walking the range.
     */
    private long count(String fromKey, String endKey, long revision) {
        LiveKeys newest = live;
        long count = newest.count(fromKey, endKey);
        if (newest.revision() <= revision) {
            return count; // nothing was created or deleted between the revision and the tree
        }
        if (newest.revision() - revision > count) {
            return -1;
        }
        // Each key written since the revision counts as it was then, not as the tree has it.
        Set<String> changed = new HashSet<>();
        for (long r = revision + 1; r <= newest.revision(); r++) {
            Event event = log.get(r);
            if (event == null) {
                return -1; // compacted meanwhile (the read fails on its re-check), or not in the log yet
            }
            String key = event.kv().key();
            if (key.compareTo(fromKey) >= 0 && (endKey == null || key.compareTo(endKey) < 0) && changed.add(key)) {
                KeyHistory history = histories.get(key);
                if (history == null) {
                    return -1; // compacted away meanwhile: the read fails on its re-check
                }
                count += (history.at(revision) != null ? 1 : 0) - (history.at(newest.revision()) != null ? 1 : 0);
            }
        }
        return count;
    }

    /**
     * Compacts every key's history to {@code revision}, taking {@code writeLock} for a batch of keys at a time.
     * Keys whose history ends (at or below the revision) in a deletion leave the index.
     */
    void compact(long revision, Lock writeLock) {
        Iterator<Map.Entry<String, KeyHistory>> entries = histories.entrySet().iterator();
        while (entries.hasNext()) {
            writeLock.lock();
            try {
                for (int i = 0; i < COMPACTION_BATCH && entries.hasNext(); i++) {
                    Map.Entry<String, KeyHistory> entry = entries.next();
                    if (entry.getValue().compact(revision)) {
                        histories.remove(entry.getKey(), entry.getValue());
                    }
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Writer or test: how many keys (live or tombstoned) the index holds. */
    int size() {
        return histories.size();
    }

    /** Test helper: how many entries (values and tombstones) the key's history holds, 0 when it left the index. */
    int historySize(String key) {
        KeyHistory history = histories.get(key);
        return history == null ? 0 : history.size();
    }
}
