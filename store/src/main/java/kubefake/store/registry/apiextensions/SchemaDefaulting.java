package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Applies a structural schema's {@code default}s to a custom resource, as the API server does when it decodes one
 * (apiextensions-apiserver's {@code structural/defaulting}): a missing property with a default gets a copy of it,
 * a {@code null} in a property that is not {@code nullable} is replaced by its default or dropped when it has
 * none; then the defaults of what is there, down the tree (additionalProperties and list items too).
 */
public final class SchemaDefaulting {
    private SchemaDefaulting() {
    }

    /** Defaults {@code object} in place. */
    public static void apply(ObjectNode object, JsonNode schema) {
        if (schema != null && schema.isObject()) value(object, schema);
    }

    private static void value(JsonNode value, JsonNode schema) {
        if (schema == null) return;
        if (value instanceof ObjectNode o) {
            object(o, schema);
        } else if (value != null && value.isArray()) {
            JsonNode items = schema.get("items");
            if (items != null) for (JsonNode item : value) value(item, items);
        }
    }

    private static void object(ObjectNode object, JsonNode schema) {
        JsonNode properties = schema.path("properties");
        List<String> nullsToDrop = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode current = object.get(p.getKey());
            JsonNode def = p.getValue().get("default");
            boolean nullable = p.getValue().path("nullable").asBoolean(false);
            if (current == null && def != null) {
                object.set(p.getKey(), def.deepCopy());
            } else if (current != null && current.isNull() && !nullable) {
                if (def != null) object.set(p.getKey(), def.deepCopy());
                else nullsToDrop.add(p.getKey());
            }
        }
        nullsToDrop.forEach(object::remove);
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode propertySchema = properties.get(e.getKey());
            if (propertySchema == null && additional != null && additional.isObject()) propertySchema = additional;
            if (propertySchema != null && !e.getKey().equals("metadata")) value(e.getValue(), propertySchema);
        }
    }
}
