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
import org.junit.jupiter.api.Test;

class WatchTest {
    private final MemoryKeyValueStore store = new MemoryKeyValueStore();
    private final AtomicInteger readySignals = new AtomicInteger();

    private Watcher watch(String prefix, long after, int bufferLimit) {
        return store.watch(prefix, after, readySignals::incrementAndGet, bufferLimit);
    }

    @Test
    void replaysHistoryThenFollowsLiveEventsInOrder() {
        put(store, "/p/a", "1");                 // 1
        put(store, "/q/x", "other");             // 2
        put(store, "/p/b", "1");                 // 3
        store.delete("/p/a", WriteView.ANY);     // 4
        Watcher watcher = watch("/p/", 1, 10);
        put(store, "/p/b", "2");                 // 5
        put(store, "/q/x", "other");             // 6
        put(store, "/p/c", "1");                 // 7

        assertEquals(List.of("PUT /p/b=1@3", "DELETE /p/a@4", "PUT /p/b=2@5", "PUT /p/c=1@7"),
                describe(watcher.poll(100)));
        assertEquals(List.of(), watcher.poll(100));
    }

    @Test
    void eventsCarryThePreviousValue() {
        put(store, "/p/a", "1");
        Watcher watcher = watch("/p/", 0, 10);
        put(store, "/p/a", "2");
        store.delete("/p/a", WriteView.ANY);

        List<Event> events = watcher.poll(10);
        assertNull(events.get(0).prevKv());
        assertEquals("1", Values.text(events.get(1).prevKv()));
        assertEquals("2", Values.text(events.get(2).prevKv()));
        assertEquals(Event.Type.DELETE, events.get(2).type());
        assertEquals(3, events.get(2).kv().modRevision());
        assertNull(events.get(2).kv().value());
        assertEquals("/p/a", events.get(2).kv().key());
    }

    @Test
    void pollHandsOutAtMostMaxEventsAcrossReplayAndLive() {
        for (int i = 1; i <= 5; i++) {
            put(store, "/p/a", "h" + i);
        }
        Watcher watcher = watch("/p/", 0, 10);
        put(store, "/p/a", "live6");
        put(store, "/p/a", "live7");

        List<String> seen = new ArrayList<>();
        List<Event> batch;
        while (!(batch = watcher.poll(3)).isEmpty()) {
            assertTrue(batch.size() <= 3);
            seen.addAll(describe(batch));
        }
        assertEquals(List.of("PUT /p/a=h1@1", "PUT /p/a=h2@2", "PUT /p/a=h3@3", "PUT /p/a=h4@4", "PUT /p/a=h5@5",
                "PUT /p/a=live6@6", "PUT /p/a=live7@7"), seen);
    }

    @Test
    void replayDoesNotCountAgainstTheBufferLimit() {
        for (int i = 0; i < 50; i++) {
            put(store, "/p/k" + i, "v");
        }
        Watcher watcher = watch("/p/", 0, 2);
        put(store, "/p/live", "1");
        put(store, "/p/live", "2");

        assertFalse(watcher.isClosed());
        List<Event> all = watcher.poll(1000);
        assertEquals(52, all.size());
        assertEquals(52, all.get(51).revision());
    }

    @Test
    void moreUndeliveredLiveEventsThanTheLimitCloseTheWatcherWithOverflow() {
        Watcher watcher = watch("/p/", 0, 3);
        put(store, "/p/a", "1");
        put(store, "/p/a", "2");
        put(store, "/p/a", "3");
        assertFalse(watcher.isClosed());
        int signalsBefore = readySignals.get();

        put(store, "/p/a", "4");

        assertTrue(watcher.isClosed());
        assertEquals(Watcher.CloseReason.OVERFLOW, watcher.closeReason());
        assertEquals(signalsBefore + 1, readySignals.get());
        assertEquals(List.of(), watcher.poll(10));
        assertEquals(0, store.watcherCount());
    }

    @Test
    void aConsumerThatKeepsUpNeverOverflows() {
        Watcher watcher = watch("/p/", 0, 2);
        for (int i = 0; i < 100; i++) {
            put(store, "/p/a", "v" + i);
            put(store, "/p/b", "v" + i);
            assertEquals(2, watcher.poll(10).size());
        }
        assertFalse(watcher.isClosed());
    }

    @Test
    void onReadySignalsWhenTheBufferStopsBeingEmptyAndOnClose() {
        Watcher watcher = watch("/p/", 0, 10);
        put(store, "/p/a", "1");
        put(store, "/p/a", "2");
        assertEquals(1, readySignals.get());

        watcher.poll(10);
        put(store, "/q/other", "x");
        assertEquals(1, readySignals.get());
        put(store, "/p/a", "3");
        assertEquals(2, readySignals.get());

        watcher.close();
        assertEquals(3, readySignals.get());
        watcher.close();
        assertEquals(3, readySignals.get());
    }

    @Test
    void onReadyRunsOnTheWritersThread() {
        List<Thread> threads = new ArrayList<>();
        store.watch("/p/", 0, () -> threads.add(Thread.currentThread()), 10);
        put(store, "/p/a", "1");
        assertEquals(List.of(Thread.currentThread()), threads);
    }

    @Test
    void aFailingCallbackDoesNotFailTheWrite() {
        Watcher watcher = store.watch("/p/", 0, () -> {
            throw new IllegalStateException("consumer bug");
        }, 10);
        WriteResult result = put(store, "/p/a", "1");
        assertTrue(result.succeeded());
        assertEquals(1, watcher.poll(10).size());
    }

    @Test
    void cancelStopsLiveEventsButKeepsWhatWasBuffered() {
        Watcher watcher = watch("/p/", 0, 10);
        put(store, "/p/a", "1");
        watcher.close();
        put(store, "/p/a", "2");

        assertTrue(watcher.isClosed());
        assertEquals(Watcher.CloseReason.CANCELLED, watcher.closeReason());
        assertEquals(List.of("PUT /p/a=1@1"), describe(watcher.poll(10)));
        assertEquals(List.of(), watcher.poll(10));
        assertEquals(0, store.watcherCount());
    }

    @Test
    void closingTheStoreClosesEveryWatcher() {
        Watcher a = watch("/p/", 0, 10);
        Watcher b = watch("/q/a", 0, 10);
        store.close();

        assertEquals(Watcher.CloseReason.STORE_CLOSED, a.closeReason());
        assertEquals(Watcher.CloseReason.STORE_CLOSED, b.closeReason());
        assertEquals(2, readySignals.get());
        assertEquals(Watcher.CloseReason.STORE_CLOSED, watch("/p/", 0, 10).closeReason());
    }

    @Test
    void aWatchFromTheCurrentRevisionSeesOnlyNewEvents() {
        put(store, "/p/a", "1");
        Watcher watcher = watch("/p/", store.currentRevision(), 10);
        assertEquals(List.of(), watcher.poll(10));
        put(store, "/p/a", "2");
        assertEquals(List.of("PUT /p/a=2@2"), describe(watcher.poll(10)));
    }

    @Test
    void aWatchFromAFutureRevisionSkipsEventsUpToIt() {
        put(store, "/p/a", "1");
        Watcher watcher = watch("/p/", 3, 10);
        put(store, "/p/a", "2"); // 2
        put(store, "/p/a", "3"); // 3
        put(store, "/p/a", "4"); // 4
        assertEquals(List.of("PUT /p/a=4@4"), describe(watcher.poll(10)));
    }

    @Test
    void prefixesMatchDirectoriesExactKeysAndPartialSegments() {
        Watcher everything = watch("", 0, 100);
        Watcher pods = watch("/registry/pods/", 0, 100);
        Watcher ns1 = watch("/registry/pods/ns1/", 0, 100);
        Watcher exact = watch("/registry/pods/ns1/web", 0, 100);
        Watcher partial = watch("/registry/pods/ns1/we", 0, 100);
        Watcher partialNamespace = watch("/registry/pods/ns", 0, 100);

        put(store, "/registry/pods/ns1/web", "1");      // 1
        put(store, "/registry/pods/ns1/web-2", "1");    // 2
        put(store, "/registry/pods/ns1/db", "1");       // 3
        put(store, "/registry/pods/ns2/web", "1");      // 4
        put(store, "/registry/services/ns1/web", "1");  // 5
        put(store, "/registry/pods/ns1/web/status", "1"); // 6

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), revisions(everything));
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L), revisions(pods));
        assertEquals(List.of(1L, 2L, 3L, 6L), revisions(ns1));
        assertEquals(List.of(1L, 2L, 6L), revisions(exact)); // a prefix: web-2 starts with it too
        assertEquals(List.of(1L, 2L, 6L), revisions(partial));
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L), revisions(partialNamespace));
    }

    @Test
    void manyWatchersOnTheSamePrefixEachSeeTheEventOnce() {
        List<Watcher> watchers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            watchers.add(watch(i % 2 == 0 ? "/registry/pods/" : "/registry/pods/ns/pod-" + i, 0, 10));
        }
        put(store, "/registry/pods/ns/pod-1", "x");
        put(store, "/registry/pods/ns/pod-2", "x");

        assertEquals(List.of(1L, 2L), revisions(watchers.get(0)));
        assertEquals(List.of(1L), revisions(watchers.get(1)));
        assertEquals(List.of(), revisions(watchers.get(3)));
        assertEquals(1000, store.watcherCount());
        watchers.forEach(Watcher::close);
        assertEquals(0, store.watcherCount());
    }

    @Test
    void nonsenseArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> watch("/p/", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> watch("/p/", -1, 10));
    }

    private static List<Long> revisions(Watcher watcher) {
        return watcher.poll(1000).stream().map(Event::revision).toList();
    }
}
