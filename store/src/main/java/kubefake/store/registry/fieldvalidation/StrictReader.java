package kubefake.store.registry.fieldvalidation;

import kubefake.store.registry.errors.GoFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a request body into a Jackson tree the way the real server's strict decoder
 * ({@code sigs.k8s.io/json} with {@code DisallowUnknownFields} and {@code DisallowDuplicateFields}) reads it
 * into a Go value of the given {@link FieldLayout}, and collects its strict errors in the order it does:
 * document order, each error once, at most 100.
 *
 * <ul>
 *   <li>A key a struct does not declare is an unknown field; nothing inside its value is looked at.</li>
 *   <li>A struct field or map key given twice is a duplicate field, named by the path of the key.</li>
 *   <li>The later value of a duplicate wins; like Go, a later object is decoded into the earlier struct or
 *       map (merging into it) and a later list into the earlier one element by element.</li>
 *   <li>Values decoding themselves (RawExtension, Quantity, ...) are not looked into.</li>
 * </ul>
 *
 * <p>For YAML bodies the real server first converts YAML to JSON (later keys win) and reports repeated
 * keys as yaml.v2 does, {@code line 3: key "a" already set in map}, in one error placed first; the strict
 * JSON decode then finds the unknown fields.
 */
final class StrictReader {

    /** sigs.k8s.io/json stops recording strict errors after this many. */
    static final int MAX_ERRORS = 100;

    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A parsed body and its strict errors, each as Go's error text; {@code paths} are the field paths of the
     * JSON errors (not of a YAML error), in the same order.
     */
    record Result(JsonNode value, List<String> errors, List<String> paths) {
    }

    private final JsonParser parser;
    private final boolean yaml;
    private final Set<String> errors = new LinkedHashSet<>();
    private final List<String> paths = new ArrayList<>();
    private final List<String> yamlDuplicates = new ArrayList<>();

    private StrictReader(JsonParser parser, boolean yaml) {
        this.parser = parser;
        this.yaml = yaml;
    }

    /** Reads one JSON value. */
    static Result readJson(byte[] json, FieldLayout layout) {
        return read(json, layout, false);
    }

    /** Reads one YAML document. */
    static Result readYaml(byte[] yaml, FieldLayout layout) {
        return read(yaml, layout, true);
    }

    private static Result read(byte[] body, FieldLayout layout, boolean yaml) {
        try (JsonParser parser = (yaml ? YAML : JSON).createParser(body)) {
            StrictReader reader = new StrictReader(parser, yaml);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty body");
            }
            // YAML is converted to JSON first (keys sorted, later keys winning), then decoded strictly.
            JsonNode value = reader.value(first, yaml ? null : layout, "", null);
            if (!yaml && parser.nextToken() != null) {
                throw new IllegalArgumentException("invalid character after top-level value");
            }
            if (yaml) {
                for (String path : UnknownFields.inSortedOrder(value, layout)) {
                    reader.record("unknown field", path);
                }
            }
            return new Result(value, reader.errors(), List.copyOf(reader.paths));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body failed", e);
        }
    }

    private List<String> errors() {
        List<String> all = new ArrayList<>();
        if (!yamlDuplicates.isEmpty()) {
            all.add("yaml: unmarshal errors:\n  " + String.join("\n  ", yamlDuplicates));
        }
        all.addAll(errors);
        return List.copyOf(all);
    }

    /**
     * Reads the value starting at {@code token}. {@code layout} is null inside unknown fields (nothing
     * reported); {@code earlier} is the value a duplicate key had before, which Go decodes into.
     */
    private JsonNode value(JsonToken token, FieldLayout layout, String path, JsonNode earlier) throws IOException {
        return switch (token) {
            case START_OBJECT -> object(layout, path, earlier);
            case START_ARRAY -> array(layout, path, earlier);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> yaml ? yamlFloat() : NumberLiteral.of(parser.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT -> NODES.pojoNode(parser.getEmbeddedObject());
            default -> throw new IllegalArgumentException("unexpected " + token);
        };
    }

    /**
     * A YAML float as Go's YAML-to-JSON conversion writes it: a float64 in encoding/json's form, so {@code 1.0}
     * becomes the integer {@code 1}; infinities and NaN have no JSON form.
     */
    private JsonNode yamlFloat() throws IOException {
        String literal = parser.getText().toLowerCase(java.util.Locale.ROOT);
        if (literal.endsWith(".inf") || literal.equals(".nan")) {
            throw new UnsupportedValueException(literal.equals(".nan") ? Double.NaN
                    : literal.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        String text = GoFloat.format(parser.getDoubleValue());
        if (text == null) {
            throw new UnsupportedValueException(parser.getDoubleValue());
        }
        if (text.indexOf('.') < 0 && text.indexOf('e') < 0) {
            java.math.BigInteger integer = new java.math.BigInteger(text);
            return integer.bitLength() < 32 ? NODES.numberNode(integer.intValue())
                    : integer.bitLength() < 64 ? NODES.numberNode(integer.longValue()) : NODES.numberNode(integer);
        }
        return NumberLiteral.of(text);
    }

    private ObjectNode object(FieldLayout layout, String path, JsonNode earlier) throws IOException {
        FieldLayout.Kind kind = layout == null ? FieldLayout.Kind.OPAQUE : layout.kind();
        boolean reusesEarlier = !yaml && (kind == FieldLayout.Kind.STRUCT || kind == FieldLayout.Kind.MAP);
        ObjectNode target = reusesEarlier && earlier instanceof ObjectNode object ? object : NODES.objectNode();
        Set<String> seen = new HashSet<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            boolean repeated = !seen.add(key);
            FieldLayout child = layout == null ? null : layout.child(key);
            // Paths are only needed where something can be reported (not inside unknown or opaque values).
            boolean reporting = kind == FieldLayout.Kind.STRUCT || kind == FieldLayout.Kind.MAP
                    || kind == FieldLayout.Kind.ANY;
            String childPath = reporting ? FieldPaths.key(path, key) : path;
            JsonNode before = null;
            switch (kind) {
                case STRUCT -> {
                    if (child == null) {
                        record("unknown field", childPath);
                    } else {
                        if (repeated && !yaml) {
                            record("duplicate field", childPath);
                        }
                        before = target.get(key);
                    }
                }
                case MAP, ANY -> {
                    if (repeated && !yaml) {
                        record("duplicate field", childPath);
                    }
                }
                default -> child = null;
            }
            JsonToken valueToken = parser.nextToken();
            int valueLine = parser.currentTokenLocation().getLineNr();
            target.set(key, value(valueToken, child, childPath, yaml ? null : before));
            if (yaml && repeated) {
                // yaml.v2 names the line of the value, after the errors found inside it.
                yamlDuplicates.add("line " + valueLine + ": key " + GoFormat.quote(key) + " already set in map");
            }
        }
        return target;
    }

    private ArrayNode array(FieldLayout layout, String path, JsonNode earlier) throws IOException {
        FieldLayout.Kind kind = layout == null ? FieldLayout.Kind.OPAQUE : layout.kind();
        FieldLayout element = kind == FieldLayout.Kind.LIST || kind == FieldLayout.Kind.ANY ? layout.element() : null;
        // Go decodes a repeated list into the earlier slice's elements (sigs.k8s.io/json keeps its length).
        JsonNode reused = !yaml && kind == FieldLayout.Kind.LIST && earlier != null && earlier.isArray()
                ? earlier : null;
        ArrayNode target = NODES.arrayNode();
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            JsonNode before = reused == null ? null : reused.get(index);
            target.add(value(token, element, element == null ? path : FieldPaths.index(path, index), before));
            index++;
        }
        return target;
    }

    private void record(String type, String path) {
        if (errors.size() < MAX_ERRORS && errors.add(type + " " + GoFormat.quote(path))) {
            paths.add(path);
        }
    }
}
