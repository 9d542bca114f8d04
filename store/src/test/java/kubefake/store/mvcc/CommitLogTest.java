package kubefake.store.mvcc;

import static kubefake.store.mvcc.Values.describe;
import static kubefake.store.mvcc.Values.put;
import static kubefake.store.mvcc.Values.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A store with a commit log publishes a write only once the log made it durable. */
class CommitLogTest {
    /** A log that makes writes durable only when the test says so. */
    static final class GatedLog implements CommitLog {
        final List<Event> appended = new ArrayList<>();
        final List<Long> compactions = new ArrayList<>();
        volatile long durable;
        volatile RuntimeException failure;
        final CountDownLatch waiting = new CountDownLatch(1);
        /** Whether it publishes each durable revision itself, as the write-ahead log does. */
        private final boolean publishes;
        private volatile java.util.function.LongConsumer publisher;

        GatedLog() {
            this(false);
        }

        GatedLog(boolean publishes) {
            this.publishes = publishes;
        }

        @Override
        public boolean publishWith(java.util.function.LongConsumer publisher) {
            this.publisher = publisher;
            return publishes;
        }

        @Override
        public synchronized void append(Event event) {
            if (failure != null) {
                throw failure;
            }
            appended.add(event);
        }

        @Override
        public synchronized void awaitDurable(long revision) {
            waiting.countDown();
            while (durable < revision) {
                if (failure != null) {
                    throw failure;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }

        /** Callbacks of deferred writers, run when the test makes their revision durable or fails the log. */
        final List<Map.Entry<Long, Consumer<RuntimeException>>> callbacks = new ArrayList<>();

        @Override
        public synchronized void whenDurable(long revision, Consumer<RuntimeException> then) {
            callbacks.add(Map.entry(revision, then));
        }

        void makeDurable(long revision) {
            // published outside the log's monitor, as the write-ahead log's flusher does: writers hold the store's
            // lock when they append
            if (publishes && revision > 0) publisher.accept(revision);
            synchronized (this) {
                durable = revision;
                notifyAll();
                callbacks.removeIf(c -> {
                    if (c.getKey() > revision) return false;
                    c.getValue().accept(null);
                    return true;
                });
            }
        }

        synchronized void fail(RuntimeException e) {
            failure = e;
            notifyAll();
            callbacks.forEach(c -> c.getValue().accept(e));
            callbacks.clear();
        }

        @Override
        public void compacting(long revision, ReadView view) {
            compactions.add(revision);
            view.range("", null, revision, 0); // still readable at this point
        }

        @Override
        public void close() {
        }
    }

    private final GatedLog log = new GatedLog();
    private final MemoryKeyValueStore store = new MemoryKeyValueStore(log);

    @Test
    void aWriteIsNeitherReadableNorWatchedNorAnsweredBeforeItIsDurable() throws Exception {
        log.makeDurable(0);
        Watcher watcher = store.watch("/k", 0, () -> { }, 10);
        CompletableFuture<WriteResult> write = CompletableFuture.supplyAsync(() -> put(store, "/k", "v"));
        assertEquals(true, log.waiting.await(10, TimeUnit.SECONDS));

        assertEquals(1, log.appended.size());
        assertNull(store.get("/k"));
        assertEquals(0, store.currentRevision());
        assertEquals(List.of(), watcher.poll(10));
        assertEquals(false, write.isDone());

        log.makeDurable(1);
        assertEquals(1, write.get(10, TimeUnit.SECONDS).revision());
        assertEquals("v", text(store.get("/k")));
        assertEquals(List.of("PUT /k=v@1"), describe(watcher.poll(10)));
    }

    /** Runs {@code work} on a thread of an in-process component, as the cluster runtime's pool threads are. */
    private static <T> T inProcess(java.util.concurrent.Callable<T> work) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(() -> {
            InProcessReads.markCurrentThread();
            return work.call();
        });
        new Thread(task, "in-process").start();
        return task.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anInProcessComponentReadsAndWatchesAWriteOnceOrderedEveryoneElseOnceDurable() throws Exception {
        GatedLog publishing = new GatedLog(true);
        MemoryKeyValueStore store = new MemoryKeyValueStore(publishing);
        Watcher outside = store.watch("/k", 0, () -> { }, 10);
        Watcher inside = inProcess(() -> store.watch("/k", 0, () -> { }, 10));

        // a component's write returns before the log made it durable, and the next component reads it at once
        assertEquals(1, inProcess(() -> put(store, "/k", "1")).revision());
        assertEquals("1", text(inProcess(() -> store.get("/k"))));
        assertEquals(1, inProcess(store::currentRevision));
        assertEquals(List.of("PUT /k=1@1"), describe(inside.poll(10)));
        assertEquals(true, inProcess(() -> store.put("/k", Values.text("2"), 1)).succeeded());
        assertEquals(List.of("PUT /k=2@2"), describe(inside.poll(10)));

        // nobody else: not a read, not a read at that revision, not a watch
        assertNull(store.get("/k"));
        assertEquals(0, store.currentRevision());
        assertThrows(FutureRevisionException.class, () -> store.get("/k", 1));
        assertEquals(List.of(), outside.poll(10));

        publishing.makeDurable(1);
        assertEquals("1", text(store.get("/k")));
        assertEquals(List.of("PUT /k=1@1"), describe(outside.poll(10)));
        publishing.makeDurable(2);
        assertEquals("2", text(store.get("/k")));
        assertEquals(List.of("PUT /k=2@2"), describe(outside.poll(10)));
        assertEquals(List.of(), inside.poll(10), "told once");
    }

    @Test
    void anAnswerThatWroteNothingWaitsForEverythingOrdered() throws Exception {
        GatedLog publishing = new GatedLog(true);
        MemoryKeyValueStore store = new MemoryKeyValueStore(publishing);
        DeferredDurability durability = store.deferredDurability();
        inProcess(() -> put(store, "/k", "1"));
        assertEquals(1, durability.orderedRevision());
        assertEquals(false, durability.isDurable(durability.orderedRevision()));
        publishing.makeDurable(1);
        assertEquals(true, durability.isDurable(durability.orderedRevision()));
    }

    @Test
    void anInProcessWriteWaitsWhenNoOneElseWouldPublishIt() throws Exception {
        // this log leaves publishing to the writers: an in-process writer that did not wait would leave its write
        // unpublished for everyone else
        CompletableFuture<WriteResult> write = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            InProcessReads.markCurrentThread();
            write.complete(put(store, "/k", "1"));
        });
        t.start();
        assertEquals(true, log.waiting.await(10, TimeUnit.SECONDS));
        assertEquals(false, write.isDone());
        log.makeDurable(1);
        assertEquals(1, write.get(10, TimeUnit.SECONDS).revision());
        assertEquals("1", text(store.get("/k")));
    }

    @Test
    void aWriterBuildsOnAWriteStillWaitingForTheLog() throws Exception {
        CompletableFuture<WriteResult> first = CompletableFuture.supplyAsync(() -> put(store, "/k", "1"));
        log.waiting.await(10, TimeUnit.SECONDS);
        CompletableFuture<WriteResult> second = CompletableFuture.supplyAsync(() -> store.put("/k", Values.text("2"), 1));
        log.makeDurable(2);
        assertEquals(1, first.get(10, TimeUnit.SECONDS).revision());
        WriteResult r = second.get(10, TimeUnit.SECONDS);
        assertEquals(true, r.succeeded());
        assertEquals(2, r.current().version());
        assertEquals("2", text(store.get("/k")));
    }

    @Test
    void aDeferredWriteReturnsAtOnceIsSeenOnlyByItsWriterAndIsAnsweredWhenDurable() throws Exception {
        log.makeDurable(0);
        Watcher watcher = store.watch("/k", 0, () -> { }, 10);
        DeferredDurability.Deferral deferral = DeferredDurability.begin();
        WriteResult first = put(store, "/k", "1");
        WriteResult second = store.put("/k", Values.text("2"), first.revision());
        // the writer reads its own writes, at its newest one
        assertEquals("2", text(store.get("/k")));
        assertEquals(List.of("/k"), Values.keys(store.range("/", null, 0, 0)));
        assertEquals(2, store.currentRevision());
        assertEquals(2, deferral.end());
        // nobody else does, nor does the writer once it stopped deferring, nor its watchers
        assertNull(store.get("/k"));
        assertNull(CompletableFuture.supplyAsync(() -> store.get("/k")).get(10, TimeUnit.SECONDS));
        assertEquals(0, store.currentRevision());
        assertEquals(List.of(), watcher.poll(10));

        AtomicReference<String> told = new AtomicReference<>();
        store.deferredDurability().whenDurable(second.revision(), failure -> told.set(failure == null ? "durable" : "failed"));
        log.makeDurable(1);
        assertNull(told.get(), "revision 2 is not durable yet");
        log.makeDurable(2);
        assertEquals("durable", told.get());
        assertEquals("2", text(store.get("/k")), "published when the writer is told");
        assertEquals(List.of("PUT /k=1@1", "PUT /k=2@2"), describe(watcher.poll(10)));

        store.deferredDurability().whenDurable(2, failure -> told.set("at once"));
        assertEquals("at once", told.get(), "a durable revision is told at once");
    }

    @Test
    void aDeferredWriteIsToldWhenTheLogFails() {
        DeferredDurability.Deferral deferral = DeferredDurability.begin();
        put(store, "/k", "v");
        long revision = deferral.end();
        AtomicReference<RuntimeException> told = new AtomicReference<>();
        store.deferredDurability().whenDurable(revision, told::set);
        DurabilityException disk = new DurabilityException("disk full", null);
        log.fail(disk);
        assertEquals(disk, told.get());
        assertNull(store.get("/k"));
    }

    @Test
    void aStoreWithoutACommitLogHasNothingToDefer() {
        assertNull(new MemoryKeyValueStore().deferredDurability());
    }

    @Test
    void aLogFailureIsTheWritersErrorAndLaterWritesAreRefused() throws Exception {
        CompletableFuture<WriteResult> write = CompletableFuture.supplyAsync(() -> put(store, "/k", "v"));
        log.waiting.await(10, TimeUnit.SECONDS);
        log.fail(new DurabilityException("disk full", null));
        Exception e = assertThrows(Exception.class, () -> write.get(10, TimeUnit.SECONDS));
        assertEquals(DurabilityException.class, e.getCause().getClass());
        assertThrows(DurabilityException.class, () -> put(store, "/other", "v"));
        assertNull(store.get("/k"));
        assertNull(store.get("/other"));
    }

    @Test
    void theLogHearsOfACompactionWhileItsRevisionIsStillReadable() {
        log.makeDurable(3);
        put(store, "/a", "1");
        put(store, "/a", "2");
        put(store, "/b", "1");
        store.compact(2);
        assertEquals(List.of(2L), log.compactions);
        assertThrows(CompactedException.class, () -> store.get("/a", 2));
    }

    @Test
    void recoveryRestoresASnapshotAndReplaysTheWritesAfterIt() {
        MemoryKeyValueStore recovered = new MemoryKeyValueStore(log);
        recovered.restoreSnapshot(10, List.of(new KeyValue("/a", "a".getBytes(), 3, 9, 4)));
        recovered.replay(11, "/a", "a2".getBytes());
        recovered.replay(12, "/b", "b".getBytes());
        recovered.replay(13, "/a", null);

        assertEquals(13, recovered.currentRevision());
        assertEquals(10, recovered.compactedRevision());
        KeyValue a = recovered.get("/a", 11);
        assertEquals(List.of(3L, 11L, 5L), List.of(a.createRevision(), a.modRevision(), a.version()));
        assertNull(recovered.get("/a"));
        assertThrows(CompactedException.class, () -> recovered.get("/a", 10));
        Watcher w = recovered.watch("/", 10, () -> { }, 10);
        List<Event> events = w.poll(10);
        assertEquals(List.of("PUT /a=a2@11", "PUT /b=b@12", "DELETE /a@13"), describe(events));
        assertEquals("a", text(events.get(0).prevKv()));
        assertThrows(IllegalStateException.class, () -> recovered.replay(15, "/c", "c".getBytes()));
        assertThrows(IllegalStateException.class, () -> recovered.replay(14, "/zz", null));
    }
}
