package kubefake.nodesim;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Go writes and parses them ({@code 1.5s}, {@code 100ms}, {@code 5m0s}): in profiles and in messages. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    /** Go's {@code time.ParseDuration} (without signs): {@code 300ms}, {@code 1.5s}, {@code 2m30s}, {@code 0}. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.equals("0")) return Duration.ZERO;
        Matcher m = PART.matcher(s);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) throw new IllegalArgumentException("not a duration (e.g. 1.5s, 300ms, 2m): " + text);
            BigDecimal n = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(n.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0) throw new IllegalArgumentException("not a duration (e.g. 1.5s, 300ms, 2m): " + text);
        return Duration.ofNanos(nanos.longValue());
    }

    /** Go's {@code Duration.String()}: {@code 0s}, {@code 500ms}, {@code 1.234s}, {@code 1m20s}, {@code 5m0s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) return "0s";
        boolean negative = nanos < 0;
        long u = Math.abs(nanos);
        String out;
        if (u < 1_000_000_000L) {
            if (u < 1_000L) out = u + "ns";
            else if (u < 1_000_000L) out = fraction(u, 1_000L) + "µs";
            else out = fraction(u, 1_000_000L) + "ms";
        } else {
            long hours = u / 3_600_000_000_000L;
            long minutes = u / 60_000_000_000L % 60;
            String seconds = fraction(u % 60_000_000_000L, 1_000_000_000L) + "s";
            if (hours > 0) out = hours + "h" + minutes + "m" + seconds;
            else if (minutes > 0) out = minutes + "m" + seconds;
            else out = seconds;
        }
        return negative ? "-" + out : out;
    }

    /** {@code value / unit} with the fraction's trailing zeros dropped, as Go prints it. */
    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) return Long.toString(whole);
        String digits = String.format("%0" + (Long.toString(unit).length() - 1) + "d", rest).replaceAll("0+$", "");
        return whole + "." + digits;
    }

    /** The duration truncated to a multiple of {@code unit} (Go's {@code Truncate}). */
    public static Duration truncate(Duration d, Duration unit) {
        long u = unit.toNanos();
        return Duration.ofNanos(d.toNanos() / u * u);
    }
}
