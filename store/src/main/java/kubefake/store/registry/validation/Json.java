package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Small readers over an object's JSON tree, treating missing and null alike. */
final class Json {

    private Json() {
    }

    static boolean present(JsonNode n) {
        return n != null && !n.isMissingNode() && !n.isNull();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return present(v) ? v.asText() : "";
    }

    static Map<String, String> stringMap(JsonNode n) {
        if (!present(n) || !n.isObject()) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            m.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        return m;
    }

    static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode n) {
        return present(n) ? n.properties() : Set.of();
    }
}
