package kubefake.store.registry.fieldvalidation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * apimachinery's {@code resource.Quantity} as its JSON decoding reads it ({@code ParseQuantity}) and its
 * encoding writes it back ({@code CanonicalizeBytes}): {@code 0.5} becomes {@code 500m}, {@code 1024Mi}
 * {@code 1Gi}, {@code 1000} {@code 1k}, {@code 1e3} stays {@code 1e3}; amounts below a nano are rounded up to
 * one. The value is kept as an exact decimal; Go's fast int64 path and its big-decimal path give the same text.
 */
final class GoQuantity {

    static final String ERR_FORMAT = "quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    static final String ERR_NUMERIC = "unable to parse numeric part of quantity";
    static final String ERR_SUFFIX = "unable to parse quantity's suffix";

    private static final BigDecimal MAX_ALLOWED = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigInteger TEN = BigInteger.TEN;
    private static final BigInteger K1024 = BigInteger.valueOf(1024);

    /** The three formats a quantity keeps from its text. */
    enum Format { DECIMAL_EXPONENT, BINARY_SI, DECIMAL_SI }

    /** A failure of {@code ParseQuantity}, with Go's error text. */
    static final class ParseException extends Exception {
        ParseException(String message) {
            super(message, null, false, false);
        }
    }

    private final BigDecimal amount;
    private final Format format;

    private GoQuantity(BigDecimal amount, Format format) {
        this.amount = amount;
        this.format = format;
    }

    /** Canonical texts by the texts they were parsed from: the same few quantities come in again and again. */
    private static final Map<String, String> CANONICAL = new ConcurrentHashMap<>();
    private static final int CACHED = 4096;

    /** The canonical text of a quantity's text ({@link #parse} then {@link #canonical}), remembered. */
    static String canonicalOf(String text) throws ParseException {
        String known = CANONICAL.get(text);
        if (known == null) {
            known = parse(text).canonical();
            if (CANONICAL.size() < CACHED) {
                CANONICAL.put(text, known);
            }
        }
        return known;
    }

    /** The text of a JSON value as {@code Quantity.UnmarshalJSON} sees it: quotes removed, spaces trimmed. */
    static GoQuantity parse(String text) throws ParseException {
        String str = text.strip();
        if (str.isEmpty()) {
            throw new ParseException(ERR_FORMAT);
        }
        if (str.equals("0")) {
            return new GoQuantity(BigDecimal.ZERO, Format.DECIMAL_SI);
        }
        Parts parts = split(str);
        Suffix suffix = Suffix.interpret(parts.suffix);
        if (suffix == null) {
            throw new ParseException(ERR_SUFFIX);
        }
        String digits = parts.whole + parts.fraction;
        BigDecimal value = new BigDecimal(digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits),
                parts.fraction.length());
        if (parts.negative) {
            value = value.negate();
        }
        try {
            if (suffix.base == 10) {
                value = value.scaleByPowerOfTen(suffix.exponent);
            } else {
                value = value.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(suffix.exponent)));
            }
        } catch (ArithmeticException e) {
            throw new ParseException(ERR_NUMERIC); // an exponent beyond any representable amount
        }
        Format format = suffix.format;
        boolean negative = value.signum() < 0;
        BigDecimal magnitude = value.abs();
        // Go rounds non-zero amounts up to the smallest representable one (a nano), away from zero.
        if (magnitude.signum() != 0 && magnitude.scale() > 9) {
            // below a nano by many orders of magnitude: the result is one nano, without computing 10^scale
            magnitude = (long) magnitude.scale() - magnitude.precision() >= 9
                    ? BigDecimal.ONE.movePointLeft(9) : magnitude.setScale(9, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI && magnitude.compareTo(MAX_ALLOWED) > 0) {
            magnitude = MAX_ALLOWED;
        }
        if (format == Format.BINARY_SI && magnitude.compareTo(BigDecimal.ONE) < 0 && magnitude.signum() > 0) {
            format = Format.DECIMAL_SI;
        }
        return new GoQuantity(negative ? magnitude.negate() : magnitude, format);
    }

    /** The canonical text, as Go's {@code Quantity.MarshalJSON} writes it (without quotes). */
    String canonical() {
        if (amount.signum() == 0) {
            return "0";
        }
        Format effective = format;
        BigInteger rounded = null;
        if (format == Format.BINARY_SI) {
            if (amount.compareTo(BigDecimal.valueOf(-1024)) > 0 && amount.compareTo(BigDecimal.valueOf(1024)) < 0) {
                effective = Format.DECIMAL_SI;
            } else {
                BigDecimal whole = amount.setScale(0, RoundingMode.UP);
                if (whole.compareTo(amount) != 0) {
                    effective = Format.DECIMAL_SI;
                } else {
                    rounded = whole.toBigIntegerExact();
                }
            }
        }
        if (effective == Format.BINARY_SI) {
            BigInteger mantissa = rounded;
            int times = 0;
            while (mantissa.signum() != 0 && mantissa.mod(K1024).signum() == 0) {
                mantissa = mantissa.divide(K1024);
                times++;
            }
            String suffix = switch (times) {
                case 0 -> "";
                case 1 -> "Ki";
                case 2 -> "Mi";
                case 3 -> "Gi";
                case 4 -> "Ti";
                case 5 -> "Pi";
                case 6 -> "Ei";
                default -> "";
            };
            return mantissa + suffix;
        }
        // decimal: all factors of ten into the exponent, then the exponent down to a multiple of three
        BigInteger mantissa = amount.unscaledValue();
        int exponent = -amount.scale();
        while (mantissa.signum() != 0 && mantissa.mod(TEN).signum() == 0) {
            mantissa = mantissa.divide(TEN);
            exponent++;
        }
        while (exponent % 3 != 0) {
            mantissa = mantissa.multiply(TEN);
            exponent--;
        }
        return mantissa + decimalSuffix(exponent, effective);
    }

    private static String decimalSuffix(int exponent, Format format) {
        if (format == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? "" : "e" + exponent;
        }
        return switch (exponent) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> ""; // Go has no suffix for it either (and prints the bare mantissa)
        };
    }

    /** A quantity's text split as Go's {@code parseQuantityString} splits it (leading zeros dropped). */
    private record Parts(boolean negative, String whole, String fraction, String suffix) {
    }

    private static Parts split(String str) throws ParseException {
        int pos = 0;
        int end = str.length();
        boolean negative = false;
        if (str.charAt(0) == '-' || str.charAt(0) == '+') {
            negative = str.charAt(0) == '-';
            pos++;
        }
        while (pos < end && str.charAt(pos) == '0') {
            pos++;
        }
        int wholeStart = pos;
        while (pos < end && isDigit(str.charAt(pos))) {
            pos++;
        }
        String whole = str.substring(wholeStart, pos);
        String fraction = "";
        if (pos < end && str.charAt(pos) == '.') {
            int fractionStart = ++pos;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            fraction = str.substring(fractionStart, pos);
        }
        int suffixStart = pos;
        while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
            pos++;
        }
        while (pos < end) {
            if (!isDigit(str.charAt(pos))) {
                throw new ParseException(ERR_FORMAT);
            }
            pos++;
        }
        return new Parts(negative, whole, fraction, str.substring(suffixStart));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A suffix as Go's quantitySuffixer interprets it. */
    private record Suffix(int base, int exponent, Format format) {
        static Suffix interpret(String suffix) {
            return switch (suffix) {
                case "" -> new Suffix(10, 0, Format.DECIMAL_SI);
                case "n" -> new Suffix(10, -9, Format.DECIMAL_SI);
                case "u" -> new Suffix(10, -6, Format.DECIMAL_SI);
                case "m" -> new Suffix(10, -3, Format.DECIMAL_SI);
                case "k" -> new Suffix(10, 3, Format.DECIMAL_SI);
                case "M" -> new Suffix(10, 6, Format.DECIMAL_SI);
                case "G" -> new Suffix(10, 9, Format.DECIMAL_SI);
                case "T" -> new Suffix(10, 12, Format.DECIMAL_SI);
                case "P" -> new Suffix(10, 15, Format.DECIMAL_SI);
                case "E" -> new Suffix(10, 18, Format.DECIMAL_SI);
                case "Ki" -> new Suffix(2, 10, Format.BINARY_SI);
                case "Mi" -> new Suffix(2, 20, Format.BINARY_SI);
                case "Gi" -> new Suffix(2, 30, Format.BINARY_SI);
                case "Ti" -> new Suffix(2, 40, Format.BINARY_SI);
                case "Pi" -> new Suffix(2, 50, Format.BINARY_SI);
                case "Ei" -> new Suffix(2, 60, Format.BINARY_SI);
                default -> exponent(suffix);
            };
        }

        private static Suffix exponent(String suffix) {
            if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                try {
                    // strconv.ParseInt(s, 10, 64), then int32(...)
                    long parsed = Long.parseLong(suffix.substring(1));
                    return new Suffix(10, (int) parsed, Format.DECIMAL_EXPONENT);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }
    }
}
