package kubefake.client.informers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.StoredObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An informer's cache (client-go's thread-safe indexer): objects by key, and for each index the keys under each
 * value. An object is kept as the store's bytes (shared, not copied) plus the buckets of the values it is indexed
 * under, so an update or delete unindexes the old state without parsing it again. A value is held once, by its bucket
 * (a namespace's or a node's name, however many objects): an object's entry points at buckets, not at its own copies
 * of the values read from each revision's tree. One writer (the informer's lane), any number of readers.
 */
final class IndexedCache {
    /** The keys of the objects indexed under one value (compared by identity: a record's equality would hash every key). */
    private static final class Bucket {
        private final String value;
        private final Set<String> keys = new HashSet<>();

        Bucket(String value) {
            this.value = value;
        }

        String value() {
            return value;
        }

        Set<String> keys() {
            return keys;
        }
    }

    /**
     * An object and, per index (in the order of indexers), where it is indexed: null (nowhere), a {@link Bucket}, or a
     * {@code Bucket[]} for several values. With the key it was first stored under, which the items map and the buckets
     * keep for every later revision (each event brings its own copy of the key: a pod's 5 writes left 2 per cache;
     * free here, the entry's size does not change). The first two indexes' places are fields (every informer has the
     * namespace and controller indexes): no array per cached object, one long-lived object less for the young
     * collections to copy while a cache grows.
     */
    private record Entry(String key, StoredObject object, Object first, Object second, Object[] more) {
        static Entry of(String key, StoredObject object, Object[] wheres) {
            return new Entry(key, object, wheres.length > 0 ? wheres[0] : null, wheres.length > 1 ? wheres[1] : null,
                    wheres.length > 2 ? Arrays.copyOfRange(wheres, 2, wheres.length) : null);
        }

        /** Where the object is indexed in the i-th index. */
        Object where(int i) {
            return i == 0 ? first : i == 1 ? second : more[i - 2];
        }

        /** Every index's place, in order; {@code count}: how many indexes it was stored with. */
        Object[] wheres(int count) {
            Object[] all = new Object[count];
            for (int i = 0; i < count; i++) all[i] = where(i);
            return all;
        }
    }

    private static final Object[] NO_INDEX = new Object[0];

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Entry> items = new HashMap<>();
    private final Map<String, IndexFunction> indexers = new LinkedHashMap<>();
    /** index name → value → its bucket; same order as indexers. */
    private final Map<String, Map<String, Bucket>> indices = new LinkedHashMap<>();

    /** Adds an index; objects already cached are indexed at once (their trees parsed again where not kept). */
    void addIndexer(String name, IndexFunction function) {
        lock.writeLock().lock();
        try {
            if (indexers.putIfAbsent(name, function) != null) throw new IllegalArgumentException("index " + name + " exists already");
            Map<String, Bucket> index = new HashMap<>();
            indices.put(name, index);
            int count = indices.size();
            for (Map.Entry<String, Entry> e : items.entrySet()) {
                Object[] all = Arrays.copyOf(e.getValue().wheres(count - 1), count);
                all[count - 1] = index(index, e.getKey(), function.values(e.getValue().object().tree()));
                e.setValue(Entry.of(e.getValue().key(), e.getValue().object(), all));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Puts key under each value of the index; returns where it went (null, a bucket or buckets). */
    private static Object index(Map<String, Bucket> index, String key, Collection<String> values) {
        if (values == null || values.isEmpty()) return null;
        if (values.size() == 1) return add(index, key, values.iterator().next());
        Set<String> distinct = new LinkedHashSet<>(values);
        Bucket[] buckets = new Bucket[distinct.size()];
        int i = 0;
        for (String value : distinct) buckets[i++] = add(index, key, value);
        return buckets;
    }

    private static Bucket add(Map<String, Bucket> index, String key, String value) {
        Bucket b = index.computeIfAbsent(value, Bucket::new);
        b.keys().add(key);
        return b;
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
            for (IndexFunction f : indexers.values()) values.add(f.values(tree)); // first: a failing function changes nothing
            Entry old = items.get(key);
            if (old != null) {
                key = old.key(); // the one the map holds
                unindex(key, old);
            }
            Object[] buckets = values.isEmpty() ? NO_INDEX : new Object[values.size()];
            int i = 0;
            for (Map<String, Bucket> index : indices.values()) {
                buckets[i] = index(index, key, values.get(i));
                i++;
            }
            items.put(key, Entry.of(key, object, buckets));
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
        for (Map<String, Bucket> index : indices.values()) {
            Object where = entry.where(i++);
            if (where instanceof Bucket b) remove(index, key, b);
            else if (where instanceof Bucket[] all) for (Bucket b : all) remove(index, key, b);
        }
    }

    private static void remove(Map<String, Bucket> index, String key, Bucket b) {
        if (b.keys().remove(key) && b.keys().isEmpty()) index.remove(b.value());
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
            Map<String, Bucket> index = indices.get(indexName);
            if (index == null) throw new IllegalArgumentException("no index named " + indexName);
            Bucket bucket = index.get(value);
            Set<String> keys = bucket == null ? Set.of() : bucket.keys();
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
            Map<String, Bucket> index = indices.get(indexName);
            if (index == null) throw new IllegalArgumentException("no index named " + indexName);
            return new HashSet<>(index.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }
}
