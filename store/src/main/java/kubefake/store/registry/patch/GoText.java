package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders JSON values the way Go's {@code fmt} prints decoded JSON ({@code %v} of {@code map[string]interface{}}
 * and friends), because the real server's patch error messages embed values printed like that, e.g.
 * {@code map: map[image:nginx] does not contain declared merge key: name}.
 */
public final class GoText {

    private GoText() {
    }

    /** {@code %v}: maps as {@code map[k:v ...]} with sorted keys, lists as {@code [a b]}, null as {@code <nil>}. */
    public static String value(JsonNode node) {
        StringBuilder out = new StringBuilder();
        append(out, node);
        return out.toString();
    }

    /** {@code %v} of a list of lists, as Go prints {@code fmt.Sprint(slices)}. */
    static String values(List<? extends JsonNode> nodes) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            append(out, nodes.get(i));
        }
        return out.append(']').toString();
    }

    /** {@code %s} of {@code reflect.TypeOf(v)} for a decoded JSON value. */
    static String typeName(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "%!s(<nil>)";
        }
        if (node.isObject()) {
            return "map[string]interface {}";
        }
        if (node.isArray()) {
            return "[]interface {}";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isIntegralNumber()) {
            return "int64";
        }
        return "float64";
    }

    private static void append(StringBuilder out, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("<nil>");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
            entries.sort(Map.Entry.comparingByKey());
            out.append("map[");
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                out.append(entries.get(i).getKey()).append(':');
                append(out, entries.get(i).getValue());
            }
            out.append(']');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                append(out, node.get(i));
            }
            out.append(']');
        } else if (node.isTextual()) {
            out.append(node.textValue());
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            out.append(float64(node.doubleValue()));
        } else {
            out.append(node.asText());
        }
    }

    /** Go's {@code %v} of a float64: shortest digits, exponent form below 1e-4 and from 1e6 (so 1e6 prints as 1e+06). */
    static String float64(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String digits = shortest.unscaledValue().abs().toString();
            StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            out.append(abs < 10 ? "0" : "").append(abs);
            return out.toString();
        }
        return shortest.toPlainString();
    }
}
