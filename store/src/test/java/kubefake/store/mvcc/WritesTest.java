package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.put;
import static kubefake.store.mvcc.Values.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WritesTest extends StoreContractTest {

    @Test
    void anEmptyStoreIsAtRevisionZero() {
        assertEquals(0, new MemoryKeyValueStore().currentRevision());
        assertEquals(0, new MemoryKeyValueStore().compactedRevision());
        assertNull(store.get("/a"));
    }

    @Test
    void everySuccessfulWriteTakesTheNextRevision() {
        assertEquals(rev(1), put(store, "/a", "1").revision());
        assertEquals(rev(2), put(store, "/b", "1").revision());
        assertEquals(rev(3), put(store, "/a", "2").revision());
        assertEquals(rev(4), store.delete("/b", WriteView.ANY).revision());
        assertEquals(rev(4), store.currentRevision());
    }

    @Test
    void createThenUpdateTracksCreateRevisionAndVersion() {
        put(store, "/other", "x");
        WriteResult created = put(store, "/a", "one");
        WriteResult updated = put(store, "/a", "two");

        assertEquals(new KeyValueView("/a", "one", rev(2), rev(2), 1), KeyValueView.of(created.current()));
        assertNull(created.previous());
        assertEquals(new KeyValueView("/a", "two", rev(2), rev(3), 2), KeyValueView.of(updated.current()));
        assertEquals(new KeyValueView("/a", "one", rev(2), rev(2), 1), KeyValueView.of(updated.previous()));
        assertEquals(new KeyValueView("/a", "two", rev(2), rev(3), 2), KeyValueView.of(store.get("/a")));
    }

    @Test
    void aValueReadsAsEncodedAtTheRevisionOfItsWrite() {
        put(store, "/x", "x");
        List<Long> seen = new ArrayList<>();
        WriteResult result = store.put("/a", revision -> {
            seen.add(revision);
            return ("rv=" + revision).getBytes(StandardCharsets.UTF_8);
        }, WriteView.ANY);

        // in memory the encoder is told the revision; etcd picks it on commit (encode(0), then stamped on read)
        assertEquals(List.of(backend == Backend.MEMORY ? rev(2) : 0L), seen);
        assertEquals("rv=" + rev(2), text(store.get("/a")));
        assertEquals("rv=" + rev(2), text(result.current()));
        assertEquals(rev(2), result.revision());
    }

    @Test
    void aFailingEncoderWritesNothing() {
        put(store, "/a", "1");
        assertThrows(IllegalStateException.class, () -> store.put("/a", rev -> {
            throw new IllegalStateException("boom");
        }, WriteView.ANY));

        assertEquals(rev(1), store.currentRevision());
        assertEquals("1", text(store.get("/a")));
        assertEquals(rev(2), put(store, "/a", "2").revision());
    }

    @Test
    void absentConditionCreatesOnlyOnce() {
        WriteResult first = store.put("/a", Values.text("first"), WriteView.ABSENT);
        WriteResult second = store.put("/a", Values.text("second"), WriteView.ABSENT);

        assertTrue(first.succeeded());
        assertFalse(second.succeeded());
        assertEquals(rev(1), second.revision());
        assertEquals("first", text(second.current()));
        assertNull(second.previous());
        assertEquals(rev(1), store.currentRevision());
        assertEquals("first", text(store.get("/a")));
    }

    @Test
    void exactConditionIsCompareAndSwap() {
        long rev1 = put(store, "/a", "1").revision();
        long rev2 = store.put("/a", Values.text("2"), rev1).revision();

        WriteResult stale = store.put("/a", Values.text("stale"), rev1);

        assertFalse(stale.succeeded());
        assertEquals(rev2, stale.revision());
        assertEquals("2", text(stale.current()));
        assertEquals(rev2, store.currentRevision());
        assertTrue(store.put("/a", Values.text("3"), rev2).succeeded());
    }

    @Test
    void exactConditionOnAnAbsentKeyFails() {
        put(store, "/b", "1");
        WriteResult result = store.put("/a", Values.text("x"), rev(1));

        assertFalse(result.succeeded());
        assertNull(result.current());
        assertNull(store.get("/a"));
        assertEquals(rev(1), store.currentRevision());
    }

    @Test
    void anyConditionOverwrites() {
        put(store, "/a", "1");
        assertTrue(store.put("/a", Values.text("2"), WriteView.ANY).succeeded());
        assertEquals("2", text(store.get("/a")));
    }

    @Test
    void deleteLeavesATombstoneAndReturnsTheDeletedValue() {
        put(store, "/a", "1");
        WriteResult deleted = store.delete("/a", WriteView.ANY);

        assertTrue(deleted.succeeded());
        assertEquals(rev(2), deleted.revision());
        assertNull(deleted.current());
        assertEquals("1", text(deleted.previous()));
        assertNull(store.get("/a"));
        assertEquals("1", text(store.get("/a", rev(1))));
        assertNull(store.get("/a", rev(2)));
    }

    @Test
    void deletingAnAbsentKeyFailsAndWritesNothing() {
        put(store, "/b", "1");
        WriteResult result = store.delete("/a", WriteView.ANY);

        assertFalse(result.succeeded());
        assertEquals(rev(1), result.revision());
        assertEquals(rev(1), store.currentRevision());
    }

    @Test
    void deleteHonoursTheCondition() {
        long rev = put(store, "/a", "1").revision();
        put(store, "/a", "2");

        WriteResult stale = store.delete("/a", rev);
        WriteResult absent = store.delete("/a", WriteView.ABSENT);

        assertFalse(stale.succeeded());
        assertEquals("2", text(stale.current()));
        assertFalse(absent.succeeded());
        assertTrue(store.delete("/a", rev(2)).succeeded());
    }

    @Test
    void recreatingAfterDeleteStartsANewIncarnation() {
        put(store, "/a", "1");
        put(store, "/a", "2");
        store.delete("/a", WriteView.ANY);
        WriteResult recreated = store.put("/a", Values.text("again"), WriteView.ABSENT);

        assertTrue(recreated.succeeded());
        assertEquals(new KeyValueView("/a", "again", rev(4), rev(4), 1), KeyValueView.of(recreated.current()));
        assertNull(recreated.previous());
    }

    @Test
    void storedBytesAreTheEncodersBytes() {
        byte[] bytes = {1, 2, 3};
        store.put("/a", rev -> bytes, WriteView.ANY);
        if (backend == Backend.MEMORY) {
            assertSame(bytes, store.get("/a").value()); // in memory: not even copied
        }
        assertArrayEquals(new byte[] {1, 2, 3}, store.get("/a").value());
        assertArrayEquals(new byte[] {1, 2, 3}, store.get("/a", rev(1)).value());
    }

    @Test
    void nonsenseConditionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.put("/a", Values.text("x"), -2));
        assertThrows(IllegalArgumentException.class, () -> store.delete("/a", -7));
    }

    @Test
    void writesAfterCloseAreRefused() {
        store.close();
        assertThrows(IllegalStateException.class, () -> put(store, "/a", "1"));
        assertThrows(IllegalStateException.class, () -> store.delete("/a", WriteView.ANY));
    }

    /** KeyValue with its value as text, so records compare by content. */
    record KeyValueView(String key, String value, long createRevision, long modRevision, long version) {
        static KeyValueView of(KeyValue kv) {
            return new KeyValueView(kv.key(), text(kv), kv.createRevision(), kv.modRevision(), kv.version());
        }
    }
}
