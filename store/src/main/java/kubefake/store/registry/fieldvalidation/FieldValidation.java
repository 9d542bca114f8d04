package kubefake.store.registry.fieldvalidation;

import kubefake.store.registry.errors.GoFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.GoText;
import kubefake.store.registry.patch.PatchSchema;
import kubefake.store.registry.patch.PatchType;
import kubefake.store.registry.patch.SchemaType;

/**
 * Server-side field validation ({@code ?fieldValidation=Strict|Warn|Ignore}) of built-in kinds, as the real
 * API server does it: the request body is decoded strictly into the kind's Go type, and every unknown field
 * and every field given twice is a <em>problem</em>. With Strict the request fails, with Warn each problem
 * becomes a {@code Warning} header, with Ignore nothing is checked; in all cases unknown fields are not stored.
 *
 * <p>A problem is the real server's error text: {@code unknown field "spec.containers[0].foo"},
 * {@code duplicate field "metadata.name"}, {@code json patch unknown field "[0].foo"}, or for YAML bodies
 * {@code yaml: unmarshal errors:\n  line 3: key "a" already set in map}. Lists of problems come in the order
 * the real server reports them.
 *
 * <p>Which request does what:
 * <ul>
 *   <li>create and update: {@link #decode}; Strict fails with {@link #strictError} (400 BadRequest).</li>
 *   <li>merge patch: {@link #checkMergePatch}; JSON patch: {@link #checkJsonPatch}; strategic merge patch:
 *       {@link #checkStrategicMergePatch}; Strict fails with {@link #strictPatchError} (422 Invalid).</li>
 *   <li>Warn: {@link #warnings} gives the texts, {@link #warningHeader} the header values; then
 *       {@link #dropUnknownFields} before storing.</li>
 * </ul>
 * Kinds without a bundled schema (custom resources) have no unknown fields here; duplicates are still found.
 * The schema of each kind is compiled once into {@link FieldLayout}s shared by all requests.
 */
public final class FieldValidation {

    /** The values of the {@code fieldValidation} query parameter. */
    public enum Directive {
        STRICT("Strict"), WARN("Warn"), IGNORE("Ignore");

        private final String queryValue;

        Directive(String queryValue) {
            this.queryValue = queryValue;
        }

        public String queryValue() {
            return queryValue;
        }

        /**
         * The directive a request asks for: absent or empty means {@link #WARN}, as on the real server. Null
         * for any other value, which the real server refuses with 422: {@code CreateOptions.meta.k8s.io ""
         * is invalid: fieldValidation: Unsupported value: "x": supported values: "", "Ignore", "Strict", "Warn"}
         * (UpdateOptions, PatchOptions alike).
         */
        public static Directive fromQuery(String value) {
            if (value == null || value.isEmpty()) {
                return WARN;
            }
            for (Directive directive : values()) {
                if (directive.queryValue.equals(value)) {
                    return directive;
                }
            }
            return null;
        }
    }

    /**
     * A decoded request body, its strict problems, and the error decoding it into the kind's Go type (null when
     * it fits), which fails the request whatever the fieldValidation directive.
     */
    public record Decoded(JsonNode object, List<String> problems, String decodeError) {
    }

    /**
     * The problems of a patch request and the text a 422 quotes as the invalid value (the patched object for JSON
     * and merge patches, the patch as Go prints a map for strategic merge patches); {@code decodeError} is the
     * error decoding the patched object into the kind's Go type, or null.
     */
    public record PatchProblems(List<String> problems, String invalidValue, String decodeError) {
    }

    private static final Map<String, Optional<FieldLayout>> KINDS = new ConcurrentHashMap<>();

    /** The Go type the patch handler decodes a JSON patch into: op, path and from are strings, value is anything. */
    private static final FieldLayout JSON_PATCH_OPERATIONS = FieldLayout.listOf("[]handlers.jsonPatchOp",
            FieldLayout.struct("handlers.jsonPatchOp", Map.of("op", FieldLayout.string(), "path", FieldLayout.string(),
                    "from", FieldLayout.string(), "value", FieldLayout.ANY)));

    /** The Go type the patch handler decodes merge and strategic merge patches into. */
    private static final FieldLayout PATCH_MAP = FieldLayout.mapOf("map[string]interface {}", FieldLayout.ANY);

    private FieldValidation() {
    }

    // ---- finding problems ------------------------------------------------------------------------------

    /**
     * The unknown fields of an object of that kind, as paths ({@code spec.containers[0].foo}) in the order
     * the strict JSON decoder reports them for this tree written out in its order; empty for kinds without
     * a bundled schema.
     */
    public static List<String> unknownFields(JsonNode object, String group, String version, String kind) {
        FieldLayout layout = layoutOf(group, version, kind);
        return layout == null ? List.of() : UnknownFields.inDocumentOrder(object, layout);
    }

    /** Removes the unknown fields of an object of that kind, as decoding into its Go type does. */
    public static void dropUnknownFields(ObjectNode object, String group, String version, String kind) {
        FieldLayout layout = layoutOf(group, version, kind);
        if (layout != null) {
            UnknownFields.drop(object, layout);
        }
    }

    /**
     * Parses JSON without a schema (as Go decodes into {@code map[string]interface{}}): the last value of a
     * repeated key wins, and the path of each repeated key is added to {@code duplicatesOut}.
     *
     * @throws IllegalArgumentException when the body is not one JSON value
     */
    public static JsonNode parseCheckingDuplicates(byte[] json, List<String> duplicatesOut) {
        StrictReader.Result result = StrictReader.readJson(json, FieldLayout.ANY);
        duplicatesOut.addAll(result.paths());
        return result.value();
    }

    /**
     * Decodes a create or update body (JSON, or YAML when {@code yaml}) for an object of that kind: the
     * object (unknown fields still in it, the last value of a repeated field winning as in Go) and every
     * problem, unknown and duplicate fields interleaved in the order the real server reports them. The kind
     * is the one the body names ({@code apiVersion}/{@code kind}, defaulted from the URL), as the real server
     * decodes into that. With Ignore the real server checks nothing: ignore the problems, still drop the
     * unknown fields.
     *
     * @throws IllegalArgumentException when the body is not one JSON value (or YAML document)
     */
    public static Decoded decode(byte[] body, boolean yaml, String group, String version, String kind) {
        FieldLayout layout = layoutOf(group, version, kind);
        FieldLayout effective = layout == null ? FieldLayout.ANY : layout;
        StrictReader.Result result = yaml ? StrictReader.readYaml(body, effective)
                : StrictReader.readJson(body, effective);
        // the JSON converted from YAML has Go map order: keys sorted at every level
        return new Decoded(result.value(), result.errors(), DecodeErrors.ofJson(result.value(), effective, yaml));
    }

    /**
     * The error decoding an object (a tree already parsed, e.g. from protobuf) into the Go type of that kind, as the
     * JSON decoder words it, or null.
     */
    public static String decodeError(JsonNode object, String group, String version, String kind) {
        FieldLayout layout = layoutOf(group, version, kind);
        return DecodeErrors.ofJson(object, layout == null ? FieldLayout.ANY : layout, false);
    }

    /**
     * Decodes a PATCH body as the real patch handler does before applying it: a JSON patch into its operations,
     * a merge patch into a {@code map[string]interface{}} (both only under Strict and Warn), a strategic merge
     * patch into a map always. A value of the wrong type, or a number no float64 holds, is a 400:
     * {@code error decoding patch: json: cannot unmarshal number 1e99999 into Go value of type float64} (a strategic
     * merge patch without the prefix). Bodies that are not JSON are left to the patch engines.
     */
    public static void decodePatchBody(PatchType type, byte[] body, Directive directive) {
        if (type == null) {
            return; // not a patch type: the patch engines answer 415
        }
        boolean strictOrWarn = directive != Directive.IGNORE;
        FieldLayout layout = switch (type) {
            case JSON -> strictOrWarn ? JSON_PATCH_OPERATIONS : null;
            case MERGE -> strictOrWarn ? PATCH_MAP : null;
            case STRATEGIC -> PATCH_MAP;
            default -> null;
        };
        if (layout == null) {
            return;
        }
        JsonNode patch;
        try {
            patch = StrictReader.readJson(body, FieldLayout.ANY).value();
        } catch (IllegalArgumentException notJson) {
            return;
        }
        String error = DecodeErrors.ofJson(patch, layout, false);
        if (error != null) {
            throw StatusException.badRequest(type == PatchType.STRATEGIC ? error : "error decoding patch: " + error);
        }
    }

    /**
     * The problems of a merge patch ({@code application/merge-patch+json}) on {@code current}: repeated keys
     * of the patch, then the unknown fields of the patched object in the order of the text v4 writes.
     */
    public static PatchProblems checkMergePatch(JsonNode current, byte[] patchBody,
                                                String group, String version, String kind) {
        StrictReader.Result patch = StrictReader.readJson(patchBody, FieldLayout.ANY);
        String patched = PatchedText.mergePatched(current, patch.value());
        PatchedDecoding decoded = decodePatched(patched, group, version, kind);
        return new PatchProblems(concat(patch.errors(), decoded.problems()), patched, decoded.error());
    }

    /**
     * The problems of a JSON patch ({@code application/json-patch+json}) whose result is {@code patched}:
     * problems of the operations ({@code json patch unknown field "[0].foo"}), then the unknown fields of the
     * patched object.
     */
    public static PatchProblems checkJsonPatch(byte[] patchBody, JsonNode patched,
                                               String group, String version, String kind) {
        List<String> problems = new ArrayList<>();
        StrictReader.Result operations = StrictReader.readJson(patchBody, JSON_PATCH_OPERATIONS);
        for (String problem : operations.errors()) {
            problems.add("json patch " + problem);
        }
        String text = PatchedText.jsonPatched(patched, operations.value());
        PatchedDecoding decoded = decodePatched(text, group, version, kind);
        problems.addAll(decoded.problems());
        return new PatchProblems(List.copyOf(problems), text, decoded.error());
    }

    /**
     * The problems of a strategic merge patch whose result is {@code patched}: repeated keys of the patch,
     * then the unknown fields of the result as the unstructured converter reports them (sorted, map keys
     * left out of the paths).
     */
    public static PatchProblems checkStrategicMergePatch(byte[] patchBody, JsonNode patched,
                                                         String group, String version, String kind) {
        StrictReader.Result patch = StrictReader.readJson(patchBody, FieldLayout.ANY);
        FieldLayout layout = layoutOf(group, version, kind);
        List<String> unknown = layout == null ? List.of() : UnknownFields.asConverterReports(patched, layout);
        String decodeError = layout == null ? null : DecodeErrors.ofConversion(patched, layout);
        return new PatchProblems(concat(patch.errors(), unknown), GoText.value(patch.value()), decodeError);
    }

    // ---- reporting problems ----------------------------------------------------------------------------

    /** {@code unknown field "<path>"}, the path quoted as Go quotes it. */
    public static String unknownField(String path) {
        return "unknown field " + GoFormat.quote(path);
    }

    /** {@code duplicate field "<path>"}. */
    public static String duplicateField(String path) {
        return "duplicate field " + GoFormat.quote(path);
    }

    /** {@code strict decoding error: <problem>, <problem>}. */
    public static String strictDecodingError(List<String> problems) {
        return "strict decoding error: " + String.join(", ", problems);
    }

    /**
     * The message of a Strict create or update: {@code ConfigMap in version "v1" cannot be handled as a
     * ConfigMap: strict decoding error: unknown field "a", unknown field "b"}.
     */
    public static String strictErrorMessage(String kind, String version, List<String> problems) {
        return kind + " in version " + GoFormat.quote(version) + " cannot be handled as a " + kind + ": "
                + strictDecodingError(problems);
    }

    /** The 400 BadRequest of a Strict create or update. */
    public static StatusException strictError(String kind, String version, List<String> problems) {
        return StatusException.badRequest(strictErrorMessage(kind, version, problems));
    }

    /**
     * The 400 BadRequest of a create or update body that does not decode into the kind's Go type:
     * {@code ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go
     * struct field ConfigMap.data of type map[string]string}.
     */
    public static StatusException decodeFailure(String kind, String version, String decodeError) {
        return StatusException.badRequest(kind + " in version " + GoFormat.quote(version) + " cannot be handled as a "
                + kind + ": " + decodeError);
    }

    /**
     * The 422 Invalid of a patch whose result does not decode into the kind's Go type, whatever the
     * fieldValidation directive: {@code  "" is invalid: patch: Invalid value: "<patched>": json: cannot
     * unmarshal ...}, its one cause on the field {@code patch}.
     */
    public static StatusException patchDecodeFailure(PatchProblems patch) {
        String cause = "Invalid value: " + GoFormat.quote(patch.invalidValue()) + ": " + patch.decodeError();
        return new StatusException(422, "Invalid", " \"\" is invalid: patch: " + cause,
                new StatusDetails("", "", "", "", List.of(new Cause("FieldValueInvalid", cause, "patch")), 0));
    }

    /** The message of the cause of a Strict patch's 422: {@code Invalid value: "<value>": strict decoding error: ...}. */
    public static String patchInvalidCause(PatchProblems patch) {
        return "Invalid value: " + GoFormat.quote(patch.invalidValue()) + ": " + strictDecodingError(patch.problems());
    }

    /** The message of a Strict patch's 422: {@code  "" is invalid: patch: Invalid value: ...}. */
    public static String patchInvalidMessage(PatchProblems patch) {
        return " \"\" is invalid: patch: " + patchInvalidCause(patch);
    }

    /** The 422 Invalid of a Strict patch, its one cause on the field {@code patch}. */
    public static StatusException strictPatchError(PatchProblems patch) {
        Cause cause = new Cause("FieldValueInvalid", patchInvalidCause(patch), "patch");
        return new StatusException(422, "Invalid", patchInvalidMessage(patch),
                new StatusDetails("", "", "", "", List.of(cause), 0));
    }

    /**
     * The warning texts of Warn, one per problem; a YAML error gives one per line ({@code line 3: key "a"
     * already set in map}). Each text comes once, as the real server's warning recorder adds it once per
     * request (it also stops at 4096 characters of warnings in all, then cuts each to 256: the HTTP layer's job).
     */
    public static List<String> warnings(List<String> problems) {
        Set<String> texts = new LinkedHashSet<>();
        for (String problem : problems) {
            String yamlErrors = stripYamlPrefix(problem);
            if (yamlErrors == null) {
                texts.add(problem);
            } else {
                for (String line : yamlErrors.split("\n")) {
                    texts.add(line.trim());
                }
            }
        }
        return List.copyOf(texts);
    }

    /**
     * The value of a {@code Warning} response header: {@code 299 - "unknown field \"foo\""} (only {@code "}
     * and {@code \} are escaped). Null for a text with control characters, which the real server drops.
     */
    public static String warningHeader(String text) {
        StringBuilder out = new StringBuilder("299 - \"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return null;
            }
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    // ---- internals -------------------------------------------------------------------------------------

    /** The compiled layout of a built-in kind, or null; looked up once per kind. */
    static FieldLayout layoutOf(String group, String version, String kind) {
        String key = group + "/" + version + "/" + kind;
        return KINDS.computeIfAbsent(key, k -> {
            SchemaType type = PatchSchema.forGroupVersionKind(group, version, kind);
            if (type == null) {
                // Bodies of core subresources (pods/eviction: policy/v1 Eviction, serviceaccounts/token:
                // authentication.k8s.io/v1 TokenRequest) are only described by the core document.
                PatchSchema core = PatchSchema.forGroupVersion("", "v1");
                type = core == null ? null : core.typeOf(group, version, kind);
            }
            return Optional.ofNullable(type == null ? null : FieldLayout.of(type));
        }).orElse(null);
    }

    /** What decoding a patched object's text into the kind's Go type finds: strict problems, and a type error. */
    private record PatchedDecoding(List<String> problems, String error) {
    }

    private static PatchedDecoding decodePatched(String json, String group, String version, String kind) {
        FieldLayout layout = layoutOf(group, version, kind);
        if (layout == null) {
            return new PatchedDecoding(List.of(), null);
        }
        StrictReader.Result result = StrictReader.readJson(json.getBytes(StandardCharsets.UTF_8), layout);
        return new PatchedDecoding(result.errors(), DecodeErrors.ofJson(result.value(), layout, false));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    private static String stripYamlPrefix(String problem) {
        for (String prefix : List.of("yaml: unmarshal errors:\n",
                "error converting YAML to JSON: yaml: unmarshal errors:\n")) {
            if (problem.startsWith(prefix)) {
                return problem.substring(prefix.length());
            }
        }
        return null;
    }
}
