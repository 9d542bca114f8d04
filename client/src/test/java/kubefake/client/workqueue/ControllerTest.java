package kubefake.client.workqueue;

import kubefake.client.runtime.ManualRuntime;
import kubefake.client.runtime.SystemClusterClock;
import kubefake.client.runtime.SystemRuntime;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerTest {
    private final ManualRuntime runtime = new ManualRuntime();
    private final List<String> synced = new ArrayList<>();

    private Controller<String> controller(Reconciler<String> reconciler) {
        return new Controller<>("test", runtime, new WorkQueue<>("test", runtime), 2, reconciler);
    }

    @Test
    void waitsForItsCachesThenSyncsEachQueuedKeyOnce() {
        CompletableFuture<Void> cachesSynced = new CompletableFuture<>();
        Controller<String> c = controller(key -> {
            synced.add(key);
            return Result.done();
        });
        c.start(cachesSynced);
        c.queue().add("a");
        c.queue().add("b");
        c.queue().add("a");
        runtime.runUntilIdle();
        assertEquals(List.of(), synced, "not before the caches synced");

        cachesSynced.complete(null);
        runtime.runUntilIdle();

        assertEquals(List.of("a", "b"), synced);
    }

    @Test
    void aWorkerSyncsABatchOfReadyKeysPerTurnThenLetsOtherWorkRun() {
        Controller<String> c = new Controller<>("test", runtime, new WorkQueue<>("test", runtime), 1, key -> {
            synced.add(key);
            return Result.done();
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < Controller.BATCH + 4; i++) c.queue().add("k" + i);
        c.start();
        runtime.executor().execute(() -> synced.add("other work")); // queued on the pool after the worker's first turn
        runtime.runUntilIdle();

        for (int i = 0; i < Controller.BATCH; i++) expected.add("k" + i);
        expected.add("other work");
        for (int i = Controller.BATCH; i < Controller.BATCH + 4; i++) expected.add("k" + i);
        assertEquals(expected, synced);
    }

    @Test
    void aFailingSyncIsRetriedWithBackOffAndForgottenOnSuccess() {
        AtomicInteger attempts = new AtomicInteger();
        List<Duration> at = new ArrayList<>();
        var start = runtime.clock().instant();
        Controller<String> c = controller(key -> {
            at.add(Duration.between(start, runtime.clock().instant()));
            if (attempts.incrementAndGet() < 4) throw StatusException.conflict("", "pods", key, "the object has been modified");
            return Result.done();
        });
        c.start();
        c.queue().add("a");
        runtime.runUntilIdle();
        runtime.advance(Duration.ofSeconds(1));

        // 5 ms, then 10 ms, then 20 ms later
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(15), Duration.ofMillis(35)), at);
        assertEquals(0, c.queue().numRequeues("a"), "success forgets the back-off");
    }

    @Test
    void aSyncCanAskToLookAgainLater() {
        AtomicInteger runs = new AtomicInteger();
        Controller<String> c = controller(key -> runs.incrementAndGet() < 3 ? Result.requeueAfter(Duration.ofSeconds(10)) : Result.done());
        c.start();
        c.queue().add("a");
        runtime.runUntilIdle();
        assertEquals(1, runs.get());
        runtime.advance(Duration.ofSeconds(9));
        assertEquals(1, runs.get());
        runtime.advance(Duration.ofSeconds(1));
        assertEquals(2, runs.get());
        runtime.advance(Duration.ofMinutes(5));
        assertEquals(3, runs.get());
    }

    @Test
    void bugsInSyncAreRetriedToo() {
        AtomicInteger runs = new AtomicInteger();
        Controller<String> c = controller(key -> {
            if (runs.incrementAndGet() == 1) throw new NullPointerException("a bug (expected in this test)");
            return Result.done();
        });
        c.start();
        c.queue().add("a");
        runtime.advance(Duration.ofMillis(5));
        assertEquals(2, runs.get());
    }

    @Test
    void closeStopsTakingKeys() {
        Controller<String> c = controller(key -> {
            synced.add(key);
            return Result.done();
        });
        c.start();
        c.close();
        c.queue().add("a");
        runtime.runUntilIdle();
        assertEquals(List.of(), synced);
    }

    @Test
    void workersRunInParallelButNeverTwoOnOneKey() throws Exception {
        try (SystemRuntime system = SystemRuntime.start(new SystemClusterClock(), 2)) {
            ConcurrentHashMap<String, AtomicInteger> inside = new ConcurrentHashMap<>();
            AtomicInteger overlapsOnAKey = new AtomicInteger();
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            AtomicInteger runsOfA = new AtomicInteger();
            CountDownLatch aStarted = new CountDownLatch(1);
            CountDownLatch releaseA = new CountDownLatch(1);
            CountDownLatch bDone = new CountDownLatch(1);
            CountDownLatch aTwice = new CountDownLatch(2);
            WorkQueue<String> queue = new WorkQueue<>("parallel", system);
            Controller<String> c = new Controller<>("parallel", system, queue, 2, key -> {
                if (inside.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) overlapsOnAKey.incrementAndGet();
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    if (key.equals("a") && runsOfA.incrementAndGet() == 1) {
                        aStarted.countDown();
                        assertTrue(releaseA.await(10, TimeUnit.SECONDS));
                    }
                    if (key.equals("b")) bDone.countDown();
                } finally {
                    concurrent.decrementAndGet();
                    inside.get(key).decrementAndGet();
                }
                if (key.equals("a")) aTwice.countDown();
                return Result.done();
            });
            c.start();
            queue.add("a");
            assertTrue(aStarted.await(10, TimeUnit.SECONDS));
            queue.add("a"); // while a is processed: must wait for it
            queue.add("b"); // the second worker takes it meanwhile
            assertTrue(bDone.await(10, TimeUnit.SECONDS), "b ran while a was still being processed");
            releaseA.countDown();
            assertTrue(aTwice.await(10, TimeUnit.SECONDS), "a ran again after it was done");
            assertEquals(0, overlapsOnAKey.get());
            assertEquals(2, maxConcurrent.get());
            c.close();
        }
    }
}
