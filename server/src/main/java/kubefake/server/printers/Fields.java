package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Null-safe reads of an object's JSON. A missing or null field reads as Go's zero value (empty
 * string, 0, false, empty list), which is what the printers see in the API server.
 */
final class Fields {

    private Fields() {
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    static boolean has(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return !value.isMissingNode() && !value.isNull();
    }

    static String text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
            return "";
        }
        return value.asText();
    }

    static long number(JsonNode node, String... path) {
        return at(node, path).asLong(0);
    }

    static boolean bool(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        List<JsonNode> items = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(items::add);
        }
        return items;
    }

    static int size(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        return value.isContainerNode() ? value.size() : 0;
    }

    /** A string map such as labels or a selector, sorted by key. */
    static Map<String, String> stringMap(JsonNode node, String... path) {
        Map<String, String> map = new TreeMap<>();
        JsonNode value = at(node, path);
        if (value.isObject()) {
            value.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }

    /** An RFC 3339 timestamp (second or microsecond precision), or null when absent or unreadable. */
    static Instant time(JsonNode node, String... path) {
        String text = text(node, path);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }
}
