package kubefake.store.registry.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity ({@code 500m}, {@code 1Gi}, {@code 2}, {@code 1e3}): parsed exactly with
 * BigDecimal, compared by value, and printed in the canonical form Go's {@code resource.Quantity.String()} uses
 * in messages.
 */
public final class Quantity implements Comparable<Quantity> {

    /** The regular expression the real server quotes when a quantity does not parse. */
    public static final String REGEX = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
    /** The decode error message for a malformed quantity. */
    public static final String PARSE_ERROR = "quantities must match the regular expression '" + REGEX + "'";

    private static final Pattern SYNTAX = Pattern.compile("([+-]?[0-9]*\\.?[0-9]*)([eEinumkKMGTP]*[-+]?[0-9]*)");

    private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    private final BigDecimal value;
    private final Format format;

    private Quantity(BigDecimal value, Format format) {
        this.value = value;
        this.format = format;
    }

    /** Parses a quantity string; throws IllegalArgumentException with {@link #PARSE_ERROR} when malformed. */
    public static Quantity parse(String s) {
        String text = s == null ? "" : s.trim();
        Matcher m = SYNTAX.matcher(text);
        if (text.isEmpty() || !m.matches() || m.group(1).isEmpty() || m.group(1).equals("+")
                || m.group(1).equals("-") || m.group(1).equals(".")) {
            throw new IllegalArgumentException(PARSE_ERROR);
        }
        BigDecimal number;
        try {
            number = new BigDecimal(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PARSE_ERROR);
        }
        String suffix = m.group(2);
        BigDecimal multiplier;
        Format format;
        switch (suffix) {
            case "" -> { multiplier = BigDecimal.ONE; format = Format.DECIMAL_SI; }
            case "n" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(-9); format = Format.DECIMAL_SI; }
            case "u" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(-6); format = Format.DECIMAL_SI; }
            case "m" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(-3); format = Format.DECIMAL_SI; }
            case "k" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(3); format = Format.DECIMAL_SI; }
            case "M" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(6); format = Format.DECIMAL_SI; }
            case "G" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(9); format = Format.DECIMAL_SI; }
            case "T" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(12); format = Format.DECIMAL_SI; }
            case "P" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(15); format = Format.DECIMAL_SI; }
            case "E" -> { multiplier = BigDecimal.ONE.scaleByPowerOfTen(18); format = Format.DECIMAL_SI; }
            case "Ki" -> { multiplier = pow2(10); format = Format.BINARY_SI; }
            case "Mi" -> { multiplier = pow2(20); format = Format.BINARY_SI; }
            case "Gi" -> { multiplier = pow2(30); format = Format.BINARY_SI; }
            case "Ti" -> { multiplier = pow2(40); format = Format.BINARY_SI; }
            case "Pi" -> { multiplier = pow2(50); format = Format.BINARY_SI; }
            case "Ei" -> { multiplier = pow2(60); format = Format.BINARY_SI; }
            default -> {
                if (!suffix.matches("[eE][-+]?[0-9]+")) {
                    throw new IllegalArgumentException(PARSE_ERROR);
                }
                multiplier = BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
                format = Format.DECIMAL_EXPONENT;
            }
        }
        return new Quantity(number.multiply(multiplier), format);
    }

    private static BigDecimal pow2(int n) {
        return new BigDecimal(BigInteger.ONE.shiftLeft(n));
    }

    /** The exact value. */
    public BigDecimal value() {
        return value;
    }

    /** Zero, printed as {@code 0}. */
    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    /** The sum, in this quantity's format (Go's {@code Quantity.Add} keeps the receiver's). */
    public Quantity plus(Quantity other) {
        return new Quantity(value.add(other.value), signum() == 0 ? other.format : format);
    }

    /** The difference, in this quantity's format. */
    public Quantity minus(Quantity other) {
        return new Quantity(value.subtract(other.value), signum() == 0 ? other.format : format);
    }

    /** -1, 0 or 1 as the value is negative, zero or positive. */
    public int signum() {
        return value.signum();
    }

    /** Negative values are rejected by validation of resource requirements. */
    public boolean isNegative() {
        return value.signum() < 0;
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    /** The canonical form: the value rounded up to nano units, with the largest suffix that keeps it whole. */
    @Override
    public String toString() {
        BigDecimal v = value.setScale(9, java.math.RoundingMode.UP).stripTrailingZeros();
        if (v.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI && v.scale() <= 0 && v.abs().compareTo(pow2(10)) >= 0) {
            String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
            BigInteger i = v.toBigIntegerExact();
            int idx = 0;
            while (idx < suffixes.length - 1 && i.mod(BigInteger.ONE.shiftLeft(10)).signum() == 0
                    && !i.equals(BigInteger.ZERO)) {
                i = i.shiftRight(10);
                idx++;
            }
            return i + suffixes[idx];
        }
        if (format == Format.BINARY_SI && v.scale() <= 0) {
            return v.toBigIntegerExact().toString();
        }
        // Decimal: exponent a multiple of 3 such that the mantissa is whole, as large as possible.
        String[] decimal = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
        int exp = -9;
        BigDecimal mantissa = v.scaleByPowerOfTen(9);
        while (exp < 18 && mantissa.remainder(BigDecimal.valueOf(1000)).signum() == 0) {
            mantissa = mantissa.divide(BigDecimal.valueOf(1000));
            exp += 3;
        }
        if (format == Format.DECIMAL_EXPONENT) {
            return mantissa.toBigInteger() + (exp == 0 ? "" : "e" + exp);
        }
        return mantissa.toBigInteger() + decimal[(exp + 9) / 3];
    }
}
