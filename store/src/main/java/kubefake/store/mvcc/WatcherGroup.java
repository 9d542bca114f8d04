package kubefake.store.mvcc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The open watchers, indexed by the directory of their prefix (its part up to and including the last '/'), so
 * finding the watchers of a written key costs one map lookup per '/' in the key, however many watchers exist.
 *
 * <p>A watcher of a whole directory with a {@link WatchTrigger} is filed under its trigger's name and value instead:
 * a write reaches it only when the value before or after the write has that value, found by one lookup per value
 * (the trigger's {@code valueOf} runs once per write and trigger name, not once per watcher).
 *
 * <p>A prefix that ends in '/' (or is empty) matches every key under that directory. A prefix that goes on into a
 * segment (an exact key such as {@code /registry/pods/ns/web}, or {@code /registry/pods/ns/we}) is found by
 * looking up the key's segment cut to each length such prefixes have in that directory: usually one length.
 *
 * <p>Not thread-safe: used only under the store's write lock.
 */
final class WatcherGroup {
    /** The whole-directory watchers of one trigger name, by the value they want. */
    private static final class Triggered {
        final Function<KeyValue, String> valueOf;
        final Map<String, Set<StoreWatcher>> byValue = new HashMap<>();

        Triggered(Function<KeyValue, String> valueOf) {
            this.valueOf = valueOf;
        }

        /** The value of a stored value (or tombstone: none), or null when the function fails: then every watcher. */
        String valueIn(KeyValue kv) {
            return kv == null || kv.isTombstone() ? null : valueOf.apply(kv);
        }

        void addTo(List<StoreWatcher> matched, Event event) {
            String after;
            String before;
            try {
                after = valueIn(event.kv());
                before = valueIn(event.prevKv());
            } catch (RuntimeException e) {
                byValue.values().forEach(matched::addAll); // a value that cannot be read must not lose an event
                return;
            }
            addValue(matched, after);
            if (before != null && !before.equals(after)) {
                addValue(matched, before);
            }
        }

        private void addValue(List<StoreWatcher> matched, String value) {
            Set<StoreWatcher> same = value == null ? null : byValue.get(value);
            if (same != null) {
                matched.addAll(same);
            }
        }
    }

    private static final class Directory {
        final Set<StoreWatcher> whole = new HashSet<>();
        final Map<String, Triggered> triggered = new HashMap<>();
        final Map<String, Set<StoreWatcher>> partial = new HashMap<>();
        /** Length of partial prefix → how many distinct partial prefixes have it. */
        final TreeMap<Integer, Integer> partialLengths = new TreeMap<>();

        boolean isEmpty() {
            return whole.isEmpty() && partial.isEmpty() && triggered.isEmpty();
        }
    }

    private final Map<String, Directory> directories = new HashMap<>();
    private int size;

    void add(StoreWatcher watcher) {
        String prefix = watcher.prefix();
        String dir = directoryOf(prefix);
        String rest = prefix.substring(dir.length());
        Directory directory = directories.computeIfAbsent(dir, d -> new Directory());
        boolean added;
        WatchTrigger trigger = watcher.trigger();
        if (rest.isEmpty() && trigger != null) {
            added = directory.triggered.computeIfAbsent(trigger.name(), n -> new Triggered(trigger.valueOf())).byValue
                    .computeIfAbsent(trigger.value(), v -> new HashSet<>()).add(watcher);
        } else if (rest.isEmpty()) {
            added = directory.whole.add(watcher);
        } else {
            Set<StoreWatcher> same = directory.partial.get(rest);
            if (same == null) {
                same = new HashSet<>();
                directory.partial.put(rest, same);
                directory.partialLengths.merge(rest.length(), 1, Integer::sum);
            }
            added = same.add(watcher);
        }
        if (added) {
            size++;
        }
    }

    void remove(StoreWatcher watcher) {
        String prefix = watcher.prefix();
        String dir = directoryOf(prefix);
        String rest = prefix.substring(dir.length());
        Directory directory = directories.get(dir);
        if (directory == null) {
            return;
        }
        boolean removed;
        WatchTrigger trigger = watcher.trigger();
        if (rest.isEmpty() && trigger != null) {
            Triggered t = directory.triggered.get(trigger.name());
            Set<StoreWatcher> same = t == null ? null : t.byValue.get(trigger.value());
            removed = same != null && same.remove(watcher);
            if (same != null && same.isEmpty()) {
                t.byValue.remove(trigger.value());
                if (t.byValue.isEmpty()) {
                    directory.triggered.remove(trigger.name());
                }
            }
        } else if (rest.isEmpty()) {
            removed = directory.whole.remove(watcher);
        } else {
            Set<StoreWatcher> same = directory.partial.get(rest);
            removed = same != null && same.remove(watcher);
            if (same != null && same.isEmpty()) {
                directory.partial.remove(rest);
                directory.partialLengths.merge(rest.length(), -1, (a, b) -> a + b == 0 ? null : a + b);
            }
        }
        if (directory.isEmpty()) {
            directories.remove(dir);
        }
        if (removed) {
            size--;
        }
    }

    /** The watchers whose prefix {@code key} starts with and that have no trigger. */
    List<StoreWatcher> matching(String key) {
        return matching(key, null);
    }

    /** The watchers of an event: those whose prefix its key starts with, less those whose trigger it does not name. */
    List<StoreWatcher> matching(Event event) {
        return matching(event.kv().key(), event);
    }

    private List<StoreWatcher> matching(String key, Event event) {
        if (directories.isEmpty()) {
            return List.of();
        }
        List<StoreWatcher> matched = new ArrayList<>();
        int dirEnd = 0;
        while (true) {
            int nextSlash = key.indexOf('/', dirEnd);
            Directory directory = directories.get(key.substring(0, dirEnd));
            if (directory != null) {
                matched.addAll(directory.whole);
                if (event != null) {
                    for (Triggered t : directory.triggered.values()) {
                        t.addTo(matched, event);
                    }
                }
                if (!directory.partial.isEmpty()) {
                    String segment = key.substring(dirEnd, nextSlash < 0 ? key.length() : nextSlash);
                    for (int length : directory.partialLengths.headMap(segment.length(), true).keySet()) {
                        Set<StoreWatcher> same = directory.partial.get(segment.substring(0, length));
                        if (same != null) {
                            matched.addAll(same);
                        }
                    }
                }
            }
            if (nextSlash < 0) {
                return matched;
            }
            dirEnd = nextSlash + 1;
        }
    }

    /** Every open watcher (a copy). */
    List<StoreWatcher> all() {
        List<StoreWatcher> all = new ArrayList<>(size);
        for (Directory directory : directories.values()) {
            all.addAll(directory.whole);
            directory.partial.values().forEach(all::addAll);
            directory.triggered.values().forEach(t -> t.byValue.values().forEach(all::addAll));
        }
        return all;
    }

    int size() {
        return size;
    }

    private static String directoryOf(String prefix) {
        return prefix.substring(0, prefix.lastIndexOf('/') + 1);
    }
}
