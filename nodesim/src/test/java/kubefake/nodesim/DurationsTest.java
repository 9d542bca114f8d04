package kubefake.nodesim;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Go's duration texts: what the kubelet's messages print and what profiles write. */
class DurationsTest {
    @Test
    void formatsAsGoDoes() {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("1.51s", Durations.format(Duration.ofMillis(1510)));
        assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
        assertEquals("1m20s", Durations.format(Duration.ofSeconds(80)));
        assertEquals("5m0s", Durations.format(Duration.ofMinutes(5)));
        assertEquals("2h0m0s", Durations.format(Duration.ofHours(2)));
        assertEquals("1.5µs", Durations.format(Duration.ofNanos(1500)));
        assertEquals("1.234s", Durations.format(Durations.truncate(Duration.ofNanos(1_234_567_891), Duration.ofMillis(1))));
    }

    @Test
    void parsesAsGoDoes() {
        assertEquals(Duration.ofMillis(300), Durations.parse("300ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(150), Durations.parse("2m30s"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("fast"));
    }
}
