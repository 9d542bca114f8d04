package kubefake.store.mvcc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.Lock;

/**
 * Every key's history in key order (etcd's {@code treeIndex}). Readers use it without locks (a concurrent skip
 * list of {@link KeyHistory}s, each read at a fixed revision, so a read sees one consistent revision while writers
 * go on); writes and compaction happen under the store's write lock.
 */
final class KeyIndex {
    /** Keys compacted per hold of the write lock, so a compaction never stalls writers for long. */
    private static final int COMPACTION_BATCH = 512;

    private final ConcurrentSkipListMap<String, KeyHistory> histories = new ConcurrentSkipListMap<>();

    /** The key's live value at {@code revision}, or null. */
    KeyValue get(String key, long revision) {
        KeyHistory history = histories.get(key);
        return history == null ? null : history.at(revision);
    }

    /** Writer only: the key's newest live value, or null when absent or deleted. */
    KeyValue newestLive(String key) {
        KeyHistory history = histories.get(key);
        if (history == null) {
            return null;
        }
        KeyValue newest = history.newest();
        return KeyHistory.isTombstone(newest) ? null : newest;
    }

    /** Writer only: records a write (a value, or a tombstone for a delete). */
    void record(KeyValue kv) {
        KeyHistory history = histories.get(kv.key());
        if (history == null) {
            histories.put(kv.key(), new KeyHistory(kv));
        } else {
            history.append(kv);
        }
    }

    /** Live keys in [fromKey, endKey) at {@code revision}; a null endKey means no upper bound. */
    RangeResult range(String fromKey, String endKey, long revision, int limit) {
        if (endKey != null && fromKey.compareTo(endKey) >= 0) {
            return new RangeResult(List.of(), revision, false, 0);
        }
        NavigableMap<String, KeyHistory> span = endKey == null
                ? histories.tailMap(fromKey, true)
                : histories.subMap(fromKey, true, endKey, false);
        List<KeyValue> kvs = new ArrayList<>(limit > 0 ? Math.min(limit, 1024) : 16);
        long count = 0;
        // Every key in the span is visited even past the limit: count covers the whole range.
        for (KeyHistory history : span.values()) {
            KeyValue kv = history.at(revision);
            if (kv != null) {
                count++;
                if (limit <= 0 || kvs.size() < limit) {
                    kvs.add(kv);
                }
            }
        }
        return new RangeResult(kvs, revision, count > kvs.size(), count);
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
