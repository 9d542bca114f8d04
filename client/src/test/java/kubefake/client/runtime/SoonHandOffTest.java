package kubefake.client.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timer thread of executeSoon: every hand-off runs, in order, after sleeping idle too; none once closed. */
class SoonHandOffTest {
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final SoonHandOff soon = new SoonHandOff("test-soon", Duration.ofMillis(1), failures::add);

    @AfterEach
    void close() {
        soon.close();
    }

    @Test
    void runsEveryHandOffOfABurstInOrderOnItsThread() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            soon.execute(() -> {
                ran.add(n);
                threads.add(Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 1000; i++) assertEquals(i, ran.get(i));
        assertTrue(threads.stream().allMatch("test-soon"::equals), threads.get(0));
    }

    @Test
    void wakesForAHandOffQueuedAfterItWentIdle() throws Exception {
        for (int round = 0; round < 20; round++) {
            CountDownLatch done = new CountDownLatch(1);
            soon.execute(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS), "round " + round);
            // some rounds queue while the thread still waits out its period, the others once it sleeps idle
            Thread.sleep(round % 4);
        }
    }

    @Test
    void aFailingHandOffIsReportedAndTheOthersStillRun() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        soon.execute(() -> { throw new IllegalStateException("a bug in a hand-off (expected in this test)"); });
        soon.execute(after::countDown);
        assertTrue(after.await(10, TimeUnit.SECONDS));
        assertEquals(1, failures.size());
    }

    @Test
    void dropsHandOffsOnceClosed() throws Exception {
        soon.close();
        CountDownLatch ran = new CountDownLatch(1);
        soon.execute(ran::countDown);
        assertEquals(false, ran.await(50, TimeUnit.MILLISECONDS));
    }
}
