package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds (or removes) the keys of a decoded object that its Go type does not declare, walking a Jackson tree
 * along a {@link FieldLayout}. Only values whose JSON shape matches their type are looked into (the real
 * decoder fails on the others before any strictness matters), and nothing inside an unknown field.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    /** Paths in the tree's order, as the strict JSON decoder reports them when reading that JSON. */
    static List<String> inDocumentOrder(JsonNode value, FieldLayout layout) {
        List<String> paths = new ArrayList<>();
        walk(value, layout, "", paths, false, true);
        return paths;
    }

    /** Paths in the order of JSON rendered from Go maps (keys sorted at every level), as for YAML bodies. */
    static List<String> inSortedOrder(JsonNode value, FieldLayout layout) {
        List<String> paths = new ArrayList<>();
        walk(value, layout, "", paths, true, true);
        return paths;
    }

    /**
     * Paths as the unstructured converter reports them after a strategic merge patch
     * ({@code runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation}): it leaves map keys out of
     * the path and sorts the messages, which it does not quote.
     */
    static List<String> asConverterReports(JsonNode value, FieldLayout layout) {
        List<String> paths = new ArrayList<>();
        walk(value, layout, "", paths, false, false);
        List<String> messages = new ArrayList<>(paths.size());
        paths.forEach(path -> messages.add("unknown field \"" + path + "\""));
        messages.sort(null);
        return messages;
    }

    /** Removes every unknown field, as decoding into the Go type does. */
    static void drop(JsonNode value, FieldLayout layout) {
        if (value instanceof ObjectNode object) {
            switch (layout.kind()) {
                case STRUCT -> {
                    for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        FieldLayout child = layout.child(field.getKey());
                        if (child == null) {
                            it.remove();
                        } else {
                            drop(field.getValue(), child);
                        }
                    }
                }
                case MAP -> object.forEach(element -> drop(element, layout.element()));
                default -> {
                }
            }
        } else if (value != null && value.isArray() && layout.kind() == FieldLayout.Kind.LIST) {
            value.forEach(element -> drop(element, layout.element()));
        }
    }

    private static void walk(JsonNode value, FieldLayout layout, String path, List<String> out,
                             boolean sorted, boolean mapKeysInPath) {
        if (value == null) {
            return;
        }
        if (value.isObject()) {
            FieldLayout.Kind kind = layout.kind();
            if (kind != FieldLayout.Kind.STRUCT && kind != FieldLayout.Kind.MAP) {
                return;
            }
            for (Map.Entry<String, JsonNode> field : fields(value, sorted)) {
                String key = field.getKey();
                if (kind == FieldLayout.Kind.MAP) {
                    String childPath = mapKeysInPath ? FieldPaths.key(path, key) : path;
                    walk(field.getValue(), layout.element(), childPath, out, sorted, mapKeysInPath);
                    continue;
                }
                FieldLayout child = layout.child(key);
                if (child == null) {
                    out.add(FieldPaths.key(path, key));
                } else {
                    walk(field.getValue(), child, FieldPaths.key(path, key), out, sorted, mapKeysInPath);
                }
            }
        } else if (value.isArray() && layout.kind() == FieldLayout.Kind.LIST) {
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), layout.element(), FieldPaths.index(path, i), out, sorted, mapKeysInPath);
            }
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object, boolean sorted) {
        if (!sorted) {
            return object.properties();
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }
}
