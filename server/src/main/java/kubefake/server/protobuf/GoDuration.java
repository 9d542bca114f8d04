package kubefake.server.protobuf;

/**
 * Go's {@code time.Duration} text: {@link #format} as {@code Duration.String()} writes it ("1h0m0s", "1.5s", "250ms",
 * "0s"), {@link #parse} as {@code time.ParseDuration} reads it.
 */
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

    /** Nanoseconds of a Go duration text such as "1h30m", "-1.5s" or "300ms"; throws on text Go would refuse. */
    static long parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> MICROSECOND;
                case "ms" -> MILLISECOND;
                case "s" -> SECOND;
                case "m" -> 60 * SECOND;
                case "h" -> 3600 * SECOND;
                default -> throw new IllegalArgumentException("time: unknown unit in duration \"" + text + "\"");
            };
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            total = total.add(new java.math.BigDecimal(number).multiply(java.math.BigDecimal.valueOf(unit))
                    .setScale(0, java.math.RoundingMode.DOWN));
        }
        if (total.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        return negative ? -total.longValue() : total.longValue();
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
