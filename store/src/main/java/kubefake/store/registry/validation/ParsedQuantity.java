package kubefake.store.registry.validation;

import java.math.BigInteger;

/**
 * A quantity as apimachinery's {@code resource.ParseQuantity} holds it, for the values that fit its int64 fast path
 * (every usual one: {@code 100m}, {@code 70Mi}, {@code 1Gi}, {@code 2}): the scaled value, its decimal scale, the
 * string it keeps when the text was already canonical, and the format. What Go prints when it dumps the struct
 * (spew in pod template hashes, {@code %#v} in validation errors).
 */
public record ParsedQuantity(long value, int scale, String cached, String format) {
    private static final int MAX_INT64_FACTORS = 18;
    private static final int NANO = -9;

    /** @throws UnsupportedException for an empty or malformed text, or one beyond the int64 fast path */
    public static ParsedQuantity parse(String str) {
        if (str.isEmpty()) throw new UnsupportedException("an empty quantity");
        if (str.equals("0")) return new ParsedQuantity(0, 0, str, "DecimalSI");
        boolean positive = true;
        int pos = 0;
        if (str.charAt(0) == '-' || str.charAt(0) == '+') {
            positive = str.charAt(0) == '+';
            pos++;
        }
        while (pos < str.length() && str.charAt(pos) == '0') pos++;
        int numStart = pos;
        while (pos < str.length() && Character.isDigit(str.charAt(pos))) pos++;
        String num = str.substring(numStart, pos);
        if (num.isEmpty()) num = "0";
        String denom = "";
        if (pos < str.length() && str.charAt(pos) == '.') {
            int d = ++pos;
            while (pos < str.length() && Character.isDigit(str.charAt(pos))) pos++;
            denom = str.substring(d, pos);
        }
        String suffix = str.substring(pos);

        int base;
        int exponent;
        String format;
        switch (suffix) {
            case "" -> { base = 10; exponent = 0; format = "DecimalSI"; }
            case "n" -> { base = 10; exponent = -9; format = "DecimalSI"; }
            case "u" -> { base = 10; exponent = -6; format = "DecimalSI"; }
            case "m" -> { base = 10; exponent = -3; format = "DecimalSI"; }
            case "k" -> { base = 10; exponent = 3; format = "DecimalSI"; }
            case "M" -> { base = 10; exponent = 6; format = "DecimalSI"; }
            case "G" -> { base = 10; exponent = 9; format = "DecimalSI"; }
            case "T" -> { base = 10; exponent = 12; format = "DecimalSI"; }
            case "P" -> { base = 10; exponent = 15; format = "DecimalSI"; }
            case "E" -> { base = 10; exponent = 18; format = "DecimalSI"; }
            case "Ki" -> { base = 2; exponent = 10; format = "BinarySI"; }
            case "Mi" -> { base = 2; exponent = 20; format = "BinarySI"; }
            case "Gi" -> { base = 2; exponent = 30; format = "BinarySI"; }
            case "Ti" -> { base = 2; exponent = 40; format = "BinarySI"; }
            case "Pi" -> { base = 2; exponent = 50; format = "BinarySI"; }
            case "Ei" -> { base = 2; exponent = 60; format = "BinarySI"; }
            default -> {
                if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                    try {
                        exponent = Integer.parseInt(suffix.substring(1));
                    } catch (NumberFormatException e) {
                        throw new UnsupportedException("quantity suffix " + suffix);
                    }
                    base = 10;
                    format = "DecimalExponent";
                } else {
                    throw new UnsupportedException("quantity suffix " + suffix);
                }
            }
        }
        int precision;
        int scale = 0;
        long mantissa = 1;
        if (base == 10) {
            scale = exponent;
            precision = MAX_INT64_FACTORS - (num.length() + denom.length());
        } else if (exponent >= 0 && denom.isEmpty()) {
            mantissa = 1L << exponent;
            precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
        } else {
            precision = -1;
        }
        if (precision >= 0) {
            scale -= denom.length();
            if (scale >= NANO) {
                String shifted = num + denom;
                long value;
                try {
                    value = Long.parseLong(shifted);
                } catch (NumberFormatException e) {
                    throw new UnsupportedException("quantity " + str);
                }
                BigInteger product = BigInteger.valueOf(value).multiply(BigInteger.valueOf(mantissa));
                if (product.bitLength() < 64) {
                    long result = positive ? product.longValue() : -product.longValue();
                    boolean canonical = format.equals("BinarySI") ? exponent % 10 == 0 && (value & 0x07) != 0
                            : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
                    return new ParsedQuantity(result, scale, canonical ? str : "", format);
                }
            }
        }
        throw new UnsupportedException("quantity " + str + " needs arbitrary precision");
    }

    /** Go's {@code %#v} of the struct, as a validation error shows a bad quantity value. */
    public String goSyntax() {
        return "resource.Quantity{i:resource.int64Amount{value:" + value + ", scale:" + scale
                + "}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"" + cached + "\", Format:\"" + format + "\"}";
    }

    /** A quantity this form cannot hold. */
    public static final class UnsupportedException extends IllegalArgumentException {
        UnsupportedException(String message) {
            super(message);
        }
    }
}
