package kubefake.store.registry;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Times as the API writes them (metav1.Time: RFC 3339 to the second, UTC). Every write stamps the second it happens
 * in (creationTimestamp, managedFields' time): the text of the latest second is kept and reused.
 */
public final class Timestamps {
    private record Formatted(long second, String text) {
    }

    private static volatile Formatted latest = new Formatted(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    /** {@code t} to the second, as {@code 2026-12-07T16:40:00Z}. */
    public static String seconds(Instant t) {
        Formatted f = latest;
        long second = t.getEpochSecond();
        if (f.second() != second) {
            f = new Formatted(second, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second)));
            latest = f;
        }
        return f.text();
    }
}
