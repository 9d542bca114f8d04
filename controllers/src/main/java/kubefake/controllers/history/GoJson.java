package kubefake.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tree written as Go's {@code json.Marshal} writes a {@code map[string]interface{}}: keys sorted at every level, no
 * spaces, {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped, numbers as float64 values print. The bytes of a
 * ControllerRevision's data are hashed, so they must be exactly these.
 */
final class GoJson {
    private GoJson() {
    }

    static String write(JsonNode node) {
        StringBuilder b = new StringBuilder();
        write(node, b);
        return b.toString();
    }

    private static void write(JsonNode n, StringBuilder b) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            b.append("null");
        } else if (n.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(n.properties());
            fields.sort(Map.Entry.comparingByKey());
            b.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) b.append(',');
                string(fields.get(i).getKey(), b);
                b.append(':');
                write(fields.get(i).getValue(), b);
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) b.append(',');
                write(n.get(i), b);
            }
            b.append(']');
        } else if (n.isTextual()) {
            string(n.asText(), b);
        } else if (n.isBoolean()) {
            b.append(n.asBoolean());
        } else if (n.isNumber()) {
            number(n.decimalValue(), b);
        } else {
            string(n.asText(), b);
        }
    }

    /** float64 as Go prints it: integers without exponent below 1e21, others in the shortest form. */
    private static void number(BigDecimal v, StringBuilder b) {
        double d = v.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            b.append(new BigDecimal(d).toBigInteger());
        } else {
            b.append(Double.toString(d).replace("E", "e+").replace("e+-", "e-"));
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> b.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
