package kubefake.store.mvcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Superseded values packed against their successors read back as they were, at every retained revision. */
class HistoryPackerTest {
    private final MemoryKeyValueStore store = new MemoryKeyValueStore();

    /** A pod-like JSON value of about 2 KB in which one status field changes from version to version. */
    static byte[] podLike(String name, int version) {
        StringBuilder json = new StringBuilder("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\","
                + "\"labels\":{\"app\":\"web\",\"tier\":\"frontend\"},\"resourceVersion\":\"" + version + "\"},\"spec\":{");
        for (int i = 0; i < 50; i++) {
            json.append("\"field").append(i).append("\":\"value of field ").append(i).append(" for ").append(name).append("\",");
        }
        json.append("\"nodeName\":\"w1-k8s\"},\"status\":{\"phase\":\"").append(version % 3 == 0 ? "Running" : "Pending")
                .append("\",\"observed\":").append(version * 7919).append("}}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private long put(String key, byte[] value) {
        return store.put(key, revision -> value, WriteView.ANY).revision();
    }

    @Test
    void everyRetainedRevisionReadsTheSameOncePacked() {
        Map<Long, Map<String, byte[]>> expected = new HashMap<>();
        Map<String, byte[]> state = new HashMap<>();
        for (int version = 1; version <= 40; version++) {
            for (String key : List.of("/pods/a", "/pods/b", "/pods/c")) {
                if (key.equals("/pods/c") && version % 10 == 0) {
                    store.delete(key, WriteView.ANY);
                    state.remove(key);
                } else {
                    byte[] value = podLike(key, version);
                    put(key, value);
                    state.put(key, value);
                }
                expected.put(store.currentRevision(), new HashMap<>(state));
            }
        }
        KeyValue newestA = store.get("/pods/a");
        KeyValue firstA = store.get("/pods/a", 1);

        int packed = store.packHistoryThrough(store.currentRevision());

        assertTrue(packed > 100, "packed " + packed);
        assertTrue(firstA.isPacked());
        assertFalse(newestA.isPacked(), "the newest value stays as it is");
        assertSame(newestA, store.get("/pods/a"));
        for (long r = 1; r <= store.currentRevision(); r++) {
            Map<String, byte[]> want = expected.get(r);
            for (String key : List.of("/pods/a", "/pods/b", "/pods/c")) {
                KeyValue kv = store.get(key, r);
                if (want.get(key) == null) {
                    assertNull(kv, key + " at " + r);
                } else {
                    assertArrayEquals(want.get(key), kv.value(), key + " at " + r);
                }
            }
            assertEquals(want.size(), store.range("/pods/", ReadView.prefixEnd("/pods/"), r, 0).kvs().size());
        }
    }

    @Test
    void aPackedRevisionCostsItsDifferenceFromTheNext() {
        put("/pods/a", podLike("a", 1));
        put("/pods/a", podLike("a", 2));
        KeyValue first = store.get("/pods/a", 1);
        int length = first.value().length;

        store.packHistoryThrough(2);

        assertTrue(length > 1500, "value of " + length + " bytes");
        assertTrue(first.packedLength() < length / 10, first.toString());
        assertArrayEquals(podLike("a", 1), first.value());
    }

    @Test
    void aChainOfPackedRevisionsIsInflatedAtMostAKeyframeDeep() {
        for (int version = 1; version <= 3 * HistoryPacker.KEYFRAME + 2; version++) {
            put("/pods/a", podLike("a", version));
        }
        store.packHistoryThrough(store.currentRevision());

        for (long r = 1; r < store.currentRevision(); r++) {
            KeyValue kv = store.get("/pods/a", r);
            assertEquals(kv.version() % HistoryPacker.KEYFRAME == 0, kv.packedAlone(), "version " + kv.version());
            assertArrayEquals(podLike("a", (int) r), kv.value());
        }
    }

    @Test
    void aTickPacksWhatWasSupersededBeforeThePreviousTick() {
        put("/pods/a", podLike("a", 1));
        put("/pods/a", podLike("a", 2));
        assertEquals(0, store.packHistory(), "the first tick only remembers the revision");
        put("/pods/a", podLike("a", 3));

        assertEquals(1, store.packHistory());

        assertTrue(store.get("/pods/a", 1).isPacked(), "superseded at 2, before the previous tick");
        assertFalse(store.get("/pods/a", 2).isPacked(), "superseded at 3, after it");
        assertEquals(1, store.packHistory());
        assertTrue(store.get("/pods/a", 2).isPacked());
    }

    @Test
    void aWatchFromAnOldRevisionReplaysThePackedValuesAndTheirPredecessors() {
        for (int version = 1; version <= 12; version++) {
            put("/pods/a", podLike("a", version));
        }
        store.delete("/pods/a", WriteView.ANY);
        store.packHistoryThrough(store.currentRevision());

        Watcher watcher = store.watch("/pods/", 0, () -> { }, 100);
        List<Event> events = new ArrayList<>(watcher.poll(100));

        assertEquals(13, events.size());
        for (int version = 1; version <= 12; version++) {
            Event event = events.get(version - 1);
            assertArrayEquals(podLike("a", version), event.kv().value());
            if (version > 1) assertArrayEquals(podLike("a", version - 1), event.prevKv().value());
        }
        assertEquals(Event.Type.DELETE, events.get(12).type());
        assertArrayEquals(podLike("a", 12), events.get(12).prevKv().value());
    }

    @Test
    void compactionAfterPackingKeepsTheNewerRevisionsReadable() {
        for (int version = 1; version <= 20; version++) {
            put("/pods/a", podLike("a", version));
        }
        store.packHistoryThrough(store.currentRevision());
        store.compact(11);

        for (long r = 12; r <= 20; r++) {
            assertArrayEquals(podLike("a", (int) r), store.get("/pods/a", r).value());
        }
        assertEquals(0, store.packHistoryThrough(20), "nothing is packed twice");
    }

    @Test
    void nothingDecodedIsKeptOnAPackedValue() {
        put("/pods/a", podLike("a", 1));
        put("/pods/a", podLike("a", 2));
        KeyValue first = store.get("/pods/a", 1);
        first.decoded("decoded");

        store.packHistoryThrough(2);
        assertNull(first.decoded());
        first.decoded("decoded again");

        assertNull(first.decoded());
        assertEquals(first, store.get("/pods/a", 1));
        assertEquals(first.hashCode(), store.get("/pods/a", 1).hashCode());
    }
}
