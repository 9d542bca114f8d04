package kubefake.store.registry.fieldvalidation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The JSON form of apimachinery's {@code metav1.Time} and {@code metav1.MicroTime}: read with Go's
 * {@code time.Parse(time.RFC3339, s)} (or RFC3339 with exactly six fraction digits for MicroTime), written in UTC
 * to the second (to the microsecond). A text Go cannot parse gets its {@code time.ParseError} wording, e.g.
 * {@code parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"}.
 */
final class GoTime {

    static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");
    /** Go's zero time, which its Time types write as {@code null}. */
    private static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

    /** A failure of {@code time.Parse}, with Go's error text. */
    static final class ParseException extends Exception {
        ParseException(String message) {
            super(message, null, false, false);
        }
    }

    private GoTime() {
    }

    /** Parses as Go's {@code time.Parse} with the layout of Time ({@code micro} false) or MicroTime. */
    static Instant parse(String value, boolean micro) throws ParseException {
        return new Parser(value, micro ? RFC3339_MICRO : RFC3339).parse();
    }

    /**
     * Whether the text already has the form Go writes ({@code 2006-01-02T15:04:05Z}, with six fraction digits for
     * MicroTime), so that writing it back changes nothing: the common case, checked without parsing. A text of
     * that form with an impossible date is no time at all, and decoding refuses it before.
     */
    static boolean looksCanonical(String text, boolean micro) {
        int length = micro ? 27 : 20;
        if (text.length() != length || text.charAt(length - 1) != 'Z' || text.startsWith("0001-01-01T00:00:00")) {
            return false;
        }
        for (int i = 0; i < length - 1; i++) {
            char c = text.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                case 19 -> c == '.';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The text Go writes, or null for Go's zero time (written as JSON {@code null}). */
    static String format(Instant instant, boolean micro) {
        if (instant.equals(ZERO)) {
            return null;
        }
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            // Go writes such years too, but they never come from a parsed RFC3339 text
            return instant.toString();
        }
        return micro ? MICROS.format(utc.truncatedTo(ChronoUnit.MICROS)) : SECONDS.format(utc);
    }

    /** Go's general {@code time.parse} for the two layouts, chunk by chunk, with its error texts. */
    private static final class Parser {
        private final String input;
        private final String layout;
        private String value;
        private int year;
        private int month;
        private int day;
        private int hour;
        private int minute;
        private int second;
        private int nanos;
        private int offsetSeconds;

        Parser(String input, String layout) {
            this.input = input;
            this.layout = layout;
            this.value = input;
        }

        Instant parse() throws ParseException {
            year = number("2006", 4, true);
            literal("-");
            month = number("01", 2, true);
            range(month >= 1 && month <= 12, "month");
            literal("-");
            day = number("02", 2, true);
            literal("T");
            hour = number("15", 2, false);
            range(hour < 24, "hour");
            literal(":");
            minute = number("04", 2, true);
            range(minute < 60, "minute");
            literal(":");
            second = number("05", 2, true);
            range(second < 60, "second");
            if (layout.equals(RFC3339_MICRO)) {
                if (value.length() < 7 || value.charAt(0) != '.' && value.charAt(0) != ',') {
                    throw cannotParse(".000000", value);
                }
                nanos = fraction(7, ".000000");
            } else if (value.length() >= 2 && (value.charAt(0) == '.' || value.charAt(0) == ',')
                    && isDigit(value, 1)) {
                // a fraction the layout does not name is accepted after the seconds
                int n = 2;
                while (n < value.length() && isDigit(value, n)) {
                    n++;
                }
                nanos = fraction(n, "05");
            }
            zone();
            if (!value.isEmpty()) {
                throw new ParseException("parsing time " + quote(input) + ": extra text: " + quote(value));
            }
            if (day < 1 || day > daysIn(month, year)) {
                throw new ParseException("parsing time " + quote(input) + ": day out of range");
            }
            // Go accepts offsets up to 24:60, beyond what java.time's ZoneOffset holds: apply it by hand
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second)
                    .toEpochSecond(ZoneOffset.UTC) - offsetSeconds;
            return Instant.ofEpochSecond(epochSecond, nanos);
        }

        /** {@code getnum}, or the four digits of a year; {@code fixed} needs every digit. */
        private int number(String element, int digits, boolean fixed) throws ParseException {
            if (digits == 4) {
                if (value.length() < 4 || !isDigit(value, 0)) {
                    throw cannotParse(element, value);
                }
                String text = value.substring(0, 4);
                for (int i = 0; i < 4; i++) {
                    if (!isDigit(text, i)) {
                        throw cannotParse(element, value);
                    }
                }
                value = value.substring(4);
                return Integer.parseInt(text);
            }
            String hold = value;
            if (!isDigit(value, 0)) {
                throw cannotParse(element, hold);
            }
            if (!isDigit(value, 1)) {
                if (fixed) {
                    throw cannotParse(element, hold);
                }
                int n = value.charAt(0) - '0';
                value = value.substring(1);
                return n;
            }
            int n = (value.charAt(0) - '0') * 10 + (value.charAt(1) - '0');
            value = value.substring(2);
            return n;
        }

        private void range(boolean ok, String what) throws ParseException {
            if (!ok) {
                throw new ParseException("parsing time " + quote(input) + ": " + what + " out of range");
            }
        }

        private void literal(String expected) throws ParseException {
            if (!value.startsWith(expected)) {
                throw cannotParse(expected, value);
            }
            value = value.substring(expected.length());
        }

        /** {@code parseNanoseconds} of the first {@code n} characters (a separator, then digits). */
        private int fraction(int n, String element) throws ParseException {
            String digits = value.substring(1, n);
            for (int i = 0; i < digits.length(); i++) {
                if (!isDigit(digits, i)) {
                    throw cannotParse(element, value);
                }
            }
            String nine = (digits + "000000000").substring(0, 9);
            value = value.substring(n);
            return Integer.parseInt(nine);
        }

        private void zone() throws ParseException {
            if (value.startsWith("Z")) {
                value = value.substring(1);
                return;
            }
            String hold = value;
            if (value.length() < 6 || value.charAt(3) != ':') {
                throw cannotParse("Z07:00", hold);
            }
            char sign = value.charAt(0);
            String hh = value.substring(1, 3);
            String mm = value.substring(4, 6);
            if (!isDigit(hh, 0) || !isDigit(hh, 1) || !isDigit(mm, 0) || !isDigit(mm, 1)) {
                throw cannotParse("Z07:00", hold);
            }
            value = value.substring(6);
            int hours = Integer.parseInt(hh);
            int minutes = Integer.parseInt(mm);
            if (hours > 24) {
                throw new ParseException("parsing time " + quote(input) + ": time zone offset hour out of range");
            }
            if (minutes > 60) {
                throw new ParseException("parsing time " + quote(input) + ": time zone offset minute out of range");
            }
            if (sign != '+' && sign != '-') {
                throw cannotParse("Z07:00", hold);
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 60 + minutes) * 60;
        }

        private ParseException cannotParse(String element, String rest) {
            return new ParseException("parsing time " + quote(input) + " as " + quote(layout) + ": cannot parse "
                    + quote(rest) + " as " + quote(element));
        }
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private static int daysIn(int month, int year) {
        return LocalDate.of(year, month, 1).lengthOfMonth();
    }

    /** The time package's own quoting: ASCII printable kept, other bytes as {@code \xNN}. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 0x80 || c < ' ') {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append((char) c);
            }
        }
        return out.append('"').toString();
    }
}
