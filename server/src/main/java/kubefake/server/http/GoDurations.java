package kubefake.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration}: a signed sequence of decimal numbers, each with an optional fraction and a unit
 * ({@code ns us µs μs ms s m h}), such as {@code 60s}, {@code 1m30s} or {@code 1.5h}; its error messages word for word
 * (the API server puts them in the 400 for a bad {@code ?timeout=}).
 */
public final class GoDurations {
    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    /** 1 << 63, the magnitude of the most negative duration, as an unsigned value. */
    private static final long LIMIT = Long.MIN_VALUE;

    private GoDurations() {
    }

    /** The duration, or IllegalArgumentException with Go's message ({@code time: invalid duration "x"}). */
    public static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return Duration.ZERO;
        if (s.isEmpty()) throw invalid(text);
        long total = 0; // unsigned nanoseconds
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '.' && !digit(c)) throw invalid(text);
            int start = i;
            long whole = 0;
            while (i < s.length() && digit(s.charAt(i))) {
                // more than 1 << 63 nanoseconds of anything overflows
                if (Long.compareUnsigned(whole, Long.divideUnsigned(LIMIT, 10)) > 0) throw invalid(text);
                whole = whole * 10 + (s.charAt(i) - '0');
                if (Long.compareUnsigned(whole, LIMIT) > 0) throw invalid(text);
                i++;
            }
            boolean before = i > start;
            long fraction = 0;
            double scale = 1;
            boolean after = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                boolean overflow = false;
                while (i < s.length() && digit(s.charAt(i))) {
                    if (!overflow) {
                        if (Long.compareUnsigned(fraction, Long.MAX_VALUE / 10) > 0) {
                            overflow = true; // further digits are consumed but no longer count
                        } else {
                            long next = fraction * 10 + (s.charAt(i) - '0');
                            if (Long.compareUnsigned(next, LIMIT) > 0) {
                                overflow = true;
                            } else {
                                fraction = next;
                                scale *= 10;
                            }
                        }
                    }
                    i++;
                }
                after = i > fractionStart;
            }
            if (!before && !after) throw invalid(text);
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !digit(s.charAt(i))) i++;
            if (i == unitStart) throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            String unitName = s.substring(unitStart, i);
            Long unit = UNITS.get(unitName);
            if (unit == null) {
                throw new IllegalArgumentException("time: unknown unit " + quote(unitName) + " in duration " + quote(text));
            }
            if (Long.compareUnsigned(whole, Long.divideUnsigned(LIMIT, unit)) > 0) throw invalid(text);
            long value = whole * unit;
            if (fraction > 0) {
                value += (long) (fraction * (unit / scale));
                if (Long.compareUnsigned(value, LIMIT) > 0) throw invalid(text);
            }
            total += value;
            if (Long.compareUnsigned(total, LIMIT) > 0) throw invalid(text);
        }
        if (negative) return Duration.ofNanos(-total);
        if (total == LIMIT) throw invalid(text);
        return Duration.ofNanos(total);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    /** Go time's quote: double quotes, `"` and `\` escaped, control and non-ASCII bytes as \xNN. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c >= 0x80) {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append("\\x").append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                }
                i = end - 1;
            } else {
                if (c == '"' || c == '\\') out.append('\\');
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
