package kubefake.server.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** time.ParseDuration's answers, values and error messages, as Go's own tests give them. */
class GoDurationsTest {

    @Test
    void parsesWhatGoParses() {
        assertEquals(Duration.ZERO, GoDurations.parse("0"));
        assertEquals(Duration.ofSeconds(60), GoDurations.parse("60s"));
        assertEquals(Duration.ofSeconds(90), GoDurations.parse("1m30s"));
        assertEquals(Duration.ofMinutes(90), GoDurations.parse("1.5h"));
        assertEquals(Duration.ofMillis(1), GoDurations.parse("1ms"));
        assertEquals(Duration.ofNanos(1500), GoDurations.parse("1.5us"));
        assertEquals(Duration.ofNanos(1500), GoDurations.parse("1.5\u00b5s"));
        assertEquals(Duration.ofNanos(1500), GoDurations.parse("1.5\u03bcs"));
        assertEquals(Duration.ofMillis(-1500), GoDurations.parse("-1.5s"));
        assertEquals(Duration.ofMillis(500), GoDurations.parse("+.5s"));
        assertEquals(Duration.ofSeconds(5), GoDurations.parse("5.s"));
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), GoDurations.parse("9223372036854775807ns"));
        assertEquals(Duration.ofNanos(Long.MIN_VALUE), GoDurations.parse("-9223372036854775808ns"));
        assertEquals(Duration.ofNanos(3_723_004_005_006L), GoDurations.parse("1h2m3s4ms5us6ns"));
    }

    @Test
    void refusesWithGosMessages() {
        assertMessage("time: invalid duration \"\"", "");
        assertMessage("time: invalid duration \"soon\"", "soon");
        assertMessage("time: invalid duration \"-\"", "-");
        assertMessage("time: invalid duration \".s\"", ".s");
        assertMessage("time: missing unit in duration \"5\"", "5");
        assertMessage("time: unknown unit \"d\" in duration \"3d\"", "3d");
        assertMessage("time: invalid duration \"9223372036854775808ns\"", "9223372036854775808ns");
        assertMessage("time: invalid duration \"3000000h\"", "3000000h");
        assertMessage("time: invalid duration \"\\\"1s\"", "\"1s");
        assertMessage("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"", "1\u00e9");
    }

    private static void assertMessage(String expected, String input) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> GoDurations.parse(input)).getMessage());
    }
}
