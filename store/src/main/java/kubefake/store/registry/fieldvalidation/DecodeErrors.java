package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kubefake.store.registry.patch.JsonValues;

/**
 * The error the real server's typed decoding gives for a JSON value of the wrong shape for its Go type, found by
 * walking a parsed tree along a {@link FieldLayout}. Two decoders, two vocabularies:
 * <ul>
 *   <li>{@link #ofJson}: {@code sigs.k8s.io/json} decoding request bodies and the results of JSON and merge
 *       patches ({@code json: cannot unmarshal bool into Go struct field ConfigMap.data of type
 *       map[string]string}). A type error is remembered and decoding goes on, so the first one in document order
 *       is reported; an error of a type's own {@code UnmarshalJSON} (Quantity, Time, IntOrString) stops it at
 *       once and wins. A value Go cannot store in a {@code []byte} fails with the base64 decoder's text.</li>
 *   <li>{@link #ofConversion}: {@code runtime.DefaultUnstructuredConverter} turning the result of a strategic
 *       merge patch into the Go type ({@code cannot restore map from bool}, {@code cannot convert int64 to
 *       string}); it stops at the first error, struct fields taken in the schema's order.</li>
 * </ul>
 * Unknown fields are not looked into; {@code null} is accepted everywhere, as Go's decoders accept it.
 */
final class DecodeErrors {

    /** Unwinds the walk at a fatal error. */
    private static final class Fatal extends Exception {
        final String message;

        Fatal(String message) {
            super(message, null, false, false);
            this.message = message;
        }
    }

    private final boolean sortedKeys;
    private String saved;
    private String structName;
    private final List<String> fieldStack = new ArrayList<>();

    private DecodeErrors(boolean sortedKeys) {
        this.sortedKeys = sortedKeys;
    }

    /**
     * The error decoding {@code value} into the type of {@code layout} as the JSON decoder reports it, or null.
     * {@code sortedKeys} walks objects in key order, as the JSON converted from YAML has them.
     */
    static String ofJson(JsonNode value, FieldLayout layout, boolean sortedKeys) {
        DecodeErrors walk = new DecodeErrors(sortedKeys);
        try {
            walk.value(value, layout);
        } catch (Fatal fatal) {
            return fatal.message;
        }
        return walk.saved;
    }

    /** The error converting {@code value} (a patched object as Go maps) into the type of {@code layout}, or null. */
    static String ofConversion(JsonNode value, FieldLayout layout) {
        try {
            convert(value, layout);
            return null;
        } catch (Fatal fatal) {
            return fatal.message;
        }
    }

    // ---- the JSON decoder ---------------------------------------------------------------------------------

    private void value(JsonNode value, FieldLayout layout) throws Fatal {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        switch (layout.goKind()) {
            case ANY -> any(value, layout);
            case STRUCT -> {
                if (value.isObject()) {
                    struct(value, layout);
                } else {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                }
            }
            case MAP -> {
                if (value.isObject()) {
                    FieldLayout element = layout.element();
                    for (Map.Entry<String, JsonNode> entry : fields(value)) {
                        value(entry.getValue(), element);
                    }
                } else {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                }
            }
            case LIST -> {
                if (value.isArray()) {
                    FieldLayout element = layout.element();
                    for (JsonNode item : value) {
                        value(item, element);
                    }
                } else {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                }
            }
            case BYTES -> {
                if (value.isTextual()) {
                    GoBase64.Decoded decoded = GoBase64.decode(value.textValue());
                    if (!decoded.ok()) {
                        save(decoded.error());
                    }
                } else if (value.isArray()) {
                    for (JsonNode item : value) {
                        value(item, layout.element());
                    }
                } else {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                }
            }
            case STRING -> {
                if (!value.isTextual()) {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                }
            }
            case BOOL -> {
                if (!value.isBoolean()) {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                }
            }
            case INT -> {
                if (!value.isNumber()) {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                } else if (!fitsInteger(value, layout)) {
                    typeError("number " + literal(value), layout.goType());
                }
            }
            case FLOAT -> {
                if (!value.isNumber()) {
                    typeError(JsonValues.jsonKind(value), layout.goType());
                } else if (!finite(value)) {
                    typeError("number " + literal(value), layout.goType());
                }
            }
            case QUANTITY -> {
                try {
                    GoQuantity.canonicalOf(unmarshalerText(value));
                } catch (GoQuantity.ParseException e) {
                    throw new Fatal(e.getMessage());
                }
            }
            case INT_OR_STRING -> {
                // IntOrString.UnmarshalJSON: a string, or else encoding/json into an int32
                if (!value.isTextual()) {
                    if (!value.isNumber()) {
                        throw new Fatal(typeErrorText(JsonValues.jsonKind(value), "int32"));
                    }
                    if (!fitsInteger(value, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
                        throw new Fatal(typeErrorText("number " + literal(value), "int32"));
                    }
                }
            }
            case TIME, MICRO_TIME -> {
                if (!value.isTextual()) {
                    throw new Fatal(typeErrorText(JsonValues.jsonKind(value), "string"));
                }
                try {
                    GoTime.parse(value.textValue(), layout.goKind() == FieldLayout.GoKind.MICRO_TIME);
                } catch (GoTime.ParseException e) {
                    throw new Fatal(e.getMessage());
                }
            }
            case RAW -> {
            }
        }
    }

    private void struct(JsonNode object, FieldLayout layout) throws Fatal {
        String outerStruct = structName;
        int depth = fieldStack.size();
        for (Map.Entry<String, JsonNode> entry : fields(object)) {
            FieldLayout.Field field = layout.field(entry.getKey());
            if (field == null) {
                continue; // unknown: skipped without a look
            }
            structName = layout.structName();
            fieldStack.add(entry.getKey());
            value(entry.getValue(), field.layout());
            fieldStack.remove(depth);
            structName = outerStruct;
        }
    }

    /** An {@code interface{}}: only numbers can fail, those that are neither an int64 nor a finite float64. */
    private void any(JsonNode value, FieldLayout layout) throws Fatal {
        if (value.isNumber()) {
            String literal = literal(value);
            boolean int64 = literal.indexOf('.') < 0 && fitsInteger(value, Long.MIN_VALUE, Long.MAX_VALUE);
            if (!int64 && !finite(value)) {
                typeError("number " + literal, "float64");
            }
        } else if (value.isContainerNode()) {
            for (JsonNode child : value) {
                any(child, layout);
            }
        }
    }

    private Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        if (!sortedKeys) {
            return object.properties();
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    private void typeError(String jsonValue, String goType) {
        save(typeErrorText(jsonValue, goType));
    }

    private void save(String error) {
        if (saved == null) {
            saved = error;
        }
    }

    /** Go's {@code UnmarshalTypeError} text, with the struct field being decoded when there is one. */
    private String typeErrorText(String jsonValue, String goType) {
        if (structName == null && fieldStack.isEmpty()) {
            return "json: cannot unmarshal " + jsonValue + " into Go value of type " + goType;
        }
        return "json: cannot unmarshal " + jsonValue + " into Go struct field " + (structName == null ? "" : structName)
                + "." + String.join(".", fieldStack) + " of type " + goType;
    }

    // ---- the unstructured converter ------------------------------------------------------------------------

    private static void convert(JsonNode value, FieldLayout layout) throws Fatal {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        switch (layout.goKind()) {
            case ANY, RAW -> {
            }
            case STRUCT -> {
                if (!value.isObject()) {
                    throw new Fatal("cannot restore struct from: " + goKind(value));
                }
                for (String name : layout.structFieldNames()) {
                    JsonNode child = value.get(name);
                    if (child != null) {
                        convert(child, layout.field(name).layout());
                    }
                }
            }
            case MAP -> {
                if (!value.isObject()) {
                    throw new Fatal("cannot restore map from " + goKind(value));
                }
                for (JsonNode child : value) {
                    convert(child, layout.element());
                }
            }
            case LIST -> {
                if (!value.isArray()) {
                    throw new Fatal("cannot restore slice from " + goKind(value));
                }
                for (JsonNode child : value) {
                    convert(child, layout.element());
                }
            }
            case BYTES -> {
                if (value.isTextual()) {
                    GoBase64.Decoded decoded = GoBase64.decode(value.textValue());
                    if (!decoded.ok()) {
                        throw new Fatal("error decoding from json: " + decoded.error());
                    }
                } else if (value.isArray()) {
                    for (JsonNode child : value) {
                        convert(child, layout.element());
                    }
                } else {
                    throw new Fatal("cannot restore slice from " + goKind(value));
                }
            }
            case STRING -> {
                if (isInt64(value)) {
                    throw new Fatal("cannot convert int64 to " + layout.goType());
                }
                if (!value.isTextual()) {
                    throw new Fatal("unrecognized type: string");
                }
            }
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw new Fatal("unrecognized type: bool");
                }
            }
            case INT -> {
                if (!value.isNumber()) {
                    throw new Fatal("unrecognized type: " + intKind(layout));
                }
                if (!isInt64(value) && !integral(value)) {
                    throw new Fatal("cannot convert float64 to " + layout.goType());
                }
            }
            case FLOAT -> {
                if (!value.isNumber()) {
                    throw new Fatal("unrecognized type: float64");
                }
            }
            case QUANTITY -> {
                try {
                    GoQuantity.canonicalOf(value.isTextual() ? value.textValue() : goJsonText(value));
                } catch (GoQuantity.ParseException e) {
                    throw new Fatal(e.getMessage());
                }
            }
            case INT_OR_STRING -> {
                if (!value.isTextual()) {
                    if (!value.isNumber()) {
                        throw new Fatal("json: cannot unmarshal " + JsonValues.jsonKind(value) + " into Go value of type int32");
                    }
                    if (!integral(value) || !fitsInteger(value, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
                        throw new Fatal("json: cannot unmarshal number " + goJsonText(value)
                                + " into Go value of type int32");
                    }
                }
            }
            case TIME, MICRO_TIME -> {
                if (!value.isTextual()) {
                    throw new Fatal("json: cannot unmarshal " + JsonValues.jsonKind(value) + " into Go value of type string");
                }
                try {
                    GoTime.parse(value.textValue(), layout.goKind() == FieldLayout.GoKind.MICRO_TIME);
                } catch (GoTime.ParseException e) {
                    throw new Fatal(e.getMessage());
                }
            }
        }
    }

    /** The reflect kind of a value decoded into {@code interface{}} with ints preserved. */
    private static String goKind(JsonNode value) {
        if (value.isObject()) {
            return "map";
        }
        if (value.isArray()) {
            return "slice";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        return isInt64(value) ? "int64" : "float64";
    }

    private static String intKind(FieldLayout layout) {
        if (layout.max() == 255) {
            return "uint8";
        }
        return layout.max() == Integer.MAX_VALUE ? "int32" : "int64";
    }

    // ---- numbers -------------------------------------------------------------------------------------------

    /** The number as written in the JSON text (floats keep their text when {@link StrictReader} read them). */
    static String literal(JsonNode number) {
        return number.asText();
    }

    /** Whether Go's decoder reads it as an int64 into {@code interface{}}: no fraction, no exponent, in range. */
    private static boolean isInt64(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong();
    }

    private static boolean integral(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        BigDecimal decimal = value.decimalValue();
        return decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0;
    }

    private static boolean fitsInteger(JsonNode value, FieldLayout layout) {
        return fitsInteger(value, layout.min(), layout.max());
    }

    /** Whether {@code strconv.ParseInt} (or ParseUint) reads the literal and the type holds it. */
    private static boolean fitsInteger(JsonNode value, long min, long max) {
        if (!value.isIntegralNumber()) {
            return false; // a fraction or an exponent: ParseInt refuses it
        }
        if (!value.canConvertToLong()) {
            return false;
        }
        long n = value.longValue();
        return n >= min && n <= max;
    }

    private static boolean finite(JsonNode value) {
        if (value.isIntegralNumber()) {
            BigInteger big = value.bigIntegerValue();
            return big.bitLength() < 1024 || Double.isFinite(big.doubleValue());
        }
        return Double.isFinite(value.decimalValue().doubleValue());
    }

    /** The bytes a type's {@code UnmarshalJSON} gets, as Quantity reads them: a string's content, else the JSON. */
    private static String unmarshalerText(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return literal(value);
        }
        return value.toString();
    }

    /** How Go's encoding/json writes a value decoded into {@code interface{}} (numbers as int64 or float64). */
    private static String goJsonText(JsonNode value) {
        if (value.isNumber()) {
            if (isInt64(value)) {
                return Long.toString(value.longValue());
            }
            return GoFloat.format(value.decimalValue().doubleValue());
        }
        return value.toString();
    }
}
