package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A read-only copy of a tree, for the trees every reader of a stored revision shares ({@link StoredObject#tree()}):
 * any change to it or to a node taken from it (put, set, remove, an iterator's remove...) throws
 * {@link SharedTreeChanged} in the thread that tries, naming the object, so the reader that would have changed what
 * the others read is caught in the act rather than by whoever reads next. Its copies ({@code deepCopy()}) are ordinary
 * trees. On with {@code -Dkubefake.frozenSharedTrees=true}, which the build's test runs set for every module; off,
 * shared trees are plain trees and cost nothing more.
 */
public final class FrozenTree {
    /** Whether shared trees are frozen in this JVM. */
    public static final boolean ENABLED = Boolean.getBoolean("kubefake.frozenSharedTrees");

    /** Changes tried so far in this JVM, the last one kept: a test can fail on one a background thread only logged. */
    private static final AtomicLong CHANGES_TRIED = new AtomicLong();
    private static volatile SharedTreeChanged lastChangeTried;

    private FrozenTree() {
    }

    /** How many changes of a frozen tree were tried in this JVM (each threw, but not always where a test sees it). */
    public static long changesTried() {
        return CHANGES_TRIED.get();
    }

    /** The last change tried, or null. */
    public static SharedTreeChanged lastChangeTried() {
        return lastChangeTried;
    }

    /** A frozen copy of {@code tree}; {@code what} says whose tree it is (called only when something tries a change). */
    public static ObjectNode of(ObjectNode tree, Supplier<String> what) {
        return (ObjectNode) freeze(tree, what);
    }

    private static JsonNode freeze(JsonNode node, Supplier<String> what) {
        if (node instanceof ObjectNode o) {
            Map<String, JsonNode> kids = new LinkedHashMap<>(Math.max(4, o.size() * 4 / 3 + 1));
            for (Map.Entry<String, JsonNode> e : o.properties()) kids.put(e.getKey(), freeze(e.getValue(), what));
            return new ObjectNode(Json.MAPPER.getNodeFactory(), new FrozenMap(kids, what));
        }
        if (node instanceof ArrayNode a) {
            List<JsonNode> kids = new ArrayList<>(a.size());
            for (JsonNode e : a) kids.add(freeze(e, what));
            return new ArrayNode(Json.MAPPER.getNodeFactory(), new FrozenList(kids, what));
        }
        return node; // values are immutable
    }

    /** Thrown by a change to a frozen shared tree. */
    public static final class SharedTreeChanged extends UnsupportedOperationException {
        SharedTreeChanged(Supplier<String> what) {
            super("a reader changed the shared tree of " + what.get()
                    + " (read it only; StoredObject.toNode() is the copy to change)");
            lastChangeTried = this;
            CHANGES_TRIED.incrementAndGet();
        }
    }

    private static final class FrozenMap extends AbstractMap<String, JsonNode> {
        private final Map<String, JsonNode> map;
        private final Supplier<String> what;

        FrozenMap(Map<String, JsonNode> map, Supplier<String> what) {
            this.map = map;
            this.what = what;
        }

        private SharedTreeChanged changed() {
            return new SharedTreeChanged(what);
        }

        @Override
        public JsonNode get(Object key) {
            return map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        /** Its key and value views (AbstractMap's) go through these entries too. */
        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return new FrozenEntries();
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            throw changed();
        }

        @Override
        public JsonNode remove(Object key) {
            throw changed();
        }

        @Override
        public void putAll(Map<? extends String, ? extends JsonNode> m) {
            throw changed();
        }

        @Override
        public void clear() {
            throw changed();
        }

        @Override
        public JsonNode putIfAbsent(String key, JsonNode value) {
            throw changed();
        }

        @Override
        public JsonNode computeIfAbsent(String key, Function<? super String, ? extends JsonNode> f) {
            throw changed();
        }

        @Override
        public JsonNode compute(String key, BiFunction<? super String, ? super JsonNode, ? extends JsonNode> f) {
            throw changed();
        }

        @Override
        public JsonNode replace(String key, JsonNode value) {
            throw changed();
        }

        /** The entries in order; neither they nor their iterator change anything. */
        private final class FrozenEntries extends java.util.AbstractSet<Entry<String, JsonNode>> {
            @Override
            public java.util.Iterator<Entry<String, JsonNode>> iterator() {
                java.util.Iterator<Entry<String, JsonNode>> it = map.entrySet().iterator();
                return new java.util.Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        Entry<String, JsonNode> e = it.next();
                        return new SimpleImmutableEntry<>(e.getKey(), e.getValue()) {
                            @Override
                            public JsonNode setValue(JsonNode value) {
                                throw changed();
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        throw changed();
                    }
                };
            }

            @Override
            public int size() {
                return map.size();
            }

            @Override
            public boolean remove(Object o) {
                throw changed();
            }

            @Override
            public void clear() {
                throw changed();
            }
        }
    }

    private static final class FrozenList extends AbstractList<JsonNode> implements java.util.RandomAccess {
        private final List<JsonNode> list;
        private final Supplier<String> what;

        FrozenList(List<JsonNode> list, Supplier<String> what) {
            this.list = list;
            this.what = what;
        }

        @Override
        public JsonNode get(int index) {
            return list.get(index);
        }

        @Override
        public int size() {
            return list.size();
        }

        // AbstractList routes add, remove, set, clear, iterators and sublists through these three
        @Override
        public JsonNode set(int index, JsonNode element) {
            throw new SharedTreeChanged(what);
        }

        @Override
        public void add(int index, JsonNode element) {
            throw new SharedTreeChanged(what);
        }

        @Override
        public JsonNode remove(int index) {
            throw new SharedTreeChanged(what);
        }
    }
}
