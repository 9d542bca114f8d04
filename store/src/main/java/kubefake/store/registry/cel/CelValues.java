package kubefake.store.registry.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as CEL sees them: objects as maps (their keys escaped as {@link SchemaCelTypes} names the fields),
 * arrays as lists, integers as int, other numbers as double (or double wherever the schema says
 * {@code number}), null as CEL's null.
 */
public final class CelValues {
    private CelValues() {
    }

    /** A value without a schema (admission objects, params): every object is a map of its own keys. */
    public static Object of(JsonNode n) {
        return of(n, null);
    }

    /** A value typed by an OpenAPI v3 schema (null: untyped). */
    public static Object of(JsonNode n, JsonNode schema) {
        if (n == null || n.isMissingNode() || n.isNull()) return NullValue.NULL_VALUE;
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isNumber()) {
            boolean number = schema != null && "number".equals(schema.path("type").asText());
            return n.isIntegralNumber() && !number && n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        if (n.isArray()) {
            JsonNode items = schema == null ? null : schema.get("items");
            List<Object> list = new ArrayList<>(n.size());
            for (JsonNode e : n) list.add(of(e, items));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        JsonNode properties = schema == null ? null : schema.get("properties");
        JsonNode additional = schema == null ? null : schema.get("additionalProperties");
        boolean struct = properties != null && properties.isObject() && properties.size() > 0;
        n.properties().forEach(e -> {
            if (struct) {
                String field = SchemaCelTypes.escape(e.getKey());
                if (field != null) map.put(field, of(e.getValue(), properties.get(e.getKey())));
            } else {
                map.put(e.getKey(), of(e.getValue(), additional != null && additional.isObject() ? additional : null));
            }
        });
        return map;
    }
}
