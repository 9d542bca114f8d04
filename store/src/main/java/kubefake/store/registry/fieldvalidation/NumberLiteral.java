package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.databind.node.DecimalNode;
import java.math.BigDecimal;

/**
 * A JSON number with a fraction or an exponent that keeps the text it was written with for {@link #asText()}: Go's
 * decoding errors quote that text ({@code number 1e99999}, {@code number 1.0}), and so do the patched objects a
 * 422 quotes. Its value is exact, so a number too large for a double ({@code 1e99999}) stays a number instead of
 * becoming {@code Infinity} (Jackson writes it as {@code 1E+99999}).
 */
final class NumberLiteral extends DecimalNode {

    private final String text;

    NumberLiteral(BigDecimal value, String text) {
        super(value);
        this.text = text;
    }

    /** The literal of a parsed number; amounts beyond BigDecimal's exponents are kept as huge or zero. */
    static NumberLiteral of(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            int exponent = Math.max(text.indexOf('e'), text.indexOf('E'));
            boolean tiny = exponent >= 0 && exponent + 1 < text.length() && text.charAt(exponent + 1) == '-';
            value = tiny ? BigDecimal.ZERO : BigDecimal.ONE.scaleByPowerOfTen(Integer.MAX_VALUE);
        }
        return new NumberLiteral(value, text);
    }

    @Override
    public String asText() {
        return text;
    }
}
