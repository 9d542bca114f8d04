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

    /** An event-like JSON value of about 1 KB: the same fields for every event, a few names and times differ. */
    static byte[] eventLike(int i) {
        String reason = List.of("Scheduled", "Pulling", "Pulled", "Created", "Started").get(i % 5);
        return ("{\"metadata\":{\"name\":\"web-" + i / 5 + ".18eefaa9c49c" + (100000 + i) + "\",\"namespace\":\"default\","
                + "\"uid\":\"0eb6325a-f0e9-400b-81ad-" + (100000000000L + i * 7919L) + "\",\"resourceVersion\":\"" + (i + 1)
                + "\",\"creationTimestamp\":\"2026-12-07T13:08:30Z\",\"managedFields\":[{\"manager\":\"kubelet\","
                + "\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2026-12-07T13:08:30Z\",\"fieldsType\":\"FieldsV1\","
                + "\"fieldsV1\":{\"f:count\":{},\"f:firstTimestamp\":{},\"f:involvedObject\":{},\"f:lastTimestamp\":{},"
                + "\"f:message\":{},\"f:reason\":{},\"f:reportingComponent\":{},\"f:reportingInstance\":{},"
                + "\"f:source\":{\"f:component\":{},\"f:host\":{}},\"f:type\":{}}}]},\"involvedObject\":{\"kind\":\"Pod\","
                + "\"namespace\":\"default\",\"name\":\"web-" + i / 5 + "\",\"uid\":\"5f1c-" + i / 5 + "\",\"apiVersion\":\"v1\"},"
                + "\"reason\":\"" + reason + "\",\"message\":\"" + reason + " container web of pod web-" + i / 5 + "\","
                + "\"source\":{\"component\":\"kubelet\",\"host\":\"node-" + i % 7 + "\"},\"firstTimestamp\":\"2026-12-07T13:08:28Z\","
                + "\"lastTimestamp\":\"2026-12-07T13:08:28Z\",\"count\":1,\"type\":\"Normal\",\"eventTime\":null,"
                + "\"reportingComponent\":\"kubelet\",\"reportingInstance\":\"node-" + i % 7 + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theNewestValuesUnderAColdPrefixArePackedAPeriodAfterTheyAreWritten() {
        store.packUnreadValuesUnder("/events/");
        put("/events/default/e0", eventLike(0));
        put("/pods/a", podLike("a", 1));
        KeyValue event = store.get("/events/default/e0");
        event.decoded("decoded");
        assertEquals(0, store.packHistory(), "the first tick only remembers the revision");
        put("/events/default/e1", eventLike(1));

        assertEquals(1, store.packHistory());

        assertTrue(event.isPacked(), "written before the previous tick");
        assertNull(event.decoded(), "nothing decoded is kept on it");
        assertSame(event, store.get("/events/default/e0"), "still the key's newest value");
        assertArrayEquals(eventLike(0), event.value());
        assertFalse(store.get("/events/default/e1").isPacked(), "written after the previous tick");
        assertFalse(store.get("/pods/a").isPacked(), "not under the cold prefix");
        assertEquals(1, store.packHistory());
        assertTrue(store.get("/events/default/e1").isPacked());
    }

    @Test
    void coldValuesPackAgainstTheirPrefixDictionaryToAFractionOfWhatTheyPackAlone() {
        store.packUnreadValuesUnder("/events/");
        int raw = 0;
        for (int i = 0; i < 1000; i++) {
            put("/events/default/e" + i, eventLike(i));
            raw += eventLike(i).length;
        }

        assertEquals(1000, store.packHistoryThrough(store.currentRevision()));

        int packed = 0;
        int alone = 0;
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        for (int i = 0; i < 1000; i++) {
            KeyValue kv = store.get("/events/default/e" + i);
            assertTrue(kv.packedWithDictionary(), "event " + i);
            assertArrayEquals(eventLike(i), kv.value(), "event " + i);
            packed += kv.packedLength();
            alone += ValueDeltas.deflate(eventLike(i), null, deflater).length;
        }
        assertTrue(packed * 2 < alone, packed + " bytes packed with the dictionary, " + alone + " alone, " + raw + " raw");
    }

    @Test
    void valuesAlreadyUnderAPrefixArePackedWhenItIsMadeCold() {
        put("/events/default/e0", eventLike(0));
        put("/events/default/e1", eventLike(1));
        store.delete("/events/default/e1", WriteView.ANY);
        put("/events/default/e2", eventLike(2));
        put("/pods/a", podLike("a", 1));

        assertEquals(2, store.packUnreadValuesUnder("/events/"), "the two live events");

        assertTrue(store.get("/events/default/e0").isPacked());
        assertArrayEquals(eventLike(2), store.get("/events/default/e2").value());
        assertFalse(store.get("/pods/a").isPacked());
        assertEquals(1, store.packHistoryThrough(store.currentRevision()), "the deleted event's last value");
        assertArrayEquals(eventLike(1), store.get("/events/default/e1", 2).value());
    }

    @Test
    void aColdValueUpdatedAfterItWasPackedKeepsEveryRevisionAndItsWatchEvents() {
        store.packUnreadValuesUnder("/events/");
        put("/events/default/e0", eventLike(0));
        store.packHistoryThrough(store.currentRevision());
        put("/events/default/e0", eventLike(5)); // a repeat folded into the event: count and lastTimestamp change
        put("/events/default/e0", eventLike(10));
        store.delete("/events/default/e0", WriteView.ANY);
        store.packHistoryThrough(store.currentRevision());

        List<Event> events = store.watch("/events/", 0, () -> { }, 100).poll(100);

        assertEquals(4, events.size());
        assertArrayEquals(eventLike(0), events.get(0).kv().value());
        assertArrayEquals(eventLike(5), events.get(1).kv().value());
        assertArrayEquals(eventLike(0), events.get(1).prevKv().value());
        assertArrayEquals(eventLike(10), events.get(2).kv().value());
        assertArrayEquals(eventLike(5), events.get(2).prevKv().value());
        assertEquals(Event.Type.DELETE, events.get(3).type());
        assertArrayEquals(eventLike(10), events.get(3).prevKv().value());
        assertTrue(events.get(3).prevKv().packedWithDictionary(), "a deleted key's last value has no successor");
    }

    @Test
    void aNewestValueStillReadStaysAsItIsUntilASweepFindsItNoLongerRead() {
        store.packUnreadValuesUnder("/pods/");
        put("/pods/a", podLike("a", 1));
        put("/pods/b", podLike("b", 1));
        KeyValue a = store.get("/pods/a");
        a.readValue();

        assertEquals(1, store.packHistoryThrough(store.currentRevision()), "b, which nobody read");
        assertFalse(a.isPacked(), "read since it was written");
        a.readValue();
        assertEquals(0, store.sweepUnreadValues(), "the pass left it: the second look's, not the sweep's");
        assertEquals(0, store.lookAgainAtReadValues(), "read again since the pass: left to the sweeps");
        a.readValue();
        assertEquals(0, store.sweepUnreadValues(), "read since the second look");
        assertFalse(a.isPacked());

        assertEquals(1, store.sweepUnreadValues(), "not read since the previous sweep");
        assertTrue(a.isPacked());
        assertArrayEquals(podLike("a", 1), a.readValue());
        assertTrue(a.isPacked(), "a read inflates a copy: the value stays packed");
        assertEquals(0, store.sweepUnreadValues());
    }

    @Test
    void aNewestValueReadAsItIsWrittenIsPackedAtTheTickAfterThePassThatLeftIt() {
        store.packUnreadValuesUnder("/pods/");
        put("/pods/a", podLike("a", 3));
        store.get("/pods/a").readValue(); // its watchers and informers, as it is written
        assertEquals(0, store.packHistory(), "the first tick only remembers the revision");

        assertEquals(0, store.packHistory(), "the pass that reaches it leaves it: read since it was written");
        assertFalse(store.get("/pods/a").isPacked());
        assertEquals(1, store.packHistory(), "nobody read it in the period since");

        assertTrue(store.get("/pods/a").isPacked());
        assertArrayEquals(podLike("a", 3), store.get("/pods/a").readValue());
    }

    @Test
    void theSecondLookLeavesAValueReadAgainToTheSweepsAndASupersededOneToItsSuccessorsPass() {
        store.packUnreadValuesUnder("/pods/");
        put("/pods/a", podLike("a", 1));
        put("/pods/b", podLike("b", 1));
        long c1 = put("/pods/c", podLike("c", 1));
        for (String key : List.of("/pods/a", "/pods/b", "/pods/c")) store.get(key).readValue();
        assertEquals(0, store.packHistoryThrough(store.currentRevision()), "each read since it was written");
        store.get("/pods/b").readValue();
        put("/pods/c", podLike("c", 2));

        assertEquals(1, store.lookAgainAtReadValues(), "a, which nobody read since the pass");

        assertTrue(store.get("/pods/a").isPacked());
        assertFalse(store.get("/pods/b").isPacked(), "read again");
        assertFalse(store.get("/pods/c", c1).isPacked(), "superseded: watchers of its successor's event may read it");
        assertEquals(2, store.packHistoryThrough(store.currentRevision()), "c's first value and its second, unread");
        assertTrue(store.get("/pods/c", c1).isPacked());
        assertFalse(store.get("/pods/c", c1).packedWithDictionary(), "against its successor");
        assertEquals(1, store.sweepUnreadValues(), "b: not read since the second look");
        assertArrayEquals(podLike("b", 1), store.get("/pods/b").readValue());
    }

    @Test
    void aNewestValuePackedWithTheDictionaryIsPackedAgainAgainstTheSuccessorThatSupersedesIt() {
        store.packUnreadValuesUnder("/pods/");
        put("/pods/b", podLike("b", 1)); // the dictionary's sample: another pod
        store.packHistoryThrough(store.currentRevision());
        long first = put("/pods/a", podLike("a", 1));
        store.packHistoryThrough(store.currentRevision()); // nobody read it: packed with the dictionary (a pod that waits)
        KeyValue waited = store.get("/pods/a", first);
        assertTrue(waited.packedWithDictionary());
        int withDictionary = waited.packedLength();

        put("/pods/a", podLike("a", 2)); // its status changes at last
        assertEquals(2, store.packHistoryThrough(store.currentRevision()), "the first value again, and the second (unread)");

        assertFalse(waited.packedWithDictionary(), "against its successor, as a superseded value");
        assertTrue(waited.isPacked());
        assertTrue(waited.packedLength() < withDictionary, waited.packedLength() + " < " + withDictionary);
        assertArrayEquals(podLike("a", 1), waited.readValue());
        assertArrayEquals(podLike("a", 2), store.get("/pods/a").readValue());
    }

    @Test
    void aSweepTickLeavesAValueReadEveryPeriodAsItIs() {
        store.packUnreadValuesUnder("/pods/");
        for (int tick = 1; tick < HistoryPacker.SWEEP_TICKS - 1; tick++) store.packHistory();
        put("/pods/a", podLike("a", 1));
        KeyValue a = store.get("/pods/a");
        for (int tick = HistoryPacker.SWEEP_TICKS - 1; tick <= 2 * HistoryPacker.SWEEP_TICKS; tick++) {
            a.readValue(); // a watcher or an informer in every period
            store.packHistory(); // the pass reaches it on a sweep's tick, the second look on the next one
            assertFalse(a.isPacked(), "read in the period before tick " + tick);
        }
        for (int tick = 0; tick < HistoryPacker.SWEEP_TICKS && !a.isPacked(); tick++) store.packHistory();
        assertTrue(a.isPacked(), "no longer read: the next sweep packs it");
    }

    @Test
    void aSweepLeavesWhatNoPassReachedYet() {
        store.packUnreadValuesUnder("/pods/");
        put("/pods/a", podLike("a", 1));

        assertEquals(0, store.sweepUnreadValues());

        assertFalse(store.get("/pods/a").isPacked(), "written after the last pass: its watchers may still be reading it");
    }
}
