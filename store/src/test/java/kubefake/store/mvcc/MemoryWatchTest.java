package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the in-memory store promises beyond the watch contract (WatchTest): a write's events are buffered and announced
 * on the writer's thread before the write returns, exactly once per empty-to-non-empty change, and watchers are
 * unregistered as they close.
 */
class MemoryWatchTest {
    private final MemoryKeyValueStore store = new MemoryKeyValueStore();
    private final AtomicInteger readySignals = new AtomicInteger();

    private Watcher watch(String prefix, long after, int bufferLimit) {
        return store.watch(prefix, after, readySignals::incrementAndGet, bufferLimit);
    }

    @Test
    void overflowSignalsOnceAndUnregisters() {
        Watcher watcher = watch("/p/", 0, 3);
        put(store, "/p/a", "1");
        put(store, "/p/a", "2");
        put(store, "/p/a", "3");
        int signalsBefore = readySignals.get();

        put(store, "/p/a", "4");

        assertEquals(Watcher.CloseReason.OVERFLOW, watcher.closeReason());
        assertEquals(signalsBefore + 1, readySignals.get());
        assertEquals(0, store.watcherCount());
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
        assertEquals(0, store.watcherCount());
    }

    @Test
    void onReadyRunsOnTheWritersThread() {
        List<Thread> threads = new ArrayList<>();
        store.watch("/p/", 0, () -> threads.add(Thread.currentThread()), 10);
        put(store, "/p/a", "1");
        assertEquals(List.of(Thread.currentThread()), threads);
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
        assertTrue(watchers.get(0).isClosed());
    }

    /** A trigger on the "node" of values written as "node:payload". */
    private Watcher watchNode(String prefix, String node) {
        return store.watch(prefix, 0, readySignals::incrementAndGet, 10, new WatchTrigger("node", node,
                kv -> Values.text(kv).split(":")[0]));
    }

    @Test
    void aTriggeredWatcherGetsTheWritesWhoseValueBeforeOrAfterNamesIt() {
        Watcher a = watchNode("/registry/pods/", "a");
        Watcher b = watchNode("/registry/pods/", "b");
        Watcher all = watch("/registry/pods/", 0, 10);
        put(store, "/registry/pods/ns/p1", "a:1");        // 1: a
        put(store, "/registry/pods/ns/p2", "b:1");        // 2: b
        put(store, "/registry/pods/ns/p1", "b:2");        // 3: moves from a to b, both see it
        put(store, "/registry/pods/ns/p3", "c:1");        // 4: nobody's
        store.delete("/registry/pods/ns/p2", WriteView.ANY); // 5: b's (its value before)
        put(store, "/registry/other/p4", "a:1");          // 6: another prefix

        assertEquals(List.of(1L, 3L), revisions(a));
        assertEquals(List.of(2L, 3L, 5L), revisions(b));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), revisions(all));
        a.close();
        b.close();
        all.close();
        assertEquals(0, store.watcherCount());
    }

    @Test
    void aTriggerThatCannotReadAValueLosesNoEvent() {
        Watcher a = store.watch("/p/", 0, () -> { }, 10, new WatchTrigger("node", "a", kv -> {
            throw new IllegalStateException("not the expected shape");
        }));
        put(store, "/p/x", "anything");
        assertEquals(List.of(1L), revisions(a));
    }

    @Test
    void aTriggerOnAKeyPrefixWithinASegmentIsOnlyAHint() {
        Watcher a = watchNode("/p/x", "a");
        put(store, "/p/x1", "b:1");
        put(store, "/p/y", "a:1");
        assertEquals(List.of(1L), revisions(a)); // its prefix is not a directory: it gets the prefix's writes
    }

    private static List<Long> revisions(Watcher watcher) {
        return watcher.poll(1000).stream().map(Event::revision).toList();
    }
}
