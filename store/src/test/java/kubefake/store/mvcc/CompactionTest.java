package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.keys;
import static kubefake.store.mvcc.Values.put;
import static kubefake.store.mvcc.Values.text;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionTest {
    private final MemoryKeyValueStore store = new MemoryKeyValueStore();

    @Test
    void readsAtOrBelowTheCompactedRevisionFail() {
        put(store, "/a", "1"); // 1
        put(store, "/a", "2"); // 2
        put(store, "/a", "3"); // 3
        store.compact(2);

        assertEquals(2, store.compactedRevision());
        CompactedException e = assertThrows(CompactedException.class, () -> store.get("/a", 2));
        assertEquals(2, e.requestedRevision());
        assertEquals(2, e.compactedRevision());
        assertThrows(CompactedException.class, () -> store.get("/a", 1));
        assertThrows(CompactedException.class, () -> store.range("/", null, 2, 0));
        assertEquals("3", text(store.get("/a", 3)));
        assertEquals("3", text(store.get("/a")));
    }

    @Test
    void latestValuesSurviveCompaction() {
        put(store, "/a", "a1");              // 1
        put(store, "/b", "b1");              // 2
        put(store, "/a", "a2");              // 3
        store.delete("/b", WriteView.ANY);   // 4
        put(store, "/c", "c1");              // 5
        put(store, "/c", "c2");              // 6
        store.compact(6);

        assertEquals(List.of("/a", "/c"), keys(store.range("/", null, 0, 0)));
        assertEquals("a2", text(store.get("/a")));
        assertEquals("c2", text(store.get("/c")));
        assertNull(store.get("/b"));
        // Compacting to the current revision still leaves current reads working.
        assertEquals(2, store.range("/", null, 0, 0).count());
    }

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
    void aDeletedKeyCanBeRecreatedAfterItsTombstoneWasCompacted() {
        put(store, "/a", "1");
        store.delete("/a", WriteView.ANY);
        store.compact(2);
        WriteResult created = store.put("/a", Values.text("again"), WriteView.ABSENT);

        assertTrue(created.succeeded());
        assertEquals(3, created.current().createRevision());
        assertEquals(1, created.current().version());
    }

    @Test
    void compactingTwiceOrBackwardsDoesNothing() {
        put(store, "/a", "1");
        put(store, "/a", "2");
        store.compact(2);
        assertDoesNotThrow(() -> store.compact(1));
        assertDoesNotThrow(() -> store.compact(2));
        assertEquals(2, store.compactedRevision());
    }

    @Test
    void compactingTheFutureIsRefused() {
        put(store, "/a", "1");
        assertThrows(FutureRevisionException.class, () -> store.compact(2));
        assertEquals(0, store.compactedRevision());
    }

    @Test
    void watchesFromBeforeTheCompactedRevisionFail() {
        put(store, "/a", "1");
        put(store, "/a", "2");
        put(store, "/a", "3");
        store.compact(2);

        CompactedException e = assertThrows(CompactedException.class, () -> store.watch("/", 1, () -> { }, 10));
        assertEquals(1, e.requestedRevision());
        Watcher fromCompacted = store.watch("/", 2, () -> { }, 10);
        assertEquals(List.of("PUT /a=3@3"), Values.describe(fromCompacted.poll(10)));
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

    @Test
    void aWatcherPastTheCompactedRevisionIsUnaffected() {
        put(store, "/a", "1");
        Watcher watcher = store.watch("/a", 1, () -> { }, 10);
        put(store, "/a", "2");
        store.compact(2);
        put(store, "/a", "3");

        assertEquals(List.of("PUT /a=2@2", "PUT /a=3@3"), Values.describe(watcher.poll(10)));
        assertTrue(!watcher.isClosed());
    }
}
