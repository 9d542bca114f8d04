package kubefake.store.registry.errors;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders values the way the Go API server prints them inside messages ({@code %q} for strings, {@code %#v}
 * for maps and slices), so that messages built here match the real server's word for word.
 */
public final class GoFormat {

    private GoFormat() {
    }

    /** Go's {@code strconv.Quote}: double quotes, backslash escapes, printable Unicode kept as is. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (!isPrint(cp)) {
                        b.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    public static boolean isPrint(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && (type != Character.SPACE_SEPARATOR || cp == ' ');
    }

    /** {@code %#v} of a {@code map[string]string}: sorted keys, {@code (nil)} for an absent map. */
    public static String stringMap(Map<String, String> map) {
        if (map == null) {
            return "map[string]string(nil)";
        }
        StringBuilder b = new StringBuilder("map[string]string{");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return b.append('}').toString();
    }

    /** {@code %#v} of a {@code []string}: {@code []string{"a", "b"}}, {@code []string(nil)} when absent. */
    public static String stringSlice(List<String> values) {
        if (values == null) {
            return "[]string(nil)";
        }
        StringBuilder b = new StringBuilder("[]string{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(quote(values.get(i)));
        }
        return b.append('}').toString();
    }
}
