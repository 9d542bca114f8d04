package kubefake.store.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of writes against the store and against an obviously correct model that copies the whole
 * state at every revision.
 */
class StoreModelPropertyTest {
    private static final List<String> KEYS = List.of("/p/a", "/p/b", "/p/b/c", "/p/bb", "/q/a", "/q/z");

    /** One operation; expected is a condition, or an offset into the model's revision for a guessed one. */
    record Op(Kind kind, int key, int condition) {
        enum Kind { PUT, DELETE }
    }

    /** What the model expects at one revision: every live key's value, create revision and version. */
    record Entry(String value, long createRevision, long modRevision, long version) {
    }

    /** The model: the full state after every revision, and the events. */
    static final class Model {
        final List<TreeMap<String, Entry>> states = new ArrayList<>(List.of(new TreeMap<>()));
        final List<String> events = new ArrayList<>(List.of("(revision 0)"));

        TreeMap<String, Entry> current() {
            return states.get(states.size() - 1);
        }

        long revision() {
            return states.size() - 1;
        }

        boolean holds(long condition, Entry entry) {
            if (condition == WriteView.ANY) {
                return true;
            }
            if (condition == WriteView.ABSENT) {
                return entry == null;
            }
            return entry != null && entry.modRevision() == condition;
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.of(Op.Kind.class),
                Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.integers().between(-3, 3)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    /** Applies the operations to the store and the model; the condition is ANY, ABSENT, the true modRevision or a stale one. */
    private static Model apply(List<Op> ops, KeyValueStore store) {
        return apply(ops, store, new Model());
    }

    private static Model apply(List<Op> ops, KeyValueStore store, Model model) {
        return apply(ops, store, model, "");
    }

    /** As above, each value followed by {@code padding} (long values are the ones the store packs). */
    private static Model apply(List<Op> ops, KeyValueStore store, Model model, String padding) {
        for (Op op : ops) {
            String key = KEYS.get(op.key());
            Entry entry = model.current().get(key);
            long condition = switch (op.condition()) {
                case -3, -2 -> WriteView.ANY;
                case -1 -> WriteView.ABSENT;
                case 0, 1 -> entry == null ? 1 : entry.modRevision();
                default -> entry == null ? model.revision() + 5 : entry.modRevision() - 1; // stale or impossible
            };
            String value = "v" + model.events.size() + "-" + op.key() + padding;
            WriteResult result = op.kind() == Op.Kind.PUT
                    ? store.put(key, Values.text(value), condition)
                    : store.delete(key, condition);
            boolean expectSuccess = model.holds(condition, entry) && (op.kind() == Op.Kind.PUT || entry != null);
            assertEquals(expectSuccess, result.succeeded(), () -> op + " with condition " + condition);
            if (!expectSuccess) {
                assertEquals(model.revision(), result.revision());
                continue;
            }
            long revision = model.revision() + 1;
            assertEquals(revision, result.revision());
            TreeMap<String, Entry> next = new TreeMap<>(model.current());
            if (op.kind() == Op.Kind.PUT) {
                next.put(key, entry == null
                        ? new Entry(value, revision, revision, 1)
                        : new Entry(value, entry.createRevision(), revision, entry.version() + 1));
                model.events.add("PUT " + key + "=" + value + "@" + revision);
            } else {
                next.remove(key);
                model.events.add("DELETE " + key + "@" + revision);
            }
            model.states.add(next);
        }
        return model;
    }

    private static Map<String, Entry> read(KeyValueStore store, String from, String end, long revision) {
        Map<String, Entry> seen = new TreeMap<>();
        for (KeyValue kv : store.range(from, end, revision, 0).kvs()) {
            seen.put(kv.key(), new Entry(Values.text(kv), kv.createRevision(), kv.modRevision(), kv.version()));
        }
        return seen;
    }

    @Property(tries = 300)
    void rangeAtEveryRevisionEqualsTheModelThen(@ForAll("operations") List<Op> ops) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Model model = apply(ops, store);

        assertEquals(model.revision(), store.currentRevision());
        for (long r = 1; r <= model.revision(); r++) {
            TreeMap<String, Entry> expected = model.states.get((int) r);
            assertEquals(expected, read(store, "/", null, r), "at revision " + r);
            assertEquals(expected.subMap("/p/", ReadView.prefixEnd("/p/")), read(store, "/p/", ReadView.prefixEnd("/p/"), r));
            for (String key : KEYS) {
                KeyValue kv = store.get(key, r);
                assertEquals(expected.get(key) == null ? null : expected.get(key).value(), Values.text(kv));
            }
        }
        assertEquals(model.current(), read(store, "/", null, 0));
    }

    @Property(tries = 200)
    void pagesAtARevisionAddUpToTheWholeRange(@ForAll("operations") List<Op> ops,
                                              @ForAll @IntRange(min = 1, max = 4) int limit) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Model model = apply(ops, store);
        long revision = store.currentRevision() == 0 ? 0 : Math.max(1, store.currentRevision() / 2);

        List<String> paged = new ArrayList<>();
        String from = "/";
        while (true) {
            RangeResult page = store.range(from, null, revision, limit);
            assertEquals(model.states.get((int) page.revision()).tailMap(from, true).size(), page.count());
            page.kvs().forEach(kv -> paged.add(kv.key()));
            if (!page.more()) {
                break;
            }
            revision = page.revision();
            from = page.kvs().get(page.kvs().size() - 1).key() + "\0";
        }
        assertEquals(new ArrayList<>(model.states.get((int) revision).keySet()), paged);
    }

    @Property(tries = 300)
    void aWatcherSeesExactlyTheModelsEventsAfterItsRevision(@ForAll("operations") List<Op> before,
                                                            @ForAll("operations") List<Op> after,
                                                            @ForAll @IntRange(min = 0, max = 100) int startPercent) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Model model = apply(before, store);
        long start = store.currentRevision() * startPercent / 100;
        Watcher watcher = store.watch("/p/", start, () -> { }, 1000);
        apply(after, store, model);

        List<String> expected = model.events.subList((int) start + 1, model.events.size()).stream()
                .filter(e -> e.split(" ")[1].startsWith("/p/")).toList();
        List<String> seen = new ArrayList<>();
        List<Event> batch;
        while (!(batch = watcher.poll(7)).isEmpty()) {
            seen.addAll(Values.describe(batch));
        }
        assertEquals(expected, seen);
    }

    @Property(tries = 200)
    void compactionKeepsEveryLaterRevisionReadable(@ForAll("operations") List<Op> ops,
                                                   @ForAll @IntRange(min = 0, max = 100) int compactPercent) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Model model = apply(ops, store);
        long compactTo = model.revision() * compactPercent / 100;
        store.compact(compactTo);

        for (long r = 1; r <= model.revision(); r++) {
            long revision = r;
            if (r <= compactTo) {
                assertThrows(CompactedException.class, () -> store.range("/", null, revision, 0));
            } else {
                assertEquals(model.states.get((int) r), read(store, "/", null, r), "at revision " + r);
            }
        }
        assertEquals(model.current(), read(store, "/", null, 0));
        Watcher watcher = store.watch("", compactTo, () -> { }, 1);
        assertEquals(model.events.subList((int) compactTo + 1, model.events.size()),
                Values.describe(watcher.poll(1000)));
    }

    /** Long enough for the store to pack it once superseded (see HistoryPacker). */
    private static final String PADDING = ",\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\"}]}".repeat(6);

    @Property(tries = 200)
    void packedHistoryReadsAndReplaysAsTheModel(@ForAll("operations") List<Op> before, @ForAll("operations") List<Op> after,
                                                @ForAll @IntRange(min = 0, max = 100) int packPercent,
                                                @ForAll @IntRange(min = 0, max = 100) int compactPercent,
                                                @ForAll boolean coldQ) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Model model = apply(before, store, new Model(), PADDING);
        store.packHistoryThrough(model.revision() * packPercent / 100);
        // the newest values under /q/ packed too: those written so far at once, the later ones by the passes
        if (coldQ) store.packUnreadValuesUnder("/q/");
        apply(after, store, model, PADDING);
        store.packHistoryThrough(model.revision());
        long compactTo = model.revision() * compactPercent / 100;
        store.compact(compactTo);

        for (long r = compactTo + 1; r <= model.revision(); r++) {
            assertEquals(model.states.get((int) r), read(store, "/", null, r), "at revision " + r);
            for (String key : KEYS) {
                Entry expected = model.states.get((int) r).get(key);
                assertEquals(expected == null ? null : expected.value(), Values.text(store.get(key, r)));
            }
        }
        Watcher watcher = store.watch("", compactTo, () -> { }, 1);
        List<Event> events = watcher.poll(1000);
        assertEquals(model.events.subList((int) compactTo + 1, model.events.size()), Values.describe(events));
        for (Event event : events) {
            // the value each event superseded is the key's value at the revision before it
            Entry previous = model.states.get((int) event.revision() - 1).get(event.kv().key());
            assertEquals(previous == null ? null : previous.value(), Values.text(event.prevKv()));
        }
    }
}
