package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.patch.SchemaField;
import kubefake.store.registry.patch.SchemaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A place in an object's schema with the semantics server-side apply reads from the OpenAPI extensions: whether a
 * value there is a struct, a map, a list (atomic, set, or map-list with its keys) or a leaf, and whether it is
 * atomic. Lists without {@code x-kubernetes-list-type} follow their patch strategy ({@code merge} with a merge key is
 * a map-list), else are atomic, as Kubernetes converts its OpenAPI for structured-merge-diff.
 */
final class TypeRef {
    enum Form { STRUCT, MAP, LIST, LEAF }

    static final TypeRef UNTYPED = new TypeRef(SchemaType.UNTYPED, null, List.of(), null);

    private final SchemaType type;
    /** "atomic", "set" or "map" (lists only). */
    private final String listType;
    private final List<String> keys;
    private final String mapType;
    /**
     * The declared fields' places, made on first use and kept: a FieldManager's root is long-lived and every write
     * walks the same places again. Only declared fields are kept (the others are {@link #UNTYPED}) and a map's values once,
     * so the cache is bounded by the schema (and by the data's depth for recursive schemas).
     */
    private final Map<String, TypeRef> fields = new ConcurrentHashMap<>();
    private volatile TypeRef item;
    private volatile TypeRef mapValue;

    private TypeRef(SchemaType type, String listType, List<String> keys, String mapType) {
        this.type = type;
        this.listType = listType;
        this.keys = keys;
        this.mapType = mapType;
    }

    static TypeRef root(SchemaType type) {
        return type == null ? UNTYPED : element(type);
    }

    /** A field as its parent declares it (extensions may sit on the declaration). */
    static TypeRef of(SchemaField field) {
        return make(field.type(), field.listType(), field.type().listMapKeys(), field.patchStrategies(),
                field.patchMergeKey(), field.mapType());
    }

    /** A list item or a map value: only its type speaks. */
    static TypeRef element(SchemaType type) {
        return make(type, type.listType(), type.listMapKeys(), List.of(), null, type.mapType());
    }

    private static TypeRef make(SchemaType type, String listType, List<String> keys, List<String> strategies,
                                String mergeKey, String mapType) {
        if (type.shape() == SchemaType.Shape.LIST) {
            if (listType == null) {
                if (strategies.contains("merge")) {
                    listType = mergeKey != null ? "map" : "set";
                    if (mergeKey != null) keys = List.of(mergeKey);
                } else {
                    listType = "atomic";
                }
            }
        }
        return new TypeRef(type, listType, keys == null ? List.of() : keys, mapType);
    }

    /** What a value here is; untyped content is deduced from the value (objects are maps, arrays atomic lists). */
    Form form(JsonNode value) {
        return switch (type.shape()) {
            case OBJECT -> Form.STRUCT;
            case MAP -> Form.MAP;
            case LIST -> Form.LIST;
            case SCALAR -> Form.LEAF;
            case UNTYPED -> value == null ? Form.LEAF : value.isObject() ? Form.MAP : value.isArray() ? Form.LIST : Form.LEAF;
        };
    }

    /** Whether a map or list here is replaced as a whole. */
    boolean atomic() {
        if (type.shape() == SchemaType.Shape.LIST) return "atomic".equals(listType);
        if (type.shape() == SchemaType.Shape.UNTYPED) return false;
        return "atomic".equals(mapType);
    }

    /** Untyped lists are atomic; untyped maps are granular. */
    boolean atomicList() {
        return type.shape() != SchemaType.Shape.LIST || "atomic".equals(listType);
    }

    boolean declares(String field) {
        return type.shape() == SchemaType.Shape.OBJECT && type.field(field).declared();
    }

    /** Whether a struct here refuses fields its schema does not declare. */
    boolean closed() {
        return type.shape() == SchemaType.Shape.OBJECT && !type.preservesUnknownFields();
    }

    TypeRef field(String name) {
        if (type.shape() == SchemaType.Shape.UNTYPED) return UNTYPED;
        if (type.shape() == SchemaType.Shape.MAP) {
            // every key of a map has the one value type: kept once, not per key (keys are data, unbounded)
            TypeRef v = mapValue;
            if (v == null) {
                SchemaField f = type.field(name);
                v = f.declared() ? element(f.type()) : UNTYPED;
                mapValue = v;
            }
            return v;
        }
        TypeRef known = fields.get(name);
        if (known != null) return known;
        SchemaField f = type.field(name);
        if (!f.declared()) return UNTYPED;
        TypeRef made = of(f);
        TypeRef raced = fields.putIfAbsent(name, made);
        return raced == null ? made : raced;
    }

    TypeRef item() {
        if (type.shape() != SchemaType.Shape.LIST) return UNTYPED;
        TypeRef i = item;
        if (i == null) item = i = element(type.elementType());
        return i;
    }

    /**
     * The path element of an item of this associative list: its key fields (a missing one takes its schema default)
     * or, for a set, its value.
     */
    PathElement itemElement(JsonNode item, List<PathElement> listPath) {
        if ("map".equals(listType) && !keys.isEmpty()) {
            if (item == null || item.isNull()) throw invalid(listPath, "associative list with keys may not have a null element");
            if (!item.isObject()) throw invalid(listPath, "associative list with keys may not have non-map elements");
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            SchemaType element = type.elementType();
            for (String k : keys) {
                JsonNode v = item.get(k);
                if (v == null) v = element.fieldDefault(k);
                if (v != null) fields.add(Map.entry(k, v));
            }
            if (fields.isEmpty()) {
                throw invalid(listPath, "associative list with keys has an element that omits all key fields "
                        + goQuotedList(keys) + " (and doesn't have default values for any key fields)");
            }
            return PathElement.key(fields);
        }
        if (item == null || item.isNull()) throw invalid(listPath, "associative list without keys has an element that's an explicit null");
        if (item.isObject()) throw invalid(listPath, "associative list without keys has an element that's a map type");
        if (item.isArray()) throw invalid(listPath, "not supported: associative list with lists as elements");
        return PathElement.value(item);
    }

    private static String goQuotedList(List<String> keys) {
        List<String> q = new ArrayList<>();
        keys.forEach(k -> q.add("\"" + k + "\""));
        return "[" + String.join(" ", q) + "]";
    }

    /** An object that does not fit its schema's list semantics (structured-merge-diff's validation errors). */
    static TypedValueException invalid(List<PathElement> path, String message) {
        return new TypedValueException(PathElement.display(path) + ": " + message);
    }

    /** Thrown where structured-merge-diff reports a validation error; callers add their context. */
    static final class TypedValueException extends IllegalArgumentException {
        TypedValueException(String message) {
            super(message);
        }
    }
}
