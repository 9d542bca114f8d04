package kubefake.store.fieldmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path: a field name (of a struct or a map key), the key of an item of a map-type list, the
 * value of an item of a set-type list, or an index. Ordered as structured-merge-diff orders them (names, then keys,
 * then values, then indexes), which is the order of FieldsV1 JSON.
 */
public final class PathElement implements Comparable<PathElement> {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { FIELD, KEY, VALUE, INDEX }

    private final Kind kind;
    private final String name;
    /** The key fields of a map-list item, sorted by name. */
    private final List<Map.Entry<String, JsonNode>> key;
    private final JsonNode value;
    private final int index;

    private PathElement(Kind kind, String name, List<Map.Entry<String, JsonNode>> key, JsonNode value, int index) {
        this.kind = kind;
        this.name = name;
        this.key = key;
        this.value = value;
        this.index = index;
    }

    public static PathElement field(String name) {
        return new PathElement(Kind.FIELD, name, null, null, 0);
    }

    /** A map-list item's key: its key fields, in any order (they are sorted by name). */
    public static PathElement key(List<Map.Entry<String, JsonNode>> fields) {
        List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(fields);
        sorted.sort(Map.Entry.comparingByKey());
        return new PathElement(Kind.KEY, null, List.copyOf(sorted), null, 0);
    }

    public static PathElement value(JsonNode value) {
        return new PathElement(Kind.VALUE, null, null, value, 0);
    }

    public static PathElement index(int index) {
        return new PathElement(Kind.INDEX, null, null, null, index);
    }

    Kind kind() {
        return kind;
    }

    /** The field name of a {@link #field} element, else null. */
    public String fieldName() {
        return name;
    }

    @Override
    public int compareTo(PathElement o) {
        if (kind != o.kind) return kind.compareTo(o.kind);
        return switch (kind) {
            case FIELD -> name.compareTo(o.name);
            case KEY -> {
                for (int i = 0; ; i++) {
                    if (i >= key.size() || i >= o.key.size()) yield Integer.compare(key.size(), o.key.size());
                    int c = key.get(i).getKey().compareTo(o.key.get(i).getKey());
                    if (c == 0) c = Values.compare(key.get(i).getValue(), o.key.get(i).getValue());
                    if (c != 0) yield c;
                }
            }
            case VALUE -> Values.compare(value, o.value);
            case INDEX -> Integer.compare(index, o.index);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathElement p && compareTo(p) == 0;
    }

    /** Consistent with {@link #compareTo}: the items of a list (keys, set values) spread over a hash map's buckets. */
    @Override
    public int hashCode() {
        return switch (kind) {
            case FIELD -> name.hashCode();
            case INDEX -> index;
            case KEY -> {
                int h = 0;
                for (Map.Entry<String, JsonNode> e : key) h = 31 * h + e.getKey().hashCode() * 17 + Values.hash(e.getValue());
                yield h;
            }
            case VALUE -> Values.hash(value);
        };
    }

    /** The FieldsV1 key: {@code f:name}, {@code k:{"name":"nginx"}}, {@code v:"a"}, {@code i:0}. */
    public String serialize() {
        return switch (kind) {
            case FIELD -> "f:" + name;
            case KEY -> {
                StringBuilder b = new StringBuilder("k:{");
                for (int i = 0; i < key.size(); i++) {
                    if (i > 0) b.append(',');
                    quote(b, key.get(i).getKey());
                    b.append(':');
                    appendJson(b, key.get(i).getValue());
                }
                yield b.append('}').toString();
            }
            case VALUE -> appendJson(new StringBuilder("v:"), value).toString();
            case INDEX -> "i:" + index;
        };
    }

    /**
     * Appends a value as {@link ObjectMapper#writeValueAsString} writes it: strings, integers and booleans (the
     * values keys and sets hold) directly, since a mapper call per element was most of encoding a write's FieldsV1.
     */
    private static StringBuilder appendJson(StringBuilder b, JsonNode v) {
        if (v.isTextual()) quote(b, v.textValue());
        else if (v.isInt() || v.isLong()) b.append(v.longValue());
        else if (v.isBoolean()) b.append(v.booleanValue());
        else b.append(write(v));
        return b;
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }

    /** Parses a FieldsV1 key; IllegalArgumentException when it is not one. */
    public static PathElement parse(String s) {
        if (s.length() < 2 || s.charAt(1) != ':') throw new IllegalArgumentException("unknown path element " + s);
        String rest = s.substring(2);
        switch (s.charAt(0)) {
            case 'f':
                return field(rest);
            case 'i':
                try {
                    return index(Integer.parseInt(rest));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid index " + s);
                }
            case 'v':
                return value(read(rest));
            case 'k': {
                JsonNode o = read(rest);
                if (!o.isObject()) throw new IllegalArgumentException("invalid key " + s);
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    fields.add(Map.entry(e.getKey(), e.getValue()));
                }
                return key(fields);
            }
            default:
                throw new IllegalArgumentException("unknown path element " + s);
        }
    }

    /** How a path shows this step in messages: {@code .name}, {@code [name="nginx"]}, {@code [=a]}, {@code [0]}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIELD -> "." + name;
            case KEY -> {
                List<String> parts = new ArrayList<>();
                key.forEach(e -> parts.add(e.getKey() + "=" + Values.display(e.getValue())));
                yield "[" + String.join(",", parts) + "]";
            }
            case VALUE -> "[=" + Values.display(value) + "]";
            case INDEX -> "[" + index + "]";
        };
    }

    /** A path as messages show it: the steps one after the other ({@code .spec.replicas}). */
    public static String display(List<PathElement> path) {
        StringBuilder b = new StringBuilder();
        path.forEach(b::append);
        return b.toString();
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON in path element: " + s);
        }
    }
}
