package kubefake.store.registry.fieldvalidation;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kubefake.store.registry.patch.SchemaType;

/**
 * How the real server's Go decoder sees one type of a built-in kind: a struct with a fixed set of JSON
 * fields, a map, a list, something decoded as a whole (a scalar, or a type with its own {@code UnmarshalJSON}
 * such as {@code RawExtension}, {@code IntOrString}, {@code Quantity}, {@code Time}, {@code FieldsV1}), or an
 * {@code interface{}} (schema-less JSON).
 *
 * <p>A layout is compiled from a {@link SchemaType} once and kept: named types in one cache shared by every
 * kind, inline types by their parent. Children are compiled on first use, so recursive types (a CRD's
 * {@code JSONSchemaProps}) cost only what requests visit.
 */
final class FieldLayout {

    /** What a JSON value meets when the Go decoder reads it into this type. */
    enum Kind {
        /** A Go struct: its declared fields are known, any other key is an unknown field. */
        STRUCT,
        /** A Go map: any key; a key seen twice is a duplicate field. */
        MAP,
        /** A Go slice of elements of one type. */
        LIST,
        /** Decoded as a whole, by a scalar decoder or the type's own unmarshaller: nothing inside is checked. */
        OPAQUE,
        /** A Go {@code interface{}}: nothing is unknown, but duplicate keys are reported at any depth. */
        ANY
    }

    /**
     * Types that are empty Go structs but look free-form in OpenAPI ({@code type: object} without properties):
     * every field given to them is unknown. The other such types (RawExtension, FieldsV1) decode themselves.
     */
    private static final Set<String> EMPTY_STRUCTS = Set.of(
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus",
            "io.k8s.apimachinery.pkg.apis.meta.v1.Patch");

    /** The layout of schema-less JSON (patch bodies, custom resources). */
    static final FieldLayout ANY = new FieldLayout(Kind.ANY, null);
    private static final FieldLayout OPAQUE = new FieldLayout(Kind.OPAQUE, null);

    /** Named types by identity ({@link kubefake.store.registry.patch.PatchSchema} hands out one instance each). */
    private static final Map<SchemaType, FieldLayout> NAMED = new ConcurrentHashMap<>();

    private final Kind kind;
    private final SchemaType type;
    // Compiled on first use; a race only compiles the same immutable value twice.
    private volatile Map<String, FieldLayout> fields;
    private volatile FieldLayout element;

    private FieldLayout(Kind kind, SchemaType type) {
        this.kind = kind;
        this.type = type;
    }

    /** A Go struct with exactly these fields, for request types no OpenAPI document describes. */
    static FieldLayout struct(Map<String, FieldLayout> fields) {
        FieldLayout layout = new FieldLayout(Kind.STRUCT, null);
        layout.fields = Map.copyOf(fields);
        return layout;
    }

    /** A Go slice of that element type. */
    static FieldLayout listOf(FieldLayout element) {
        FieldLayout layout = new FieldLayout(Kind.LIST, null);
        layout.element = element;
        return layout;
    }

    /** What scalars and self-decoding types are: nothing inside is checked. */
    static FieldLayout opaque() {
        return OPAQUE;
    }

    /** The layout of a type, compiled once per named type. */
    static FieldLayout of(SchemaType type) {
        if (type == null) {
            return OPAQUE;
        }
        if (type.name().isEmpty()) {
            return compile(type);
        }
        return NAMED.computeIfAbsent(type, FieldLayout::compile);
    }

    private static FieldLayout compile(SchemaType type) {
        if (type.preservesUnknownFields()) {
            return OPAQUE;
        }
        return switch (type.shape()) {
            case OBJECT -> new FieldLayout(Kind.STRUCT, type);
            case MAP -> new FieldLayout(Kind.MAP, type);
            case LIST -> new FieldLayout(Kind.LIST, type);
            case SCALAR -> OPAQUE;
            case UNTYPED -> EMPTY_STRUCTS.contains(type.name()) ? new FieldLayout(Kind.STRUCT, type) : OPAQUE;
        };
    }

    Kind kind() {
        return kind;
    }

    /**
     * The layout of a key's value: for a struct, the declared field's type or null when the field is unknown;
     * for a map, its value type; for {@link Kind#ANY}, {@link Kind#ANY}; otherwise {@link Kind#OPAQUE}.
     */
    FieldLayout child(String key) {
        return switch (kind) {
            case STRUCT -> fields().get(key);
            case MAP -> element();
            case ANY -> ANY;
            default -> OPAQUE;
        };
    }

    /** The layout of a list's elements ({@link Kind#ANY} inside {@link Kind#ANY}). */
    FieldLayout element() {
        if (kind == Kind.ANY) {
            return ANY;
        }
        if (kind != Kind.MAP && kind != Kind.LIST) {
            return OPAQUE;
        }
        FieldLayout compiled = element;
        if (compiled == null) {
            compiled = of(type.elementType());
            element = compiled;
        }
        return compiled;
    }

    private Map<String, FieldLayout> fields() {
        Map<String, FieldLayout> compiled = fields;
        if (compiled == null) {
            Map<String, FieldLayout> byName = new HashMap<>();
            for (String name : type.fieldNames()) {
                byName.put(name, of(type.field(name).type()));
            }
            compiled = Map.copyOf(byName);
            fields = compiled;
        }
        return compiled;
    }

    @Override
    public String toString() {
        return "FieldLayout[" + kind + (type == null ? "" : ", " + type.name()) + "]";
    }
}
