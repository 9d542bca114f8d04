package kubefake.client.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production runtime on real threads and real time: every wait is bounded, none is a fixed sleep. */
class SystemRuntimeTest {
    private final SystemRuntime runtime = SystemRuntime.start(new SystemClusterClock(), 2);

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void runsWorkOnASmallPoolOfDaemonThreads() throws Exception {
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            runtime.executor().execute(() -> {
                assertTrue(Thread.currentThread().isDaemon());
                names.add(Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(names.size() <= 2, names::toString);
        assertTrue(names.stream().allMatch(n -> n.matches("cluster-\\d+-worker-\\d")), names::toString);
        assertEquals(2, runtime.threads());
    }

    @Test
    void aTaskWaitingOutsideTheProcessLeavesItsThreadToTheOthers() throws Exception {
        // as a write waiting for its fsync: every pool thread waits, and the work queued behind them still runs
        try (SystemRuntime one = SystemRuntime.start(new SystemClusterClock(), 1)) {
            CountDownLatch released = new CountDownLatch(1);
            CountDownLatch waited = new CountDownLatch(1);
            one.executor().execute(() -> {
                try {
                    java.util.concurrent.ForkJoinPool.managedBlock(new java.util.concurrent.ForkJoinPool.ManagedBlocker() {
                        @Override
                        public boolean block() throws InterruptedException {
                            released.await();
                            return true;
                        }

                        @Override
                        public boolean isReleasable() {
                            return released.getCount() == 0;
                        }
                    });
                    waited.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            one.executor().execute(released::countDown);
            assertTrue(waited.await(10, TimeUnit.SECONDS), "the task queued behind the waiting one never ran");
            assertEquals(1, one.threads());
        }
    }

    @Test
    void aFailingTaskDoesNotStopThePool() throws Exception {
        CountDownLatch after = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            runtime.executor().execute(() -> { throw new IllegalStateException("a bug in a task (expected in this test)"); });
            runtime.executor().execute(after::countDown);
        }
        assertTrue(after.await(10, TimeUnit.SECONDS));
    }

    @Test
    void workRunSoonRunsOnThePoolOnRealTimeEvenWhenTheClusterClockStands() throws Exception {
        try (SystemRuntime manualClock = SystemRuntime.start(new ManualClusterClock(java.time.Instant.EPOCH), 2)) {
            CompletableFuture<String> ran = new CompletableFuture<>();
            manualClock.executeSoon(() -> ran.complete(Thread.currentThread().getName()));
            String thread = ran.get(10, TimeUnit.SECONDS);
            assertTrue(thread.contains("-worker-"), thread);
            manualClock.close();
            manualClock.executeSoon(() -> { }); // a closed runtime drops it rather than throwing
        }
    }

    @Test
    void scheduledWorkRunsOnThePoolAfterItsDelayUnlessCancelled() throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        AtomicBoolean cancelledRan = new AtomicBoolean();
        long start = System.nanoTime();
        // the cancelled task is due late enough that a busy machine cannot run it before cancel() is reached
        Cancellable cancelled = runtime.schedule(Duration.ofMillis(200), () -> cancelledRan.set(true));
        runtime.schedule(Duration.ofMillis(300), () -> ran.complete(Thread.currentThread().getName()));
        assertTrue(cancelled.cancel());

        String thread = ran.get(10, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(thread.contains("-worker-"), thread);
        assertFalse(cancelledRan.get());
    }

    @Test
    void workScheduledForALaneRunsInTheLanesOrderAfterItsDelayUnlessCancelled() throws Exception {
        SerialExecutor lane = new SerialExecutor(runtime);
        java.util.List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CompletableFuture<String> ran = new CompletableFuture<>();
        AtomicBoolean cancelledRan = new AtomicBoolean();
        long start = System.nanoTime();
        Cancellable cancelled = runtime.schedule(Duration.ofMillis(200), lane, () -> cancelledRan.set(true));
        runtime.schedule(Duration.ofMillis(300), lane, () -> {
            order.add("scheduled");
            ran.complete(Thread.currentThread().getName());
        });
        assertTrue(cancelled.cancel());
        lane.execute(() -> order.add("queued at once"));

        String thread = ran.get(10, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
        assertTrue(thread.contains("-worker-"), thread);
        assertEquals(java.util.List.of("queued at once", "scheduled"), order);
        assertFalse(cancelledRan.get());
    }

    @Test
    void awaitBlocksUntilDoneOrTimeOutAndRefusesToBlockThePool() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        runtime.schedule(Duration.ofMillis(20), () -> f.complete(null));
        assertTrue(runtime.await(f, Duration.ofSeconds(10)));
        assertFalse(runtime.await(new CompletableFuture<>(), Duration.ofMillis(20)));

        CompletableFuture<Throwable> fromPool = new CompletableFuture<>();
        runtime.executor().execute(() -> {
            try {
                runtime.await(new CompletableFuture<>(), Duration.ofSeconds(1));
                fromPool.complete(null);
            } catch (IllegalStateException e) {
                fromPool.complete(e);
            }
        });
        assertTrue(fromPool.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
    }

    @Test
    void closeLetsRunningWorkFinishCancelsScheduledWorkAndDropsLaterWork() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        runtime.executor().execute(() -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("running");
        });
        // not due before close even on a loaded machine (at 50 ms it fell due first once, at load 40)
        runtime.schedule(Duration.ofSeconds(30), () -> ran.add("scheduled"));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        release.countDown();

        runtime.close();

        assertEquals(List.of("running"), ran);
        runtime.executor().execute(() -> ran.add("after close")); // dropped, not thrown
        runtime.schedule(Duration.ZERO, () -> ran.add("scheduled after close"));
        runtime.close(); // idempotent
        assertEquals(List.of("running"), ran);
    }
}
