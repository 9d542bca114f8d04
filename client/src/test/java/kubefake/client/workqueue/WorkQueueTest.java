package kubefake.client.workqueue;

import kubefake.client.runtime.ManualRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkQueueTest {
    private final ManualRuntime runtime = new ManualRuntime();
    private final WorkQueue<String> queue = new WorkQueue<>("test", runtime);

    @Test
    void aKeyQueuedTwiceIsTakenOnceInFirstQueuedOrder() {
        queue.add("a");
        queue.add("b");
        queue.add("a");
        assertEquals(2, queue.len());
        assertEquals("a", queue.poll());
        assertEquals("b", queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void aKeyQueuedWhileProcessingComesBackOnceDone() {
        queue.add("a");
        assertEquals("a", queue.poll());
        assertTrue(queue.isProcessing("a"));
        queue.add("a");
        queue.add("a");
        assertEquals(0, queue.len(), "not handed to a second worker while processed");
        assertNull(queue.poll());

        queue.done("a");

        assertFalse(queue.isProcessing("a"));
        assertEquals(1, queue.len());
        assertEquals("a", queue.poll());
        queue.done("a");
        assertNull(queue.poll(), "processed again once, not twice");
    }

    @Test
    void addAfterWaitsOnTheClusterClockAndKeepsTheEarlierTime() {
        queue.addAfter("a", Duration.ofSeconds(10));
        queue.addAfter("a", Duration.ofSeconds(3)); // earlier: wins
        queue.addAfter("a", Duration.ofSeconds(20)); // later: ignored
        assertEquals(1, queue.waitingCount());
        runtime.advance(Duration.ofMillis(2999));
        assertEquals(0, queue.len());
        runtime.advance(Duration.ofMillis(1));
        assertEquals(1, queue.len());
        assertEquals(0, queue.waitingCount());
        runtime.advance(Duration.ofSeconds(30));
        assertEquals(1, queue.len(), "the replaced timers do not add it again");
        queue.addAfter("b", Duration.ZERO);
        assertEquals(2, queue.len(), "no delay: queued at once");
    }

    @Test
    void rateLimitedRetriesBackOffExponentiallyPerKeyUntilForgotten() {
        long[] expectedMillis = {5, 10, 20, 40, 80};
        for (int i = 0; i < expectedMillis.length; i++) {
            assertEquals(Duration.ofMillis(expectedMillis[i]), queue.addRateLimited("a"));
            assertEquals(i + 1, queue.numRequeues("a"));
            runtime.advance(Duration.ofMillis(expectedMillis[i] - 1));
            assertEquals(0, queue.len(), "retry " + i + " too early");
            runtime.advance(Duration.ofMillis(1));
            assertEquals("a", queue.poll());
            queue.done("a");
        }
        assertEquals(Duration.ofMillis(5), queue.addRateLimited("b"), "back-off is per key");
        queue.forget("a");
        assertEquals(0, queue.numRequeues("a"));
        assertEquals(Duration.ofMillis(5), queue.addRateLimited("a"));
    }

    @Test
    void theReadyListenerHearsOfEachKeyThatBecomesReady() {
        AtomicInteger ready = new AtomicInteger();
        queue.setReadyListener(ready::incrementAndGet);
        queue.add("a");
        queue.add("a");
        assertEquals(1, ready.get());
        queue.poll();
        queue.add("a");
        assertEquals(1, ready.get(), "processing: not ready yet");
        queue.done("a");
        assertEquals(2, ready.get());
        queue.addAfter("b", Duration.ofSeconds(1));
        runtime.advance(Duration.ofSeconds(1));
        assertEquals(3, ready.get());
    }

    @Test
    void shutDownDropsEverythingAndIgnoresLaterAdds() {
        queue.add("a");
        queue.addAfter("b", Duration.ofSeconds(1));
        queue.shutDown();
        assertTrue(queue.isShuttingDown());
        assertNull(queue.poll());
        queue.add("c");
        queue.addAfter("d", Duration.ofSeconds(1));
        runtime.advance(Duration.ofSeconds(5));
        assertEquals(0, queue.len());
        assertEquals(0, queue.waitingCount());
        assertEquals(0, runtime.clock().scheduledTasks(), "the waiting timers were cancelled");
    }
}
