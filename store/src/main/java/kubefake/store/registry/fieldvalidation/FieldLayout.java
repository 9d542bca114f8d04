package kubefake.store.registry.fieldvalidation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kubefake.store.registry.patch.SchemaType;

/**
 * How the real server's Go decoder sees one type: a struct with a fixed set of JSON fields, a map, a list, a
 * scalar of one Go type, a type with its own {@code UnmarshalJSON} ({@code Quantity}, {@code IntOrString},
 * {@code Time}, {@code MicroTime}, {@code RawExtension}, {@code FieldsV1}), or an {@code interface{}}
 * (schema-less JSON).
 *
 * <p>A layout is compiled from a {@link SchemaType} (the bundled OpenAPI documents, or later a CRD's schema) and
 * from the Go facts OpenAPI loses ({@link GoJsonTags}: pointers, fields without {@code omitempty}, named Go types)
 * once, and kept: named types in one cache shared by every kind, inline types by their parent. Children are
 * compiled on first use, so recursive types (a CRD's {@code JSONSchemaProps}) cost only what requests visit.
 * Every reader of request bodies walks these layouts: the strict decoder (unknown and duplicate fields), the
 * type checker ({@link DecodeErrors}) and the round trip ({@link GoRoundTrip}).
 */
final class FieldLayout {

    /** What the strict decoder does with a JSON value of this type. */
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

    /** The Go type a JSON value is decoded into, which decides what JSON it accepts and how Go writes it back. */
    enum GoKind {
        STRUCT, MAP, LIST,
        /** {@code []byte}: base64 text. */
        BYTES,
        STRING, BOOL,
        /** An integer type of {@link #min()}..{@link #max()}. */
        INT,
        FLOAT,
        /** {@code resource.Quantity}. */
        QUANTITY,
        /** {@code intstr.IntOrString}. */
        INT_OR_STRING,
        /** {@code metav1.Time}. */
        TIME,
        /** {@code metav1.MicroTime}. */
        MICRO_TIME,
        /** Kept as raw JSON ({@code RawExtension}, {@code FieldsV1}, preserved unknown fields). */
        RAW,
        /** {@code interface{}}. */
        ANY
    }

    /**
     * A field of a struct.
     *
     * @param pointer a Go pointer: absent when not set, a zero value that is present is kept
     * @param always  a scalar, slice or map without {@code omitempty}: Go writes it even when zero or empty
     */
    record Field(String name, FieldLayout layout, boolean pointer, boolean always) {

        /** Whether Go writes the field when it is absent: a non-pointer struct, or a field without omitempty. */
        boolean writtenWhenAbsent() {
            if (pointer) {
                return false;
            }
            return switch (layout.goKind) {
                case STRUCT, QUANTITY, INT_OR_STRING, TIME, MICRO_TIME -> true;
                case RAW -> layout.writesNullWhenZero();
                default -> always;
            };
        }
    }

    /**
     * Types that are empty Go structs but look free-form in OpenAPI ({@code type: object} without properties):
     * every field given to them is unknown. The other such types (RawExtension, FieldsV1) decode themselves.
     */
    private static final Set<String> EMPTY_STRUCTS = Set.of(
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus",
            "io.k8s.apimachinery.pkg.apis.meta.v1.Patch");

    /** The apimachinery types with their own JSON form, by schema name. */
    private static final Map<String, GoKind> SELF_DECODING = Map.of(
            "io.k8s.apimachinery.pkg.api.resource.Quantity", GoKind.QUANTITY,
            "io.k8s.apimachinery.pkg.util.intstr.IntOrString", GoKind.INT_OR_STRING,
            "io.k8s.apimachinery.pkg.apis.meta.v1.Time", GoKind.TIME,
            "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime", GoKind.MICRO_TIME,
            "io.k8s.apimachinery.pkg.runtime.RawExtension", GoKind.RAW,
            "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", GoKind.RAW);

    /** The layout of schema-less JSON (patch bodies, custom resources). */
    static final FieldLayout ANY = new FieldLayout(GoKind.ANY, null, "interface {}");
    private static final FieldLayout OPAQUE = new FieldLayout(GoKind.RAW, null, "interface {}");
    private static final FieldLayout STRING = new FieldLayout(GoKind.STRING, null, "string");
    /** The elements of a {@code []byte} given as a JSON array of numbers. */
    private static final FieldLayout UINT8 = new FieldLayout(GoKind.INT, null, "uint8", null, 0, 255, null);

    /** Named types by identity ({@link kubefake.store.registry.patch.PatchSchema} hands out one instance each). */
    private static final Map<SchemaType, FieldLayout> NAMED = new ConcurrentHashMap<>();

    private final GoKind goKind;
    private final SchemaType type;
    private final String goType;
    private final String structName;
    private final long min;
    private final long max;
    /** The Go type of a slice's elements or a map's values when the field names it ({@code []v1.FinalizerName}). */
    private final String elementGoType;
    /** The proto message of a struct compiled from a schema, whose Go facts {@link GoJsonTags} has. */
    private final String message;
    /** Whether the struct's Go facts are known, so the round trip may add and drop its fields. */
    private final boolean described;
    // Compiled on first use; a race only compiles the same immutable value twice.
    private volatile Map<String, Field> fields;
    private volatile List<Field> writtenWhenAbsent;
    private volatile FieldLayout element;

    private FieldLayout(GoKind goKind, SchemaType type, String goType) {
        this(goKind, type, goType, null, 0, 0, null);
    }

    private FieldLayout(GoKind goKind, SchemaType type, String goType, String structName, long min, long max,
                        String elementGoType) {
        this.goKind = goKind;
        this.type = type;
        this.goType = goType;
        this.structName = structName;
        this.min = min;
        this.max = max;
        this.elementGoType = elementGoType;
        this.message = goKind == GoKind.STRUCT && type != null && !type.name().isEmpty() ? messageOf(type.name()) : null;
        this.described = message != null && GoJsonTags.get().describes(message);
    }

    /** A Go struct named {@code goType} with exactly these fields, for request types no OpenAPI document describes. */
    static FieldLayout struct(String goType, Map<String, FieldLayout> fields) {
        FieldLayout layout = new FieldLayout(GoKind.STRUCT, null, goType,
                goType.substring(goType.lastIndexOf('.') + 1), 0, 0, null);
        Map<String, Field> byName = new HashMap<>();
        fields.forEach((name, child) -> byName.put(name, new Field(name, child, false, false)));
        layout.fields = Map.copyOf(byName);
        layout.writtenWhenAbsent = List.of();
        return layout;
    }

    /** A Go slice named {@code goType} of that element type. */
    static FieldLayout listOf(String goType, FieldLayout element) {
        FieldLayout layout = new FieldLayout(GoKind.LIST, null, goType);
        layout.element = element;
        return layout;
    }

    /** A Go map named {@code goType} with string keys and values of that type. */
    static FieldLayout mapOf(String goType, FieldLayout element) {
        FieldLayout layout = new FieldLayout(GoKind.MAP, null, goType);
        layout.element = element;
        return layout;
    }

    /** A Go {@code string}. */
    static FieldLayout string() {
        return STRING;
    }

    /** What self-decoding values are: nothing inside is checked. */
    static FieldLayout opaque() {
        return OPAQUE;
    }

    /** The layout of a type, compiled once per named type. */
    static FieldLayout of(SchemaType type) {
        return of(type, null);
    }

    /** The layout of a type whose Go name a struct field's tag gives ({@code v1.Protocol}), or null. */
    private static FieldLayout of(SchemaType type, String goType) {
        if (type == null) {
            return OPAQUE;
        }
        if (!type.name().isEmpty()) {
            return NAMED.computeIfAbsent(type, t -> compile(t, null));
        }
        return compile(type, goType);
    }

    private static FieldLayout compile(SchemaType type, String goTypeOverride) {
        GoKind self = SELF_DECODING.get(type.name());
        String name = goTypeOverride != null ? goTypeOverride : goTypeOf(type);
        if (self != null) {
            return new FieldLayout(self, type, name);
        }
        if (type.preservesUnknownFields()) {
            return new FieldLayout(GoKind.RAW, type, name);
        }
        return switch (type.shape()) {
            case OBJECT -> new FieldLayout(GoKind.STRUCT, type, name, type.goName(), 0, 0, null);
            case MAP -> new FieldLayout(GoKind.MAP, type, name, null, 0, 0, elementOf(goTypeOverride));
            case LIST -> new FieldLayout(GoKind.LIST, type, name, null, 0, 0, elementOf(goTypeOverride));
            case SCALAR -> scalar(type, name);
            case UNTYPED -> EMPTY_STRUCTS.contains(type.name())
                    ? new FieldLayout(GoKind.STRUCT, type, name, type.goName(), 0, 0, null)
                    : new FieldLayout(GoKind.RAW, type, name);
        };
    }

    private static FieldLayout scalar(SchemaType type, String name) {
        String jsonType = type.jsonType();
        String format = type.format();
        if (jsonType == null) {
            return new FieldLayout(GoKind.INT_OR_STRING, type, name); // x-kubernetes-int-or-string
        }
        return switch (jsonType) {
            case "string" -> new FieldLayout("byte".equals(format) ? GoKind.BYTES : GoKind.STRING, type, name);
            case "boolean" -> new FieldLayout(GoKind.BOOL, type, name);
            case "number" -> new FieldLayout(GoKind.FLOAT, type, name);
            case "integer" -> "int32".equals(format)
                    ? new FieldLayout(GoKind.INT, type, name, null, Integer.MIN_VALUE, Integer.MAX_VALUE, null)
                    : new FieldLayout(GoKind.INT, type, name, null, Long.MIN_VALUE, Long.MAX_VALUE, null);
            default -> new FieldLayout(GoKind.RAW, type, name);
        };
    }

    /** The Go name of a type as the schema tells it: {@code v1.PodSpec}, {@code []v1.Container}, {@code int32}. */
    private static String goTypeOf(SchemaType type) {
        String name = type.name();
        if (!name.isEmpty()) {
            int last = name.lastIndexOf('.');
            int before = name.lastIndexOf('.', last - 1);
            return name.substring(before + 1);
        }
        return switch (type.shape()) {
            case LIST -> "[]" + goTypeOf(type.elementType());
            case MAP -> "map[string]" + goTypeOf(type.elementType());
            case SCALAR -> {
                String jsonType = type.jsonType();
                String format = type.format();
                if (jsonType == null) {
                    yield "intstr.IntOrString";
                }
                yield switch (jsonType) {
                    case "string" -> "byte".equals(format) ? "[]uint8" : "string";
                    case "boolean" -> "bool";
                    case "number" -> "float".equals(format) ? "float32" : "float64";
                    case "integer" -> "int32".equals(format) ? "int32" : "int64";
                    default -> "interface {}";
                };
            }
            default -> "interface {}";
        };
    }

    /** The element type a slice or map type's Go name gives: {@code []v1.X} and {@code map[string]v1.X} give v1.X. */
    private static String elementOf(String goType) {
        if (goType == null) {
            return null;
        }
        if (goType.startsWith("[]")) {
            return goType.substring(2);
        }
        if (goType.startsWith("map[")) {
            return goType.substring(goType.indexOf(']') + 1);
        }
        return null; // a named slice or map type: the schema tells its elements
    }

    /** The proto message of an OpenAPI schema name: {@code io.k8s.api.core.v1.Pod} is {@code k8s.io.api.core.v1.Pod}. */
    private static String messageOf(String schemaName) {
        if (!schemaName.startsWith("io.k8s.")) {
            return null;
        }
        return "k8s.io." + schemaName.substring("io.k8s.".length()).replace('-', '_');
    }

    Kind kind() {
        return switch (goKind) {
            case STRUCT -> Kind.STRUCT;
            case MAP -> Kind.MAP;
            case LIST -> Kind.LIST;
            case ANY -> Kind.ANY;
            default -> Kind.OPAQUE;
        };
    }

    GoKind goKind() {
        return goKind;
    }

    /** The Go type as {@code reflect} prints it in decoding errors: {@code v1.PodSpec}, {@code map[string]string}. */
    String goType() {
        return goType;
    }

    /** The name of a struct type without its package ({@code PodSpec}), as decoding errors print it. */
    String structName() {
        return structName;
    }

    long min() {
        return min;
    }

    long max() {
        return max;
    }

    /** Whether Go writes {@code null} for a zero value of this raw type (a struct such as RawExtension). */
    boolean writesNullWhenZero() {
        return goKind == GoKind.RAW && type != null && !type.name().isEmpty();
    }

    /** Whether the struct's Go facts are known (built-in types), so that the round trip may reshape it. */
    boolean described() {
        return described;
    }

    /**
     * The layout of a key's value: for a struct, the declared field's type or null when the field is unknown;
     * for a map, its value type; for {@link Kind#ANY}, {@link Kind#ANY}; otherwise {@link Kind#OPAQUE}.
     */
    FieldLayout child(String key) {
        return switch (kind()) {
            case STRUCT -> {
                Field field = fields().get(key);
                yield field == null ? null : field.layout();
            }
            case MAP -> element();
            case ANY -> ANY;
            default -> OPAQUE;
        };
    }

    /** A struct's field of that JSON name, or null when the struct does not declare it. */
    Field field(String key) {
        return goKind == GoKind.STRUCT ? fields().get(key) : null;
    }

    /** A struct's field names in the schema's order. */
    List<String> structFieldNames() {
        return type != null ? type.fieldNames() : List.copyOf(fields().keySet());
    }

    /** A struct's fields that Go writes even when they are absent (see {@link Field#writtenWhenAbsent()}). */
    List<Field> writtenWhenAbsent() {
        List<Field> compiled = writtenWhenAbsent;
        if (compiled == null) {
            List<Field> written = new ArrayList<>();
            if (described) {
                for (String name : structFieldNames()) { // in the schema's order, so output is stable
                    Field field = fields().get(name);
                    if (field.writtenWhenAbsent()) {
                        written.add(field);
                    }
                }
            }
            compiled = List.copyOf(written);
            writtenWhenAbsent = compiled;
        }
        return compiled;
    }

    /** The layout of a list's elements or a map's values ({@link Kind#ANY} inside {@link Kind#ANY}). */
    FieldLayout element() {
        if (goKind == GoKind.ANY) {
            return ANY;
        }
        if (goKind == GoKind.BYTES) {
            return UINT8;
        }
        if (goKind != GoKind.MAP && goKind != GoKind.LIST) {
            return OPAQUE;
        }
        FieldLayout compiled = element;
        if (compiled == null) {
            SchemaType elementType = type.elementType();
            String override = elementGoType != null && !elementGoType.equals(goTypeOf(elementType)) ? elementGoType : null;
            compiled = of(elementType, override);
            element = compiled;
        }
        return compiled;
    }

    private Map<String, Field> fields() {
        Map<String, Field> compiled = fields;
        if (compiled == null) {
            Map<String, Field> byName = new HashMap<>();
            GoJsonTags tags = GoJsonTags.get();
            for (String name : type.fieldNames()) {
                GoJsonTags.FieldTags facts = message == null ? GoJsonTags.FieldTags.DEFAULT : tags.ofJson(message, name);
                FieldLayout layout = of(type.field(name).type(), facts.goType());
                byName.put(name, new Field(name, layout, facts.pointer(), facts.always()));
            }
            compiled = Map.copyOf(byName);
            fields = compiled;
        }
        return compiled;
    }

    @Override
    public String toString() {
        return "FieldLayout[" + goKind + ", " + goType + "]";
    }
}
