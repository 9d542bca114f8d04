package kubefake.client.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdvanceableClusterClockTest {

    @Test
    void advancingRunsWhatBecameDueAndLeavesTheRest() throws Exception {
        AdvanceableClusterClock clock = new AdvanceableClusterClock();
        Instant before = clock.instant();
        CountDownLatch inAnHour = new CountDownLatch(1);
        AtomicBoolean inADay = new AtomicBoolean();
        clock.schedule(Duration.ofHours(1), inAnHour::countDown);
        clock.schedule(Duration.ofDays(1), () -> inADay.set(true));

        clock.advance(Duration.ofMinutes(61));

        assertTrue(inAnHour.await(10, TimeUnit.SECONDS), "the task due in an hour ran after the clock moved 61 minutes");
        assertFalse(inADay.get(), "the task due tomorrow waits");
        assertFalse(clock.instant().isBefore(before.plus(Duration.ofMinutes(61))));
    }

    @Test
    void aCancelledTaskDoesNotRunWhenItsTimeComes() throws Exception {
        AdvanceableClusterClock clock = new AdvanceableClusterClock();
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable c = clock.schedule(Duration.ofMinutes(5), () -> ran.set(true));
        assertTrue(c.cancel());
        CountDownLatch later = new CountDownLatch(1);
        clock.schedule(Duration.ofMinutes(6), later::countDown);
        clock.advance(Duration.ofMinutes(10));
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertFalse(ran.get());
    }

    @Test
    void timeDoesNotGoBack() {
        assertThrows(IllegalArgumentException.class, () -> new AdvanceableClusterClock().advance(Duration.ofSeconds(-1)));
    }
}
