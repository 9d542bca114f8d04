package kubefake.server.printers;

import java.time.Duration;

/**
 * Kubernetes' {@code duration.HumanDuration}: a duration with about two significant figures, as
 * in kubectl's AGE column ({@code 45s}, {@code 2m30s}, {@code 15m}, {@code 5h10m}, {@code 3d4h},
 * {@code 2y30d}). Up to two seconds in the future still reads as {@code 0s} (clock skew); further
 * ahead is {@code <invalid>}.
 */
public final class HumanDuration {

    private HumanDuration() {
    }

    public static String format(Duration d) {
        // Go truncates toward zero here: -1.9s counts as -1s, hence "0s".
        long seconds = d.toMillis() / 1000;
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        long days = hours / 24;
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? days + "d" : days + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) {
            return days + "d";
        }
        long years = days / 365;
        if (hours < 24 * 365 * 8) {
            long dy = days % 365;
            return dy == 0 ? years + "y" : years + "y" + dy + "d";
        }
        return years + "y";
    }
}
