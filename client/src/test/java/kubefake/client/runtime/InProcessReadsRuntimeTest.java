package kubefake.client.runtime;

import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.mvcc.CommitLog;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.ReadView;
import kubefake.store.mvcc.Watcher;
import kubefake.store.mvcc.WriteView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runtime on a store whose writes become durable in a commit log: its lanes and controller workers (the cluster's
 * in-process components) read and watch each other's writes before their fsync and never wait for it; threads outside
 * the runtime (the front end's) see them only once durable. One pool thread, so that a thread held by a waiting write
 * would show as work that never runs.
 */
class InProcessReadsRuntimeTest {
    private final HeldLog log = new HeldLog();
    private final MemoryKeyValueStore store = new MemoryKeyValueStore(log);
    private final SystemRuntime runtime = SystemRuntime.start(new SystemClusterClock(), 1, store.deferredDurability());

    @AfterEach
    void close() {
        runtime.close();
    }

    private void put(String key) {
        store.put(key, revision -> key.getBytes(StandardCharsets.UTF_8), WriteView.ANY);
    }

    private <T> T onPool(java.util.function.Supplier<T> work) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        runtime.executor().execute(() -> done.complete(work.get()));
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLanesWriteIsReadByTheNextComponentBeforeItsFsyncAndByClientsAfter() throws Exception {
        SerialExecutor lane = new SerialExecutor(runtime);
        CompletableFuture<KeyValue> nextBatchRead = new CompletableFuture<>();
        lane.execute(() -> put("/a"));
        lane.execute(() -> nextBatchRead.complete(store.get("/a")));
        assertNotNull(nextBatchRead.get(10, TimeUnit.SECONDS), "the lane's next task ran and read the write at once");
        assertNotNull(onPool(() -> store.get("/a")), "as does any other task of the runtime");
        assertEquals(0, log.durable, "before the log made anything durable");
        assertNull(store.get("/a"), "a client sees the write only once it is durable");

        log.makeDurable(1);
        assertNotNull(store.get("/a"));
    }

    @Test
    void aWatchOpenedByAComponentIsToldBeforeTheFsyncAClientsAfter() throws Exception {
        Watcher client = store.watch("/", 0, () -> { }, 10);
        Watcher component = onPool(() -> store.watch("/", 0, () -> { }, 10));
        onPool(() -> {
            put("/a");
            return null;
        });
        assertEquals(1, component.poll(10).size());
        assertEquals(List.of(), client.poll(10));
        log.makeDurable(1);
        assertEquals(1, client.poll(10).size());
    }

    @Test
    void aControllersKeyIsSyncedAgainReadingWhatItsLastSyncWroteWithoutWaitingForIt() throws Exception {
        List<Boolean> sawLastWrite = new ArrayList<>();
        CompletableFuture<Void> twice = new CompletableFuture<>();
        WorkQueue<String> queue = new WorkQueue<>("test", runtime);
        Controller<String> controller = new Controller<>("test", runtime, queue, 1, key -> {
            synchronized (sawLastWrite) {
                sawLastWrite.add(store.get("/" + key) != null);
                if (sawLastWrite.size() == 1) {
                    put("/" + key);
                    queue.add(key); // changed meanwhile: synced again
                } else {
                    twice.complete(null);
                }
            }
            return Result.done();
        });
        controller.start();
        queue.add("k");
        twice.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(false, true), sawLastWrite);
        assertEquals(0, log.durable);
        controller.close();
    }

    /** A commit log that makes nothing durable until the test says so, and publishes itself as the WAL does. */
    private static final class HeldLog implements CommitLog {
        private volatile LongConsumer publisher;
        volatile long durable;

        @Override
        public boolean publishWith(LongConsumer publisher) {
            this.publisher = publisher;
            return true;
        }

        @Override
        public void append(Event event) {
        }

        @Override
        public void awaitDurable(long revision) {
            throw new AssertionError("the runtime's work must not wait for durability");
        }

        void makeDurable(long revision) {
            durable = revision;
            publisher.accept(revision);
        }

        @Override
        public void compacting(long revision, ReadView view) {
        }

        @Override
        public void close() {
        }
    }
}
