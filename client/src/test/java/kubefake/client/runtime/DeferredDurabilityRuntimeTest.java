package kubefake.client.runtime;

import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.mvcc.CommitLog;
import kubefake.store.mvcc.Event;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.mvcc.ReadView;
import kubefake.store.mvcc.WriteView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runtime on a store whose writes wait for a commit log: lanes and controller workers do not hold a pool thread
 * while their writes become durable, and what follows them (a lane's next batch, a key's next sync) waits for that.
 * One pool thread, so that a thread held by a waiting write would show as work that never runs.
 */
class DeferredDurabilityRuntimeTest {
    private final GatedLog log = new GatedLog();
    private final MemoryKeyValueStore store = new MemoryKeyValueStore(log);
    private final SystemRuntime runtime = SystemRuntime.start(new SystemClusterClock(), 1, store.deferredDurability());

    @AfterEach
    void close() {
        log.release(null);
        runtime.close();
    }

    private void put(String key) {
        store.put(key, revision -> key.getBytes(StandardCharsets.UTF_8), WriteView.ANY);
    }

    /** Runs a task on the pool and waits for it: proof that no pool thread is held. */
    private void poolRuns() throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        runtime.executor().execute(() -> ran.complete(null));
        ran.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLanesNextBatchRunsOnceItsWritesAreDurableWithoutHoldingAThreadMeanwhile() throws Exception {
        SerialExecutor lane = new SerialExecutor(runtime);
        CompletableFuture<Boolean> readItsOwnWrite = new CompletableFuture<>();
        lane.execute(() -> {
            put("/a");
            readItsOwnWrite.complete(store.get("/a") != null);
        });
        assertTrue(readItsOwnWrite.get(10, TimeUnit.SECONDS), "a lane reads what it wrote at once");
        assertTrue(log.asked.await(10, TimeUnit.SECONDS));
        CountDownLatch second = new CountDownLatch(1);
        lane.execute(second::countDown);
        poolRuns();
        assertNull(store.get("/a"), "others see the write once it is durable");
        assertEquals(1, lane.pending(), "the lane's next task waits for its last batch's writes");

        log.release(null);
        assertTrue(second.await(10, TimeUnit.SECONDS));
        assertNotNull(store.get("/a"));
    }

    @Test
    void aLaneWithoutWritesGoesOnAtOnce() throws Exception {
        SerialExecutor lane = new SerialExecutor(runtime);
        CountDownLatch both = new CountDownLatch(2);
        lane.execute(both::countDown);
        assertTrue(waitFor(both::getCount, 1));
        lane.execute(both::countDown);
        assertTrue(both.await(10, TimeUnit.SECONDS));
        assertEquals(0, log.callbacks());
    }

    @Test
    void aControllersKeyIsSyncedAgainOnlyOnceWhatItsLastSyncWroteIsDurable() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        WorkQueue<String> queue = new WorkQueue<>("test", runtime);
        Controller<String> controller = new Controller<>("test", runtime, queue, 1, key -> {
            put("/" + key + "-" + syncs.incrementAndGet());
            return Result.done();
        });
        controller.start();
        queue.add("k");
        assertTrue(log.asked.await(10, TimeUnit.SECONDS));
        queue.add("k"); // changed meanwhile: synced again, after the write
        poolRuns();
        assertEquals(1, syncs.get());

        log.release(null);
        assertTrue(waitFor(syncs::get, 2));
        controller.close();
    }

    private static boolean waitFor(java.util.function.LongSupplier value, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (value.getAsLong() == expected) return true;
            Thread.sleep(1);
        }
        return value.getAsLong() == expected;
    }

    /** A commit log that makes nothing durable until the test says so. */
    private static final class GatedLog implements CommitLog {
        final CountDownLatch asked = new CountDownLatch(1);
        private final List<Consumer<RuntimeException>> waiting = new ArrayList<>();
        private int callbacks;

        @Override
        public void append(Event event) {
        }

        @Override
        public void awaitDurable(long revision) {
            throw new AssertionError("the runtime's work must not wait for durability");
        }

        @Override
        public synchronized void whenDurable(long revision, Consumer<RuntimeException> then) {
            waiting.add(then);
            callbacks++;
            asked.countDown();
        }

        synchronized int callbacks() {
            return callbacks;
        }

        void release(RuntimeException failure) {
            List<Consumer<RuntimeException>> due;
            synchronized (this) {
                due = new ArrayList<>(waiting);
                waiting.clear();
            }
            due.forEach(c -> c.accept(failure));
        }

        @Override
        public void compacting(long revision, ReadView view) {
        }

        @Override
        public void close() {
        }
    }
}
