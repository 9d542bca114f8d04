package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.put;
import static kubefake.store.mvcc.Values.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the in-memory store prunes history on compaction (CompactionTest has the contract every backend keeps). */
class MemoryCompactionTest {
    private final MemoryKeyValueStore store = new MemoryKeyValueStore();

    @Test
    void supersededValuesAndTombstonesAreDropped() {
        put(store, "/a", "a1");              // 1
        put(store, "/a", "a2");              // 2
        put(store, "/a", "a3");              // 3
        put(store, "/b", "b1");              // 4
        store.delete("/b", WriteView.ANY);   // 5
        put(store, "/c", "c1");              // 6
        store.delete("/c", WriteView.ANY);   // 7
        put(store, "/a", "a4");              // 8
        store.compact(6);

        assertEquals(2, store.historySize("/a"));  // a3 (live at 6) and a4
        assertEquals(0, store.historySize("/b"));  // deleted at 5: gone
        assertEquals(2, store.historySize("/c"));  // c1 and the tombstone at 7, newer than 6
        assertEquals(2, store.keyCount());
        assertEquals("a3", text(store.get("/a", 7)));
        assertNull(store.get("/c", 7));
    }

    @Test
    void theEventLogIsTrimmed() {
        for (int i = 0; i < 5000; i++) {
            put(store, "/a", "v" + i);
        }
        int before = store.eventLogSegments();
        store.compact(4990);

        assertTrue(before >= 5, "segments before: " + before);
        assertEquals(1, store.eventLogSegments());
        assertEquals(11, store.historySize("/a")); // the value at 4990 and the ten newer ones
    }

    @Test
    void aWatcherStillReplayingCompactedHistoryIsClosedWithOverflow() {
        for (int i = 0; i < 3000; i++) {
            put(store, "/a", "v" + i);
        }
        Watcher watcher = store.watch("/a", 0, () -> { }, 10);
        assertEquals(100, watcher.poll(100).size());
        store.compact(2500);

        assertEquals(List.of(), watcher.poll(100));
        assertEquals(Watcher.CloseReason.OVERFLOW, watcher.closeReason());
        assertEquals(0, store.watcherCount());
    }
}
