package kubefake.client.informers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.StoredObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An informer's cache (client-go's thread-safe indexer): objects by key, and for each index the keys under each
 * value. An object is kept as the store's bytes (shared, not copied) plus the values it is indexed under, so an
 * update or delete unindexes the old state without parsing it again. One writer (the informer's lane), any number of
 * readers.
 */
final class IndexedCache {
    private record Entry(StoredObject object, List<Collection<String>> indexValues) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Entry> items = new HashMap<>();
    private final Map<String, IndexFunction> indexers = new LinkedHashMap<>();
    /** index name → value → keys; same order as indexers. */
    private final Map<String, Map<String, Set<String>>> indices = new LinkedHashMap<>();

    /** Adds an index; objects already cached are indexed at once (their trees parsed again where not kept). */
    void addIndexer(String name, IndexFunction function) {
        lock.writeLock().lock();
        try {
            if (indexers.putIfAbsent(name, function) != null) throw new IllegalArgumentException("index " + name + " exists already");
            Map<String, Set<String>> index = new HashMap<>();
            indices.put(name, index);
            for (Map.Entry<String, Entry> e : items.entrySet()) {
                Collection<String> v = values(function, e.getValue().object().tree());
                List<Collection<String>> all = new ArrayList<>(e.getValue().indexValues());
                all.add(v);
                e.setValue(new Entry(e.getValue().object(), all));
                for (String value : v) index.computeIfAbsent(value, x -> new HashSet<>()).add(e.getKey());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Collection<String> values(IndexFunction f, ObjectNode tree) {
        Collection<String> v = f.values(tree);
        return v == null || v.isEmpty() ? List.of() : List.copyOf(v);
    }

    boolean hasIndex(String name) {
        lock.readLock().lock();
        try {
            return indexers.containsKey(name);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Stores the object under key, indexed from its tree (which is not kept).
     *
     * @return the previous object under key, or null
     */
    StoredObject put(String key, StoredObject object, ObjectNode tree) {
        lock.writeLock().lock();
        try {
            // under the lock: an index added meanwhile is in indexers and indices alike
            List<Collection<String>> values = new ArrayList<>(indexers.size());
            for (IndexFunction f : indexers.values()) values.add(values(f, tree));
            Entry old = items.put(key, new Entry(object, values));
            if (old != null) unindex(key, old);
            int i = 0;
            for (Map<String, Set<String>> index : indices.values()) {
                for (String value : values.get(i++)) index.computeIfAbsent(value, v -> new HashSet<>()).add(key);
            }
            return old == null ? null : old.object();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the object under key; returns it, or null when there was none. */
    StoredObject remove(String key) {
        lock.writeLock().lock();
        try {
            Entry old = items.remove(key);
            if (old == null) return null;
            unindex(key, old);
            return old.object();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void unindex(String key, Entry entry) {
        int i = 0;
        for (Map<String, Set<String>> index : indices.values()) {
            for (String value : entry.indexValues().get(i++)) {
                Set<String> keys = index.get(value);
                if (keys != null && keys.remove(key) && keys.isEmpty()) index.remove(value);
            }
        }
    }

    Optional<StoredObject> get(String key) {
        lock.readLock().lock();
        try {
            Entry e = items.get(key);
            return e == null ? Optional.empty() : Optional.of(e.object());
        } finally {
            lock.readLock().unlock();
        }
    }

    List<StoredObject> list() {
        lock.readLock().lock();
        try {
            List<StoredObject> out = new ArrayList<>(items.size());
            for (Entry e : items.values()) out.add(e.object());
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every object by key (a copy). */
    Map<String, StoredObject> snapshot() {
        lock.readLock().lock();
        try {
            Map<String, StoredObject> out = new HashMap<>(items.size() * 2);
            items.forEach((k, e) -> out.put(k, e.object()));
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    List<String> keys() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(items.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return items.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The objects indexed under value; unknown index → IllegalArgumentException. */
    List<StoredObject> byIndex(String indexName, String value) {
        lock.readLock().lock();
        try {
            Map<String, Set<String>> index = indices.get(indexName);
            if (index == null) throw new IllegalArgumentException("no index named " + indexName);
            Set<String> keys = index.getOrDefault(value, Set.of());
            List<StoredObject> out = new ArrayList<>(keys.size());
            for (String k : keys) out.add(items.get(k).object());
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The values an index holds objects under (a copy). */
    Set<String> indexValues(String indexName) {
        lock.readLock().lock();
        try {
            Map<String, Set<String>> index = indices.get(indexName);
            if (index == null) throw new IllegalArgumentException("no index named " + indexName);
            return new HashSet<>(index.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }
}
