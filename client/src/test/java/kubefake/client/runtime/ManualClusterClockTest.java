package kubefake.client.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManualClusterClockTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final ManualClusterClock clock = new ManualClusterClock(T0);
    private final List<String> ran = new ArrayList<>();

    @Test
    void standsStillUntilAdvanced() {
        assertEquals(T0, clock.instant());
        assertEquals(T0.toEpochMilli(), clock.millis());
        clock.advance(Duration.ofSeconds(90));
        assertEquals(T0.plusSeconds(90), clock.instant());
    }

    @Test
    void runsDueTasksInTimeOrderReadingTheirDueTime() {
        clock.schedule(Duration.ofSeconds(3), () -> ran.add("c@" + clock.instant()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + clock.instant()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("b@" + clock.instant()));
        clock.schedule(Duration.ofSeconds(10), () -> ran.add("late"));

        clock.advance(Duration.ofSeconds(5));

        assertEquals(List.of("a@" + T0.plusSeconds(1), "b@" + T0.plusSeconds(1), "c@" + T0.plusSeconds(3)), ran);
        assertEquals(T0.plusSeconds(5), clock.instant());
        assertEquals(1, clock.scheduledTasks());
        assertEquals(T0.plusSeconds(10), clock.nextDue().orElseThrow());
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        clock.schedule(Duration.ofSeconds(1), () -> {
            ran.add("first");
            clock.schedule(Duration.ofSeconds(1), () -> ran.add("second@" + clock.instant()));
            clock.schedule(Duration.ofSeconds(10), () -> ran.add("too late"));
        });
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("first", "second@" + T0.plusSeconds(2)), ran);
    }

    @Test
    void cancelledTasksDoNotRun() {
        Cancellable c = clock.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("kept"));
        assertTrue(c.cancel());
        assertFalse(c.cancel());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("kept"), ran);
    }

    @Test
    void negativeDelayIsNowAndTimeNeverGoesBack() {
        clock.schedule(Duration.ofSeconds(-5), () -> ran.add("now@" + clock.instant()));
        assertTrue(clock.runNextDue(clock.instant()));
        assertEquals(List.of("now@" + T0), ran);
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void isUtcAndCanBeViewedInAnotherZone() {
        assertEquals(java.time.ZoneOffset.UTC, clock.getZone());
        var tokyo = clock.withZone(java.time.ZoneId.of("Asia/Tokyo"));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(clock.instant(), tokyo.instant());
    }
}
