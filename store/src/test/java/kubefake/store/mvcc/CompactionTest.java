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

/** Compaction's contract on every backend; how the in-memory store prunes its history is in MemoryCompactionTest. */
class CompactionTest extends StoreContractTest {
    @Test
    void readsAtOrBelowTheCompactedRevisionFail() {
        put(store, "/a", "1"); // 1
        put(store, "/a", "2"); // 2
        put(store, "/a", "3"); // 3
        store.compact(rev(2));

        assertEquals(rev(2), store.compactedRevision());
        CompactedException e = assertThrows(CompactedException.class, () -> store.get("/a", rev(2)));
        assertEquals(rev(2), e.requestedRevision());
        assertEquals(rev(2), e.compactedRevision());
        assertThrows(CompactedException.class, () -> store.get("/a", rev(1)));
        assertThrows(CompactedException.class, () -> store.range("/", null, rev(2), 0));
        assertEquals("3", text(store.get("/a", rev(3))));
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
        store.compact(rev(6));

        assertEquals(List.of("/a", "/c"), keys(store.range("/", null, 0, 0)));
        assertEquals("a2", text(store.get("/a")));
        assertEquals("c2", text(store.get("/c")));
        assertNull(store.get("/b"));
        // Compacting to the current revision still leaves current reads working.
        assertEquals(2, store.range("/", null, 0, 0).count());
    }

    @Test
    void aDeletedKeyCanBeRecreatedAfterItsTombstoneWasCompacted() {
        put(store, "/a", "1");
        store.delete("/a", WriteView.ANY);
        store.compact(rev(2));
        WriteResult created = store.put("/a", Values.text("again"), WriteView.ABSENT);

        assertTrue(created.succeeded());
        assertEquals(rev(3), created.current().createRevision());
        assertEquals(1, created.current().version());
    }

    @Test
    void compactingTwiceOrBackwardsDoesNothing() {
        put(store, "/a", "1");
        put(store, "/a", "2");
        store.compact(rev(2));
        assertDoesNotThrow(() -> store.compact(rev(1)));
        assertDoesNotThrow(() -> store.compact(rev(2)));
        assertEquals(rev(2), store.compactedRevision());
    }

    @Test
    void compactingTheFutureIsRefused() {
        put(store, "/a", "1");
        long compacted = store.compactedRevision();
        assertThrows(FutureRevisionException.class, () -> store.compact(rev(2)));
        assertEquals(compacted, store.compactedRevision());
    }

    @Test
    void watchesFromBeforeTheCompactedRevisionFail() {
        put(store, "/a", "1");
        put(store, "/a", "2");
        put(store, "/a", "3");
        store.compact(rev(2));

        CompactedException e = assertThrows(CompactedException.class, () -> store.watch("/", rev(1), () -> { }, 10));
        assertEquals(rev(1), e.requestedRevision());
        Watcher fromCompacted = store.watch("/", rev(2), () -> { }, 10);
        assertEquals(List.of("PUT /a=3@" + rev(3)), Values.describe(WatchTest.events(fromCompacted, 1)));
    }

    @Test
    void aWatcherPastTheCompactedRevisionIsUnaffected() {
        put(store, "/a", "1");
        Watcher watcher = store.watch("/a", rev(1), () -> { }, 10);
        put(store, "/a", "2");
        store.compact(rev(2));
        put(store, "/a", "3");

        assertEquals(List.of("PUT /a=2@" + rev(2), "PUT /a=3@" + rev(3)), Values.describe(WatchTest.events(watcher, 2)));
        assertTrue(!watcher.isClosed());
    }
}
