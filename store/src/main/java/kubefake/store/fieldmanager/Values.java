package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;

import kubefake.store.registry.errors.GoFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Equality and order of JSON values as structured-merge-diff defines them (numbers by value, whatever their Java type). */
final class Values {
    private Values() {
    }

    static boolean equal(JsonNode a, JsonNode b) {
        return compare(a, b) == 0;
    }

    /** Numbers, then strings, booleans, lists, maps, null: structured-merge-diff's {@code value.Compare}. */
    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a), rb = rank(b);
        if (ra != rb) return Integer.compare(ra, rb);
        switch (ra) {
            case 0:
                return number(a).compareTo(number(b));
            case 1:
                return a.textValue().compareTo(b.textValue());
            case 2:
                return Boolean.compare(a.booleanValue(), b.booleanValue());
            case 3: {
                for (int i = 0; ; i++) {
                    if (i >= a.size() || i >= b.size()) return Integer.compare(a.size(), b.size());
                    int c = compare(a.get(i), b.get(i));
                    if (c != 0) return c;
                }
            }
            case 4: {
                List<String> ka = sortedKeys(a), kb = sortedKeys(b);
                for (int i = 0; ; i++) {
                    if (i >= ka.size() || i >= kb.size()) return Integer.compare(ka.size(), kb.size());
                    int c = ka.get(i).compareTo(kb.get(i));
                    if (c != 0) return c;
                    c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
                    if (c != 0) return c;
                }
            }
            default:
                return 0;
        }
    }

    /**
     * A hash consistent with {@link #equal}: numbers by value (1 and 1.0 alike), objects whatever their key order.
     * Path elements of list items hash with it, so that a list's items do not all collide in a hash map.
     */
    static int hash(JsonNode n) {
        switch (rank(n)) {
            case 0:
                return Double.hashCode(n.doubleValue());
            case 1:
                return n.textValue().hashCode();
            case 2:
                return Boolean.hashCode(n.booleanValue());
            case 3: {
                int h = 1;
                for (JsonNode e : n) h = 31 * h + hash(e);
                return h;
            }
            case 4: {
                int h = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    h += e.getKey().hashCode() ^ hash(e.getValue());
                }
                return h;
            }
            default:
                return 0;
        }
    }

    private static int rank(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return 5;
        if (n.isNumber()) return 0;
        if (n.isTextual()) return 1;
        if (n.isBoolean()) return 2;
        if (n.isArray()) return 3;
        if (n.isObject()) return 4;
        return 5;
    }

    private static BigDecimal number(JsonNode n) {
        return n.isIntegralNumber() ? new BigDecimal(n.bigIntegerValue()) : n.decimalValue();
    }

    private static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) keys.add(it.next().getKey());
        keys.sort(null);
        return keys;
    }

    /** structured-merge-diff's {@code value.ToString}: how a key value reads in a path ({@code "nginx"}, {@code 80}). */
    static String display(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return GoFormat.quote(v.textValue());
        if (v.isNumber() || v.isBoolean()) return v.asText();
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(display(e)));
            return "[" + String.join(",", parts) + "]";
        }
        StringBuilder b = new StringBuilder();
        v.fields().forEachRemaining(e -> b.append(e.getKey()).append('=').append(display(e.getValue())));
        return b.toString();
    }
}
