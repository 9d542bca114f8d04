package kubefake.store.registry.fieldvalidation;

import java.math.BigDecimal;

/** How Go's encoding/json writes a float64: the shortest text that reads back, exponent form below 1e-6 and from 1e21. */
final class GoFloat {

    private GoFloat() {
    }

    /** The text, or null for values JSON cannot hold (Go's {@code json: unsupported value: +Inf}). */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return null;
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double abs = Math.abs(value);
        if (abs >= 1e-6 && abs < 1e21) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int magnitude = Math.abs(exponent);
        // strconv writes at least two exponent digits (e+21, e-07); encoding/json then shortens e-07 to e-7
        String exponentText = exponent < 0 ? "-" + magnitude : "+" + (magnitude < 10 ? "0" : "") + magnitude;
        return (value < 0 ? "-" : "") + mantissa + "e" + exponentText;
    }
}
