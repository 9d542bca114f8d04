package kubefake.client.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How events write time: metav1.Time (seconds), metav1.MicroTime (microseconds), and the name suffix. */
final class EventTimes {
    private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EventTimes() {
    }

    /** RFC 3339 to the second, as Go writes a metav1.Time. */
    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** RFC 3339 with six fractional digits, as Go writes a metav1.MicroTime. */
    static String microTime(Instant t) {
        return MICRO.format(t);
    }

    /** An event's name: the object's name and the time in hexadecimal nanoseconds ({@code %v.%x} of UnixNano). */
    static String eventName(String objectName, Instant t) {
        return objectName + "." + Long.toHexString(nanos(t));
    }

    /** Nanoseconds since the epoch (Go's UnixNano). */
    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The instant {@link #nanos} gave. */
    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    /** The name one nanosecond later (for a name already taken). */
    static String nextName(String eventName) {
        int dot = eventName.lastIndexOf('.');
        long nanos = Long.parseUnsignedLong(eventName.substring(dot + 1), 16);
        return eventName.substring(0, dot + 1) + Long.toHexString(nanos + 1);
    }
}
