package kubefake.store.mvcc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A page's count of the whole range (what a list's remainingItemCount comes from) against a model that keeps the
 * set of live keys at every revision: at every revision still readable, from every start, to a bound or to the end,
 * whatever was created, updated or deleted after that revision, before and after a compaction.
 */
class RangeCountPropertyTest {
    private static final int KEYS = 40;

    /** A write: key index, and whether it deletes (a delete of an absent key writes nothing). */
    record Write(int key, boolean delete) {
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        return Arbitraries.integers().between(0, KEYS - 1)
                .flatMap(k -> Arbitraries.of(true, false, false).map(d -> new Write(k, d)))
                .list().ofMinSize(1).ofMaxSize(150);
    }

    private static String key(int i) {
        return String.format("/r/%02d", i);
    }

    /** Applies the writes; the model's entry r is the set of live keys at revision r. */
    private static List<TreeSet<String>> apply(List<Write> writes, MemoryKeyValueStore store, List<TreeSet<String>> live) {
        for (Write w : writes) {
            String key = key(w.key());
            TreeSet<String> next = new TreeSet<>(live.get(live.size() - 1));
            if (w.delete()) {
                if (!store.delete(key, WriteView.ANY).succeeded()) continue;
                next.remove(key);
            } else {
                store.put(key, Values.text("v"), WriteView.ANY);
                next.add(key);
            }
            live.add(next);
        }
        return live;
    }

    private static void assertCountsMatch(MemoryKeyValueStore store, List<TreeSet<String>> live, long firstReadable,
                                          int limit) {
        for (long r = firstReadable; r < live.size(); r++) {
            TreeSet<String> expected = live.get((int) r);
            for (int from = 0; from <= KEYS; from += 3) {
                for (String end : new String[] {null, key(from + 7), "/s"}) {
                    String start = key(from);
                    RangeResult page = store.range(start, end, r, limit);
                    int want = (end == null ? expected.tailSet(start, true) : expected.subSet(start, true, end, false)).size();
                    String where = "revision " + r + " of " + (live.size() - 1) + ", [" + start + ", " + end + ")";
                    assertEquals(want, page.count(), where);
                    assertEquals(Math.min(want, limit), page.kvs().size(), where);
                    assertEquals(want > limit, page.more(), where);
                }
            }
        }
    }

    @Property(tries = 60)
    void aPageCountsTheWholeRangeAtItsRevision(@ForAll("writes") List<Write> writes,
                                               @ForAll @IntRange(min = 1, max = 5) int limit) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        List<TreeSet<String>> live = apply(writes, store, new ArrayList<>(List.of(new TreeSet<>())));
        assertCountsMatch(store, live, 1, limit);
    }

    @Property(tries = 40)
    void aPageCountsTheWholeRangeAfterACompaction(@ForAll("writes") List<Write> before,
                                                  @ForAll("writes") List<Write> after,
                                                  @ForAll @IntRange(min = 1, max = 5) int limit) {
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        List<TreeSet<String>> live = apply(before, store, new ArrayList<>(List.of(new TreeSet<>())));
        long compacted = store.currentRevision();
        store.compact(compacted);
        apply(after, store, live);
        assertCountsMatch(store, live, compacted + 1, limit);
    }
}
