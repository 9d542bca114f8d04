package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One type of an OpenAPI v3 document, with its {@code $ref}s and {@code allOf} wrappers resolved: an object
 * with declared fields, a map, a list, a scalar, or untyped (free-form JSON, or a type no document
 * describes). Its members are looked up lazily, so walking a big document costs only what is visited.
 *
 * <p>Besides the patch metadata strategic merge patch needs ({@link SchemaField#patchStrategies()},
 * {@link SchemaField#patchMergeKey()}), it exposes the list and map semantics server-side apply will need
 * ({@link #listType()}, {@link #listMapKeys()}, {@link #mapType()}).
 */
public final class SchemaType {

    /** What a value of the type looks like. */
    public enum Shape {
        /** An object with declared fields ({@code properties}). */
        OBJECT,
        /** An object with arbitrary keys whose values share one type ({@code additionalProperties}). */
        MAP,
        /** A JSON array ({@code items}). */
        LIST,
        /** A string, number, boolean, or int-or-string. */
        SCALAR,
        /** Anything: no schema says more (free-form objects, preserved unknown fields, unknown types). */
        UNTYPED
    }

    /** The type of values nothing is known about: every field of it is untyped too. */
    public static final SchemaType UNTYPED = new SchemaType(null, "", MissingNode.getInstance());

    private final PatchSchema document;
    private final String name;
    private final JsonNode node;
    private final Shape shape;

    SchemaType(PatchSchema document, String name, JsonNode node) {
        this.document = document;
        this.name = name;
        this.node = node;
        this.shape = shapeOf(node);
    }

    /** The {@code components.schemas} name, e.g. {@code io.k8s.api.core.v1.PodSpec}; "" for inline types. */
    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    /**
     * The field of that JSON name: a declared property of an object, a value of a map, or else an
     * undeclared field of untyped content. Never null.
     */
    public SchemaField field(String jsonName) {
        if (shape == Shape.OBJECT) {
            JsonNode declaration = node.get("properties").get(jsonName);
            return declaration == null ? SchemaField.undeclared(jsonName) : declared(jsonName, declaration);
        }
        if (shape == Shape.MAP) {
            JsonNode values = node.get("additionalProperties");
            return values.isObject() ? declared(jsonName, values) : SchemaField.undeclared(jsonName);
        }
        return SchemaField.undeclared(jsonName);
    }

    /** The {@code default} declared for a field of an object type (a map-list key's default), or null. */
    public JsonNode fieldDefault(String jsonName) {
        if (shape != Shape.OBJECT) {
            return null;
        }
        JsonNode declaration = node.get("properties").get(jsonName);
        return declaration == null ? null : declaration.get("default");
    }

    /** The declared field names of an object type, in document order; empty for other shapes. */
    public List<String> fieldNames() {
        return shape == Shape.OBJECT ? JsonValues.fieldNames(node.get("properties")) : List.of();
    }

    /** The type of a list's elements or of a map's values; {@link #UNTYPED} for other shapes. */
    public SchemaType elementType() {
        if (shape == Shape.LIST) {
            return document.resolve(node.get("items"));
        }
        if (shape == Shape.MAP && node.get("additionalProperties").isObject()) {
            return document.resolve(node.get("additionalProperties"));
        }
        return UNTYPED;
    }

    /** {@code x-kubernetes-list-type} ({@code atomic}, {@code set}, {@code map}) or null. */
    public String listType() {
        return text(node, "x-kubernetes-list-type");
    }

    /** {@code x-kubernetes-list-map-keys}; empty when not a map list. */
    public List<String> listMapKeys() {
        return texts(node, "x-kubernetes-list-map-keys");
    }

    /** {@code x-kubernetes-map-type} ({@code atomic}, {@code granular}) or null. */
    public String mapType() {
        return text(node, "x-kubernetes-map-type");
    }

    /** Whether unknown fields are kept ({@code x-kubernetes-preserve-unknown-fields}). */
    public boolean preservesUnknownFields() {
        return node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }

    /** The OpenAPI {@code type} ({@code string}, {@code integer}, {@code object} ...), or null. */
    public String jsonType() {
        return text(node, "type");
    }

    /** The OpenAPI {@code format} ({@code int32}, {@code byte}, {@code date-time} ...), or null. */
    public String format() {
        return text(node, "format");
    }

    /** The Go type's name, as the server's error messages use it ({@code PodSpec}). */
    public String goName() {
        int dot = name.lastIndexOf('.');
        return dot >= 0 ? name.substring(dot + 1) : name;
    }

    private SchemaField declared(String jsonName, JsonNode declaration) {
        return new SchemaField(jsonName, document.resolve(declaration),
                strategies(text(declaration, "x-kubernetes-patch-strategy")),
                text(declaration, "x-kubernetes-patch-merge-key"), true,
                text(declaration, "x-kubernetes-list-type"), text(declaration, "x-kubernetes-map-type"));
    }

    private static List<String> strategies(String extension) {
        if (extension == null || extension.isEmpty()) {
            return List.of();
        }
        return List.of(extension.split(","));
    }

    private static Shape shapeOf(JsonNode node) {
        if (node.path("properties").isObject() && node.get("properties").size() > 0) {
            return Shape.OBJECT;
        }
        String type = text(node, "type");
        if ("array".equals(type)) {
            return Shape.LIST;
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && (additional.isObject() || additional.asBoolean(false))) {
            return Shape.MAP;
        }
        if (node.path("x-kubernetes-int-or-string").asBoolean(false)
                || "string".equals(type) || "integer".equals(type) || "number".equals(type)
                || "boolean".equals(type)) {
            return Shape.SCALAR;
        }
        return Shape.UNTYPED;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static List<String> texts(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(value.size());
        value.forEach(element -> texts.add(element.asText()));
        return List.copyOf(texts);
    }

    @Override
    public String toString() {
        return "SchemaType[" + (name.isEmpty() ? "inline" : name) + ", " + shape + "]";
    }
}
