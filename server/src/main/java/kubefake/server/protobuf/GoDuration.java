package kubefake.server.protobuf;

/** Formats nanoseconds the way Go's {@code time.Duration.String()} does ("1h0m0s", "1.5s", "250ms", "0s"). */
final class GoDuration {

    private static final long MICROSECOND = 1_000L;
    private static final long MILLISECOND = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private GoDuration() {
    }

    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        // Work on the magnitude as an unsigned value so that Long.MIN_VALUE formats too.
        long magnitude = nanos < 0 ? -nanos : nanos;
        String sign = nanos < 0 ? "-" : "";
        if (Long.compareUnsigned(magnitude, SECOND) < 0) {
            if (magnitude < MICROSECOND) {
                return sign + magnitude + "ns";
            }
            if (magnitude < MILLISECOND) {
                return sign + withFraction(magnitude, MICROSECOND, 3) + "µs";
            }
            return sign + withFraction(magnitude, MILLISECOND, 6) + "ms";
        }
        long seconds = Long.divideUnsigned(magnitude, SECOND);
        String fraction = fraction(Long.remainderUnsigned(magnitude, SECOND), 9);
        StringBuilder out = new StringBuilder();
        out.append(seconds % 60).append(fraction).append('s');
        long minutes = seconds / 60;
        if (minutes > 0) {
            out.insert(0, (minutes % 60) + "m");
            long hours = minutes / 60;
            if (hours > 0) {
                out.insert(0, hours + "h");
            }
        }
        return sign + out;
    }

    private static String withFraction(long value, long unit, int digits) {
        return (value / unit) + fraction(value % unit, digits);
    }

    /** ".5" for 500000000 with 9 digits; "" when the fraction is zero (Go drops trailing zeros). */
    private static String fraction(long remainder, int digits) {
        if (remainder == 0) {
            return "";
        }
        String padded = String.format("%0" + digits + "d", remainder);
        int end = padded.length();
        while (padded.charAt(end - 1) == '0') {
            end--;
        }
        return "." + padded.substring(0, end);
    }
}
