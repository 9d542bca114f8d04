package kubefake.nodesim.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** BusyBox's {@code uptime}: the time, how long the system is up, users and load, on one line. */
final class Uptime {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Uptime() {
    }

    /** The line at {@code now} for a system up since {@code since} (the container's start: the lab has no boot time). */
    static String line(Instant now, Instant since) {
        long minutes = Math.max(0, Duration.between(since, now).toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        StringBuilder b = new StringBuilder(" ").append(TIME.format(now)).append(" up ");
        if (days > 0) b.append(days).append(days == 1 ? " day, " : " days, ");
        if (hours > 0) b.append(String.format("%2d:%02d", hours, minutes % 60));
        else b.append(minutes % 60).append(" min");
        return b.append(",  0 users,  load average: 0.00, 0.00, 0.00").toString();
    }
}
