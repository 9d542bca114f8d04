package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drops the fields of a custom resource its structural schema does not specify, as the API server prunes them on
 * every write (apiextensions-apiserver's {@code structural/pruning}): an object keeps the fields its
 * {@code properties} name (every field when it has an {@code additionalProperties} schema or
 * {@code x-kubernetes-preserve-unknown-fields: true}); the root and embedded resources always keep
 * {@code apiVersion}, {@code kind} and {@code metadata}. Reports what it dropped, for the field-validation warnings
 * and strict errors ({@code unknown field "spec.foo"}).
 */
public final class SchemaPruning {
    private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");

    private SchemaPruning() {
    }

    /**
     * Prunes {@code object} in place.
     *
     * @return the paths of the dropped fields in document order ({@code spec.foo}, {@code spec.items[0].bar})
     */
    public static List<String> prune(ObjectNode object, JsonNode schema) {
        List<String> pruned = new ArrayList<>();
        if (schema == null || !schema.isObject()) return pruned;
        object(object, schema, "", true, pruned);
        return pruned;
    }

    /** The paths pruning would drop, leaving {@code object} as it is. */
    public static List<String> unknownFields(ObjectNode object, JsonNode schema) {
        return prune(object.deepCopy(), schema);
    }

    private static void value(JsonNode value, JsonNode schema, String path, List<String> pruned) {
        if (schema == null) return;
        if (value instanceof ObjectNode o) {
            object(o, schema, path, schema.path("x-kubernetes-embedded-resource").asBoolean(false), pruned);
        } else if (value != null && value.isArray()) {
            JsonNode items = schema.get("items");
            for (int i = 0; i < value.size(); i++) value(value.get(i), items, path + "[" + i + "]", pruned);
        }
    }

    private static void object(ObjectNode object, JsonNode schema, String path, boolean keepTypeMeta, List<String> pruned) {
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean additionalSchema = additional != null && additional.isObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (keepTypeMeta && TYPE_META.contains(key)) {
                // metadata is ObjectMeta's: its own rules, not the schema's (which may only narrow name)
                if (!key.equals("metadata")) value(e.getValue(), properties.get(key), childPath, pruned);
                continue;
            }
            JsonNode propertySchema = properties.get(key);
            if (propertySchema != null) {
                value(e.getValue(), propertySchema, childPath, pruned);
            } else if (additionalSchema) {
                value(e.getValue(), additional, childPath, pruned);
            } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                pruned.add(childPath);
                it.remove();
            }
        }
    }
}
