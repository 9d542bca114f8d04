package kubefake.client.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManualRuntimeTest {
    private final ManualRuntime runtime = new ManualRuntime();
    private final Instant t0 = runtime.clock().instant();
    private final List<String> ran = new ArrayList<>();

    @Test
    void queuedWorkWaitsForRunUntilIdleAndRunsWhatItQueues() {
        runtime.executor().execute(() -> {
            ran.add("a");
            runtime.executor().execute(() -> ran.add("c"));
        });
        runtime.executor().execute(() -> ran.add("b"));
        assertEquals(List.of(), ran);
        assertEquals(2, runtime.queuedTasks());

        assertEquals(3, runtime.runUntilIdle());

        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(t0, runtime.clock().instant(), "running work does not move time");
    }

    @Test
    void scheduledWorkRunsOnTheExecutorWhenTimeReachesIt() {
        runtime.schedule(Duration.ofSeconds(2), () -> ran.add("at " + Duration.between(t0, runtime.clock().instant())));
        runtime.runUntilIdle();
        runtime.advance(Duration.ofMillis(1999));
        assertEquals(List.of(), ran);
        runtime.advance(Duration.ofMillis(1));
        assertEquals(List.of("at PT2S"), ran);
    }

    @Test
    void zeroDelayRunsInTheNextRunUntilIdle() {
        runtime.schedule(Duration.ZERO, () -> ran.add("now"));
        runtime.runUntilIdle();
        assertEquals(List.of("now"), ran);
    }

    @Test
    void advanceRunsEachTasksWorkBeforeTimeMovesOn() {
        // a task at 1 s queues work that schedules something at 1.5 s: it must run before the task at 2 s
        runtime.schedule(Duration.ofSeconds(1), () -> {
            ran.add("1s");
            runtime.schedule(Duration.ofMillis(500), () -> ran.add("1.5s@" + runtime.clock().instant()));
        });
        runtime.schedule(Duration.ofSeconds(2), () -> ran.add("2s"));

        runtime.advance(Duration.ofSeconds(3));

        assertEquals(List.of("1s", "1.5s@" + t0.plusMillis(1500), "2s"), ran);
        assertEquals(t0.plusSeconds(3), runtime.clock().instant());
    }

    @Test
    void everyRunsOncePerPeriodUntilCancelled() {
        Cancellable c = runtime.every(Duration.ofMinutes(1), () -> ran.add(Duration.between(t0, runtime.clock().instant()).toString()));
        runtime.advance(Duration.ofMinutes(3));
        assertEquals(List.of("PT1M", "PT2M", "PT3M"), ran);
        c.cancel();
        runtime.advance(Duration.ofMinutes(5));
        assertEquals(3, ran.size());
        assertThrows(IllegalArgumentException.class, () -> runtime.every(Duration.ZERO, () -> { }));
    }

    @Test
    void aFailingTaskFailsTheTestAfterTheOthersRan() {
        RuntimeException boom = new RuntimeException("boom");
        runtime.executor().execute(() -> { throw boom; });
        runtime.executor().execute(() -> ran.add("after"));
        IllegalStateException e = assertThrows(IllegalStateException.class, runtime::runUntilIdle);
        assertSame(boom, e.getCause());
        assertEquals(List.of("after"), ran);
        runtime.runUntilIdle(); // reported once
    }

    @Test
    void failuresCanBeTolerated() {
        runtime.tolerateFailures();
        runtime.executor().execute(() -> { throw new IllegalArgumentException("x"); });
        runtime.reportFailure("handler", new IllegalStateException("y"));
        runtime.runUntilIdle();
        assertEquals(2, runtime.failures().size());
    }

    @Test
    void workThatRequeuesItselfForeverFailsInsteadOfHanging() {
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> runtime.executor().execute(loop[0]);
        runtime.executor().execute(loop[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class, runtime::runUntilIdle);
        assertTrue(e.getMessage().contains("requeues itself"), e.getMessage());
    }

    @Test
    void awaitRunsQueuedWorkInsteadOfBlocking() {
        CompletableFuture<String> f = new CompletableFuture<>();
        runtime.executor().execute(() -> f.complete("done"));
        assertTrue(runtime.await(f, Duration.ofDays(1)));
        assertFalse(runtime.await(new CompletableFuture<>(), Duration.ofDays(1)));
    }

    @Test
    void closedRuntimeDropsWork() {
        runtime.executor().execute(() -> ran.add("dropped"));
        runtime.close();
        runtime.executor().execute(() -> ran.add("ignored"));
        runtime.runUntilIdle();
        assertEquals(List.of(), ran);
    }
}
