package kubefake.client.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerialExecutorTest {

    @Test
    void runsTasksOneAtATimeInOrderOnAPool() throws Exception {
        try (SystemRuntime runtime = SystemRuntime.start(new SystemClusterClock(), 2)) {
            SerialExecutor lane = new SerialExecutor(runtime.executor());
            List<Integer> seen = new ArrayList<>(); // not thread-safe on purpose: the lane must serialise
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                int n = i;
                lane.execute(() -> {
                    if (inside.incrementAndGet() > 1) overlaps.incrementAndGet();
                    seen.add(n);
                    inside.decrementAndGet();
                    done.countDown();
                });
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(0, overlaps.get());
            for (int i = 0; i < 1000; i++) assertEquals(i, seen.get(i));
        }
    }

    @Test
    void yieldsAfterABatchSoOtherWorkInterleaves() {
        ManualRuntime runtime = new ManualRuntime();
        SerialExecutor lane = new SerialExecutor(runtime.executor());
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 100; i++) lane.execute(() -> ran.add("lane"));
        runtime.executor().execute(() -> ran.add("other"));
        runtime.runUntilIdle();
        assertEquals(101, ran.size());
        assertTrue(ran.indexOf("other") < 100, "the other task ran before the lane's last tasks");
    }

    @Test
    void aFailingTaskDoesNotStallTheLane() {
        ManualRuntime runtime = new ManualRuntime().tolerateFailures();
        SerialExecutor lane = new SerialExecutor(runtime.executor());
        List<String> ran = new ArrayList<>();
        lane.execute(() -> { throw new IllegalStateException("expected in this test"); });
        lane.execute(() -> ran.add("next"));
        runtime.runUntilIdle();
        assertEquals(List.of("next"), ran);
        assertEquals(1, runtime.failures().size());
        assertEquals(0, lane.pending());
    }

    @Test
    void urgentTasksRunBeforeTheLanesOthersAndBeforeOtherLanesQueuedWork() throws Exception {
        try (SystemRuntime runtime = SystemRuntime.start(new SystemClusterClock(), 1)) {
            List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            // the pool's one thread is busy: what follows queues behind it (once it holds: a pool thread that has not
            // started yet would run the urgent tasks queued meanwhile before the holding task, as it should)
            runtime.executor().execute(() -> {
                holding.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            SerialExecutor other = new SerialExecutor(runtime);
            for (int i = 0; i < 3; i++) other.execute(() -> ran.add("other lane"));
            SerialExecutor lane = new SerialExecutor(runtime);
            lane.execute(() -> ran.add("pods"));
            lane.executeUrgent(() -> ran.add("heartbeat 1"));
            lane.executeUrgent(() -> ran.add("heartbeat 2"));
            CountDownLatch done = new CountDownLatch(1);
            other.execute(done::countDown);
            hold.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            // the lane's own order among its urgent tasks, then its others; the other lane queued first comes after
            assertEquals(List.of("heartbeat 1", "heartbeat 2", "pods"), ran.subList(0, 3));
            assertEquals(6, ran.size());
            assertEquals(0, lane.pending());
        }
    }

    @Test
    void onAManualRuntimeUrgentTasksStillGoFirstWithinTheLane() {
        ManualRuntime runtime = new ManualRuntime();
        SerialExecutor lane = new SerialExecutor(runtime);
        List<String> ran = new ArrayList<>();
        lane.execute(() -> ran.add("pods"));
        lane.executeUrgent(() -> ran.add("heartbeat"));
        runtime.runUntilIdle();
        assertEquals(List.of("heartbeat", "pods"), ran);
    }
}
