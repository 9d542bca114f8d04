package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.describe;
import static kubefake.store.mvcc.Values.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The watch contract on every backend. In memory a write's events are buffered before the write returns; etcd sends
 * them a moment later, so the tests wait for the events they expect ({@link #events}) rather than poll once. What
 * only the in-memory store promises (callbacks on the writer's thread, exact signal counts) is in MemoryWatchTest.
 */
class WatchTest extends StoreContractTest {
    private final AtomicInteger readySignals = new AtomicInteger();

    private Watcher watch(String prefix, long after, int bufferLimit) {
        return store.watch(prefix, after, readySignals::incrementAndGet, bufferLimit);
    }

    /** Polls until {@code count} events came (or 10 s passed), then once more to catch any unexpected extra one. */
    static List<Event> events(Watcher watcher, int count) {
        List<Event> out = new ArrayList<>(watcher.poll(1000));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (out.size() < count && System.nanoTime() < deadline && !(watcher.isClosed() && out.isEmpty())) {
            Thread.onSpinWait();
            out.addAll(watcher.poll(1000));
        }
        out.addAll(watcher.poll(1000));
        return out;
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(condition.getAsBoolean(), "the condition did not hold within 10 s");
    }

    private String at(String event, long n) {
        return event + "@" + rev(n);
    }

    @Test
    void replaysHistoryThenFollowsLiveEventsInOrder() {
        put(store, "/p/a", "1");                 // 1
        put(store, "/q/x", "other");             // 2
        put(store, "/p/b", "1");                 // 3
        store.delete("/p/a", WriteView.ANY);     // 4
        Watcher watcher = watch("/p/", rev(1), 10);
        put(store, "/p/b", "2");                 // 5
        put(store, "/q/x", "other");             // 6
        put(store, "/p/c", "1");                 // 7

        assertEquals(List.of(at("PUT /p/b=1", 3), at("DELETE /p/a", 4), at("PUT /p/b=2", 5), at("PUT /p/c=1", 7)),
                describe(events(watcher, 4)));
        assertEquals(List.of(), watcher.poll(100));
    }

    @Test
    void eventsCarryThePreviousValue() {
        put(store, "/p/a", "1");
        Watcher watcher = watch("/p/", rev(0), 10);
        put(store, "/p/a", "2");
        store.delete("/p/a", WriteView.ANY);

        List<Event> events = events(watcher, 3);
        assertNull(events.get(0).prevKv());
        assertEquals("1", Values.text(events.get(1).prevKv()));
        assertEquals("2", Values.text(events.get(2).prevKv()));
        assertEquals(Event.Type.DELETE, events.get(2).type());
        assertEquals(rev(3), events.get(2).kv().modRevision());
        assertNull(events.get(2).kv().value());
        assertEquals("/p/a", events.get(2).kv().key());
    }

    @Test
    void pollHandsOutAtMostMaxEventsAcrossReplayAndLive() {
        for (int i = 1; i <= 5; i++) {
            put(store, "/p/a", "h" + i);
        }
        Watcher watcher = watch("/p/", rev(0), 10);
        put(store, "/p/a", "live6");
        put(store, "/p/a", "live7");

        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (seen.size() < 7 && System.nanoTime() < deadline) {
            List<Event> batch = watcher.poll(3);
            assertTrue(batch.size() <= 3);
            seen.addAll(describe(batch));
        }
        assertEquals(List.of(at("PUT /p/a=h1", 1), at("PUT /p/a=h2", 2), at("PUT /p/a=h3", 3), at("PUT /p/a=h4", 4),
                at("PUT /p/a=h5", 5), at("PUT /p/a=live6", 6), at("PUT /p/a=live7", 7)), seen);
    }

    @Test
    void replayDoesNotCountAgainstTheBufferLimit() {
        for (int i = 0; i < 50; i++) {
            put(store, "/p/k" + i, "v");
        }
        Watcher watcher = watch("/p/", rev(0), 2);
        put(store, "/p/live", "1");
        put(store, "/p/live", "2");

        List<Event> all = events(watcher, 52);
        assertFalse(watcher.isClosed());
        assertEquals(52, all.size());
        assertEquals(rev(52), all.get(51).revision());
    }

    @Test
    void moreUndeliveredLiveEventsThanTheLimitCloseTheWatcherWithOverflow() {
        Watcher watcher = watch("/p/", store.currentRevision(), 3);
        put(store, "/p/a", "1");
        put(store, "/p/a", "2");
        put(store, "/p/a", "3");
        put(store, "/p/a", "4");

        await(watcher::isClosed);
        assertEquals(Watcher.CloseReason.OVERFLOW, watcher.closeReason());
        assertEquals(List.of(), watcher.poll(10));
    }

    @Test
    void aConsumerThatKeepsUpNeverOverflows() {
        Watcher watcher = watch("/p/", store.currentRevision(), 2);
        for (int i = 0; i < 50; i++) {
            put(store, "/p/a", "v" + i);
            put(store, "/p/b", "v" + i);
            assertEquals(2, events(watcher, 2).size());
        }
        assertFalse(watcher.isClosed());
    }

    @Test
    void aFailingCallbackDoesNotFailTheWrite() {
        Watcher watcher = store.watch("/p/", store.currentRevision(), () -> {
            throw new IllegalStateException("consumer bug");
        }, 10);
        WriteResult result = put(store, "/p/a", "1");
        assertTrue(result.succeeded());
        assertEquals(1, events(watcher, 1).size());
    }

    @Test
    void cancelStopsLiveEventsButKeepsWhatWasBuffered() {
        Watcher watcher = watch("/p/", store.currentRevision(), 10);
        put(store, "/p/a", "1");
        await(() -> readySignals.get() > 0); // the event is buffered
        watcher.close();
        put(store, "/p/a", "2");

        assertTrue(watcher.isClosed());
        assertEquals(Watcher.CloseReason.CANCELLED, watcher.closeReason());
        assertEquals(List.of(at("PUT /p/a=1", 1)), describe(watcher.poll(10)));
        assertEquals(List.of(), watcher.poll(10));
    }

    @Test
    void closingTheStoreClosesEveryWatcher() {
        Watcher a = watch("/p/", rev(0), 10);
        Watcher b = watch("/q/a", rev(0), 10);
        store.close();

        assertEquals(Watcher.CloseReason.STORE_CLOSED, a.closeReason());
        assertEquals(Watcher.CloseReason.STORE_CLOSED, b.closeReason());
        assertEquals(2, readySignals.get());
        assertEquals(Watcher.CloseReason.STORE_CLOSED, watch("/p/", rev(0), 10).closeReason());
    }

    @Test
    void aWatchFromTheCurrentRevisionSeesOnlyNewEvents() {
        put(store, "/p/a", "1");
        Watcher watcher = watch("/p/", store.currentRevision(), 10);
        assertEquals(List.of(), watcher.poll(10));
        put(store, "/p/a", "2");
        assertEquals(List.of(at("PUT /p/a=2", 2)), describe(events(watcher, 1)));
    }

    @Test
    void aWatchFromAFutureRevisionSkipsEventsUpToIt() {
        put(store, "/p/a", "1");
        Watcher watcher = watch("/p/", rev(3), 10);
        put(store, "/p/a", "2"); // 2
        put(store, "/p/a", "3"); // 3
        put(store, "/p/a", "4"); // 4
        assertEquals(List.of(at("PUT /p/a=4", 4)), describe(events(watcher, 1)));
    }

    @Test
    void prefixesMatchDirectoriesExactKeysAndPartialSegments() {
        Watcher everything = watch("", rev(0), 100);
        Watcher pods = watch("/registry/pods/", rev(0), 100);
        Watcher ns1 = watch("/registry/pods/ns1/", rev(0), 100);
        Watcher exact = watch("/registry/pods/ns1/web", rev(0), 100);
        Watcher partial = watch("/registry/pods/ns1/we", rev(0), 100);
        Watcher partialNamespace = watch("/registry/pods/ns", rev(0), 100);

        put(store, "/registry/pods/ns1/web", "1");      // 1
        put(store, "/registry/pods/ns1/web-2", "1");    // 2
        put(store, "/registry/pods/ns1/db", "1");       // 3
        put(store, "/registry/pods/ns2/web", "1");      // 4
        put(store, "/registry/services/ns1/web", "1");  // 5
        put(store, "/registry/pods/ns1/web/status", "1"); // 6

        assertEquals(revs(1, 2, 3, 4, 5, 6), revisions(everything, 6));
        assertEquals(revs(1, 2, 3, 4, 6), revisions(pods, 5));
        assertEquals(revs(1, 2, 3, 6), revisions(ns1, 4));
        assertEquals(revs(1, 2, 6), revisions(exact, 3)); // a prefix: web-2 starts with it too
        assertEquals(revs(1, 2, 6), revisions(partial, 3));
        assertEquals(revs(1, 2, 3, 4, 6), revisions(partialNamespace, 5));
    }

    @Test
    void nonsenseArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> watch("/p/", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> watch("/p/", -1, 10));
    }

    private List<Long> revs(long... n) {
        List<Long> out = new ArrayList<>();
        for (long i : n) out.add(rev(i));
        return out;
    }

    private static List<Long> revisions(Watcher watcher, int count) {
        return events(watcher, count).stream().map(Event::revision).toList();
    }
}
