package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.validation.SchemaFormats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates a custom resource against its CRD version's OpenAPI v3 schema, as the API server's kube-openapi
 * validator does, with its findings turned into field errors the way apiextensions-apiserver turns them
 * ({@code kubeOpenAPIResultToFieldErrors}): {@code spec.replicas: Invalid value: "string": spec.replicas in body
 * must be of type integer: "string"}, {@code spec.size: Required value}, {@code spec.color: Unsupported value:
 * "pink": supported values: "red", "blue"}. Paths are kube-openapi's: dotted, list items as {@code .0}.
 */
public final class SchemaValidation {
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private SchemaValidation() {
    }

    /** The field errors of {@code object} against {@code schema} (the CRD version's openAPIV3Schema). */
    public static List<FieldError> validate(JsonNode object, JsonNode schema) {
        List<FieldError> errors = new ArrayList<>();
        if (schema != null && schema.isObject()) validate(object, schema, "", errors);
        return errors;
    }

    private static void validate(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        if (value == null || value.isMissingNode()) return;
        if (value.isNull()) {
            // a null passes only a nullable schema, or one without a type
            String type = schema.path("type").asText("");
            if (!schema.path("nullable").asBoolean(false) && !type.isEmpty()) {
                errors.add(typeError(path, typeNames(schema), "null"));
            }
            return;
        }
        if (!typeMatches(value, schema)) {
            errors.add(typeError(path, typeNames(schema), dataType(value)));
            return;
        }
        enumCheck(value, schema, path, errors);
        if (value.isNumber()) numberChecks(value, schema, path, errors);
        if (value.isTextual()) stringChecks(value.asText(), schema, path, errors);
        if (value.isArray()) arrayChecks(value, schema, path, errors);
        if (value.isObject()) objectChecks((ObjectNode) value, schema, path, errors);
        for (JsonNode sub : schema.path("allOf")) validate(value, sub, path, errors);
        if (schema.has("anyOf") && !anyPasses(value, schema.get("anyOf"), path)) {
            errors.add(invalid(path, value, name(path) + " in body must match at least one schema in anyOf"));
        }
        if (schema.has("oneOf")) {
            int passing = 0;
            for (JsonNode sub : schema.get("oneOf")) if (passes(value, sub)) passing++;
            if (passing != 1) errors.add(invalid(path, value, name(path) + " in body must match exactly one schema in oneOf"));
        }
        if (schema.has("not") && passes(value, schema.get("not"))) {
            errors.add(invalid(path, value, name(path) + " in body must not validate the schema (not)"));
        }
    }

    /** Whether a value passes a sub-schema (of anyOf, oneOf, not). */
    private static boolean passes(JsonNode value, JsonNode schema) {
        List<FieldError> errors = new ArrayList<>();
        validate(value, schema, "", errors);
        return errors.isEmpty();
    }

    private static boolean anyPasses(JsonNode value, JsonNode schemas, String path) {
        for (JsonNode sub : schemas) if (passes(value, sub)) return true;
        return false;
    }

    private static String typeNames(JsonNode schema) {
        return schema.path("x-kubernetes-int-or-string").asBoolean(false) ? "integer,string" : schema.path("type").asText();
    }

    private static boolean typeMatches(JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isTextual() || isInteger(value);
        }
        String type = schema.path("type").asText("");
        return switch (type) {
            case "" -> true;
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> isInteger(value);
            case "number" -> value.isNumber();
            default -> true;
        };
    }

    /** Integers, and floats with an integral value (as the validator accepts a JSON 2.0 for an integer). */
    private static boolean isInteger(JsonNode value) {
        if (value.isIntegralNumber()) return true;
        return value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    /** The JSON type of a value as the validator names it. */
    static String dataType(JsonNode value) {
        if (value.isTextual()) return "string";
        if (value.isIntegralNumber()) return "integer";
        if (value.isNumber()) return "number";
        if (value.isBoolean()) return "boolean";
        if (value.isArray()) return "array";
        if (value.isObject()) return "object";
        return "null";
    }

    private static FieldError typeError(String path, String expected, String actual) {
        return FieldError.typeInvalid(fieldPath(path), actual,
                name(path) + " in body must be of type " + expected + ": \"" + actual + "\"");
    }

    private static void enumCheck(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null || !allowed.isArray()) return;
        for (JsonNode a : allowed) if (sameValue(a, value)) return;
        List<String> values = new ArrayList<>();
        for (JsonNode a : allowed) values.add(a.isTextual() ? a.asText() : a.toString());
        errors.add(FieldError.notSupported(fieldPath(path), value, values));
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        return a.equals(b);
    }

    private static void numberChecks(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        BigDecimal v = value.decimalValue();
        if (schema.has("multipleOf")) {
            BigDecimal m = schema.get("multipleOf").decimalValue();
            if (m.signum() != 0 && v.remainder(m).signum() != 0) {
                errors.add(invalid(path, value, name(path) + " in body should be a multiple of " + goV(m)));
            }
        }
        if (schema.has("maximum")) {
            BigDecimal max = schema.get("maximum").decimalValue();
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            if (exclusive ? v.compareTo(max) >= 0 : v.compareTo(max) > 0) {
                errors.add(invalid(path, value, name(path) + " in body should be less than " + (exclusive ? "" : "or equal to ")
                        + goV(max)));
            }
        }
        if (schema.has("minimum")) {
            BigDecimal min = schema.get("minimum").decimalValue();
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            if (exclusive ? v.compareTo(min) <= 0 : v.compareTo(min) < 0) {
                errors.add(invalid(path, value, name(path) + " in body should be greater than " + (exclusive ? "" : "or equal to ")
                        + goV(min)));
            }
        }
        String format = schema.path("format").asText("");
        if (format.equals("int32") && isInteger(value)
                && (v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0 || v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            errors.add(FieldError.typeInvalid(fieldPath(path), value, name(path) + " in body must be of type int32: \""
                    + value.asText() + "\""));
        }
    }

    private static void stringChecks(String s, JsonNode schema, String path, List<FieldError> errors) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            errors.add(FieldError.tooLong(fieldPath(path), schema.get("maxLength").asInt()));
        }
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            errors.add(FieldError.invalid(fieldPath(path), s, name(path) + " in body should be at least "
                    + schema.get("minLength").asInt() + " chars long"));
        }
        if (schema.has("pattern")) {
            Pattern p = pattern(schema.get("pattern").asText());
            if (p != null && !p.matcher(s).find()) {
                errors.add(FieldError.invalid(fieldPath(path), s, name(path) + " in body should match '"
                        + schema.get("pattern").asText() + "'"));
            }
        }
        String format = schema.path("format").asText("");
        if (!format.isEmpty() && !SchemaFormats.valid(format, s)) {
            errors.add(FieldError.typeInvalid(fieldPath(path), s, name(path) + " in body must be of type " + format
                    + ": " + kubefake.store.registry.errors.GoFormat.quote(s)));
        }
    }

    private static Pattern pattern(String regex) {
        return PATTERNS.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                return Pattern.compile("(?s).*");
            }
        });
    }

    private static void arrayChecks(JsonNode array, JsonNode schema, String path, List<FieldError> errors) {
        int size = array.size();
        if (schema.has("maxItems") && size > schema.get("maxItems").asInt()) {
            errors.add(FieldError.tooMany(fieldPath(path), size, schema.get("maxItems").asInt()));
        }
        if (schema.has("minItems") && size < schema.get("minItems").asInt()) {
            errors.add(invalid(path, array, name(path) + " in body should have at least " + schema.get("minItems").asInt()
                    + " items"));
        }
        if (schema.path("uniqueItems").asBoolean(false) || "set".equals(schema.path("x-kubernetes-list-type").asText())) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < i; j++) {
                    if (array.get(i).equals(array.get(j))) {
                        errors.add(FieldError.duplicate(fieldPath(path).index(i), array.get(i)));
                    }
                }
            }
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < size; i++) validate(array.get(i), items, child(path, Integer.toString(i)), errors);
        }
    }

    private static void objectChecks(ObjectNode object, JsonNode schema, String path, List<FieldError> errors) {
        if (schema.has("maxProperties") && object.size() > schema.get("maxProperties").asInt()) {
            errors.add(FieldError.tooMany(fieldPath(path), object.size(), schema.get("maxProperties").asInt()));
        }
        if (schema.has("minProperties") && object.size() < schema.get("minProperties").asInt()) {
            errors.add(invalid(path, object, name(path) + " in body should have at least "
                    + schema.get("minProperties").asInt() + " properties"));
        }
        for (JsonNode required : schema.path("required")) {
            JsonNode v = object.get(required.asText());
            if (v == null) errors.add(FieldError.required(fieldPath(child(path, required.asText())), ""));
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode propertySchema = properties.get(e.getKey());
            if (propertySchema != null) {
                validate(e.getValue(), propertySchema, child(path, e.getKey()), errors);
            } else if (additional != null && additional.isObject()) {
                validate(e.getValue(), additional, child(path, e.getKey()), errors);
            }
        }
        if (schema.path("x-kubernetes-embedded-resource").asBoolean(false)) {
            for (String f : List.of("apiVersion", "kind")) {
                if (object.path(f).asText("").isEmpty()) {
                    errors.add(FieldError.required(fieldPath(child(path, f)), "must not be empty"));
                }
            }
        }
    }

    private static FieldError invalid(String path, JsonNode value, String detail) {
        return FieldError.invalid(fieldPath(path), value, detail);
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** How the validator names the root (an unnamed field) in its messages. */
    private static String name(String path) {
        return path.isEmpty() ? "." : path;
    }

    private static FieldPath fieldPath(String path) {
        return FieldPath.of(path);
    }

    /** A number as Go's %v prints a float64 (the schema's bounds are float64s): 0, 1.5, 1e+06. */
    static String goV(BigDecimal d) {
        BigDecimal exact = new BigDecimal(Double.toString(d.doubleValue())).stripTrailingZeros();
        if (exact.signum() == 0) return "0";
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = exact.signum() < 0 ? "-" : "";
        // strconv's 'g' with the shortest precision: exponent form below 1e-4 and from 1e6
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = Integer.toString(Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + exact.abs().toPlainString();
    }
}
