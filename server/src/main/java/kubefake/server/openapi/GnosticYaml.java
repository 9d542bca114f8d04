package kubefake.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The YAML text gnostic stores in an {@code openapi_v2.Any} (vendor extensions, enum values, defaults): the JSON value
 * as go-yaml v3 marshals a node whose styles were cleared, i.e. block style, four-space indentation (two after a
 * sequence's "- "), plain scalars unless a plain one would read back as another type or cannot be plain.
 */
final class GnosticYaml {
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*|0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+)");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private GnosticYaml() {
    }

    static String of(JsonNode value) {
        StringBuilder out = new StringBuilder();
        if (value.isObject() && value.size() > 0) {
            mapping(out, value, 0);
        } else if (value.isArray() && value.size() > 0) {
            sequence(out, value, 0);
        } else {
            out.append(inline(value)).append('\n');
        }
        return out.toString();
    }

    /** A block mapping whose keys start at column {@code indent}; the first key continues the current line. */
    private static void mapping(StringBuilder out, JsonNode map, int indent) {
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!first) out.append(" ".repeat(indent));
            first = false;
            out.append(scalar(e.getKey())).append(':');
            value(out, e.getValue(), nextIndent(indent));
        }
    }

    /** A block sequence whose dashes start at column {@code indent}; the first continues the current line. */
    private static void sequence(StringBuilder out, JsonNode seq, int indent) {
        boolean first = true;
        for (JsonNode item : seq) {
            if (!first) out.append(" ".repeat(indent));
            first = false;
            out.append('-');
            if (item.isObject() && item.size() > 0) {
                out.append(' ');
                mapping(out, item, indent + 2); // the first indent inside a sequence only skips the "- "
            } else if (item.isArray() && item.size() > 0) {
                out.append(' ');
                sequence(out, item, indent + 2);
            } else {
                out.append(' ').append(inline(item)).append('\n');
            }
        }
    }

    /** A mapping value: nested collections on the next lines at {@code indent}, scalars after the colon. */
    private static void value(StringBuilder out, JsonNode v, int indent) {
        if (v.isObject() && v.size() > 0) {
            out.append('\n').append(" ".repeat(indent));
            mapping(out, v, indent);
        } else if (v.isArray() && v.size() > 0) {
            out.append('\n').append(" ".repeat(indent));
            sequence(out, v, indent);
        } else {
            out.append(' ').append(inline(v)).append('\n');
        }
    }

    /** go-yaml aligns everything but a sequence's first level to multiples of its indentation (4). */
    private static int nextIndent(int indent) {
        return 4 * ((indent + 4) / 4);
    }

    private static String inline(JsonNode v) {
        if (v.isObject()) return "{}";
        if (v.isArray()) return "[]";
        if (v.isNull()) return "null";
        if (v.isTextual()) return scalar(v.textValue());
        return v.asText(); // numbers and booleans as JSON wrote them
    }

    /** A string scalar: plain where it reads back as the same string, otherwise quoted as go-yaml quotes it. */
    static String scalar(String s) {
        if (resolvesToOtherType(s)) return doubleQuoted(s);
        if (plainAllowed(s)) return s;
        return "'" + s.replace("'", "''") + "'";
    }

    private static boolean resolvesToOtherType(String s) {
        return switch (s) {
            case "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE" -> true;
            default -> INT.matcher(s).matches() || FLOAT.matcher(s).matches();
        };
    }

    private static boolean plainAllowed(String s) {
        char c = s.charAt(0);
        if ("#,[]{}&*!|>'\"%@`".indexOf(c) >= 0) return false;
        if ((c == '-' || c == '?' || c == ':') && (s.length() == 1 || s.charAt(1) == ' ')) return false;
        if (s.startsWith("---") || s.startsWith("...")) return false;
        if (c == ' ' || s.charAt(s.length() - 1) == ' ') return false;
        if (s.endsWith(":")) return false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\n' || ch == '\r' || ch == '\t' || ch < 0x20) return false;
            if (ch == ':' && i + 1 < s.length() && s.charAt(i + 1) == ' ') return false;
            if (ch == '#' && s.charAt(i - 1) == ' ') return false;
        }
        return true;
    }

    private static String doubleQuoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
