package kubefake.nodesim.kubelet;

import kubefake.client.runtime.Cancellable;
import kubefake.client.runtime.ManualRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kubelets' one heartbeat timer: each member beats every period, spread by when it joined. */
class HeartbeatWheelTest {
    private final ManualRuntime runtime = new ManualRuntime();
    private final HeartbeatWheel wheel = new HeartbeatWheel(runtime, Duration.ofSeconds(10), Duration.ofMillis(100));
    private final Instant start = runtime.clock().instant();

    @AfterEach
    void close() {
        runtime.close();
    }

    private Duration since() {
        return Duration.between(start, runtime.clock().instant());
    }

    @Test
    void aMemberBeatsEveryPeriodFromWhenItJoined() {
        List<Duration> beats = new ArrayList<>();
        wheel.every(() -> beats.add(since()));
        runtime.advance(Duration.ofSeconds(35));
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30)), beats);
    }

    @Test
    void membersThatJoinLaterBeatLaterWithinOneTick() {
        List<Duration> beats = new ArrayList<>();
        wheel.every(() -> beats.add(Duration.ZERO)); // keeps the wheel turning
        runtime.advance(Duration.ofMillis(3_250));
        List<Duration> late = new ArrayList<>();
        wheel.every(() -> late.add(since()));
        runtime.advance(Duration.ofSeconds(20));
        assertEquals(2, late.size(), late::toString);
        // joined at 3.25 s: beats a period later, at most one tick early (on the tick of 13.2 s), then every 10 s
        assertTrue(late.get(0).compareTo(Duration.ofMillis(13_150)) > 0 && late.get(0).compareTo(Duration.ofMillis(13_250)) <= 0,
                late::toString);
        assertEquals(Duration.ofSeconds(10), late.get(1).minus(late.get(0)));
    }

    @Test
    void aCancelledMemberBeatsNoMoreAndAnEmptyWheelStops() {
        List<Duration> beats = new ArrayList<>();
        Cancellable member = wheel.every(() -> beats.add(since()));
        runtime.advance(Duration.ofSeconds(15));
        assertTrue(member.cancel());
        runtime.advance(Duration.ofSeconds(30));
        assertEquals(List.of(Duration.ofSeconds(10)), beats);
        assertEquals(0, runtime.runUntilIdle(), "nothing left to do");

        // a member that joins the stopped wheel starts it again
        wheel.every(() -> beats.add(since()));
        runtime.advance(Duration.ofSeconds(10));
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(55)), beats);
    }

    @Test
    void theTimerWakesOnlyForTheTicksOfItsMembers() {
        List<Duration> beats = new ArrayList<>();
        wheel.every(() -> beats.add(since()));
        runtime.advance(Duration.ofMillis(2_500));
        wheel.every(() -> beats.add(since()));
        // an idle wheel's next wake-up is its next beat, not its next tick
        assertEquals(Optional.of(start.plusSeconds(10)), runtime.clock().nextDue());
        runtime.advance(Duration.ofMillis(7_600));
        assertEquals(Optional.of(start.plusMillis(12_500)), runtime.clock().nextDue());
        runtime.advance(Duration.ofSeconds(10));
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofMillis(12_500), Duration.ofSeconds(20)), beats);
        assertEquals(Optional.of(start.plusMillis(22_500)), runtime.clock().nextDue());
    }

    @Test
    void thePeriodIsAWholeNumberOfTicks() {
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatWheel(runtime, Duration.ofSeconds(10), Duration.ofMillis(300)));
    }
}
