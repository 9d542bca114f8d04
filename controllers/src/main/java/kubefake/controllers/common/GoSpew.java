package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.validation.ParsedQuantity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A pod template printed as go-spew prints the Go value ({@code %#v} with SortKeys and DisableMethods, what
 * {@code hashutil.DeepHashObject} feeds to the hash that names a Deployment's ReplicaSets): every field of every struct
 * with its Go name and type, {@code (*int64)30}, {@code (*v1.Probe)<nil>}, {@code ([]v1.Volume)<nil>},
 * {@code (map[string]string)map[app:web]}. The value is the one kube-controller-manager decodes from the stored object:
 * absent fields are zero, empty lists and maps are nil (protobuf does not tell them apart), quantities as
 * {@code resource.ParseQuantity} makes them.
 *
 * <p>The Go types come from {@code pod-template-go-types.json}, generated from the k8s.io/api sources of the release
 * kubefake answers as ({@code scripts/go-types/pod-template-schema.py}).
 */
public final class GoSpew {
    /** A value this printer cannot reproduce exactly (a set time, a quantity needing arbitrary precision). */
    public static final class UnsupportedValueException extends RuntimeException {
        UnsupportedValueException(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectNode TYPES;
    private static final String ROOT;

    static {
        try (InputStream in = GoSpew.class.getResourceAsStream("pod-template-go-types.json")) {
            if (in == null) throw new IllegalStateException("pod-template-go-types.json missing from the class path");
            ObjectNode schema = Json.parseObject(in.readAllBytes());
            TYPES = (ObjectNode) schema.get("types");
            ROOT = schema.path("root").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final StringBuilder out = new StringBuilder(4096);

    private GoSpew() {
    }

    /** The spew text of a {@code v1.PodTemplateSpec} given as its JSON tree. */
    public static String podTemplateSpec(JsonNode template) {
        GoSpew p = new GoSpew();
        p.value(TextNodeRef.of(ROOT), template, false);
        return p.out.toString();
    }

    /** A type reference of the schema: a builtin or schema name (text) or {ptr|slice|map}. */
    private static final class TextNodeRef {
        static JsonNode of(String name) {
            return Json.MAPPER.getNodeFactory().textNode(name);
        }
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private static String typeName(JsonNode ref) {
        if (ref.isTextual()) {
            JsonNode named = TYPES.get(ref.asText());
            return named == null ? ref.asText() : named.path("name").asText();
        }
        if (ref.has("ptr")) return "*" + typeName(ref.get("ptr"));
        if (ref.has("slice")) return "[]" + typeName(ref.get("slice"));
        return "map[" + typeName(ref.get("map").get(0)) + "]" + typeName(ref.get("map").get(1));
    }

    /** Writes a value; {@code ignoreType} is spew's ignoreNextType (inside slices, maps and pointers). */
    private void value(JsonNode ref, JsonNode v, boolean ignoreType) {
        if (ref.has("ptr")) {
            if (absent(v)) {
                out.append(ignoreType ? "<nil>" : "(" + typeName(ref) + ")<nil>");
                return;
            }
            out.append(ignoreType ? "<*>" : "(" + typeName(ref) + ")");
            value(ref.get("ptr"), v, true);
            return;
        }
        if (!ignoreType) out.append('(').append(typeName(ref)).append(')');
        if (ref.has("slice")) {
            slice(ref.get("slice"), v);
            return;
        }
        if (ref.has("map")) {
            map(ref.get("map").get(0), ref.get("map").get(1), v);
            return;
        }
        String name = ref.asText();
        JsonNode named = TYPES.get(name);
        String kind = named == null ? name : named.path("kind").asText();
        switch (kind) {
            case "struct" -> struct(named, v);
            case "slice" -> slice(named.get("elem"), v);
            case "map" -> map(named.get("key"), named.get("elem"), v);
            case "string" -> out.append(absent(v) ? "" : v.asText());
            case "bool" -> out.append(!absent(v) && v.asBoolean());
            case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64" ->
                    out.append(absent(v) ? 0 : v.bigIntegerValue());
            case "time" -> time(v);
            case "quantity" -> quantity(v);
            case "intorstring" -> intOrString(v);
            default -> throw new UnsupportedValueException("no printer for Go kind " + kind + " of " + name);
        }
    }

    private void struct(JsonNode type, JsonNode v) {
        out.append('{');
        boolean first = true;
        for (JsonNode f : type.get("fields")) {
            if (!first) out.append(' ');
            first = false;
            out.append(f.path("go").asText()).append(':');
            JsonNode fieldValue;
            if (f.path("inline").asBoolean()) fieldValue = v;
            else if (f.path("json").isNull() || absent(v)) fieldValue = null;
            else fieldValue = v.get(f.path("json").asText());
            value(f.get("type"), fieldValue, false);
        }
        out.append('}');
    }

    private void slice(JsonNode elem, JsonNode v) {
        if (absent(v) || v.isEmpty()) {
            out.append("<nil>");
            return;
        }
        out.append('[');
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) out.append(' ');
            value(elem, v.get(i), true);
        }
        out.append(']');
    }

    private void map(JsonNode key, JsonNode elem, JsonNode v) {
        if (absent(v) || v.isEmpty()) {
            out.append("<nil>");
            return;
        }
        List<String> keys = new ArrayList<>();
        v.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        out.append("map[");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) out.append(' ');
            value(key, Json.MAPPER.getNodeFactory().textNode(keys.get(i)), true);
            out.append(':');
            value(elem, v.get(keys.get(i)), true);
        }
        out.append(']');
    }

    /** metav1.Time: only the zero time (a template's creationTimestamp: null) is printed exactly. */
    private void time(JsonNode v) {
        if (!absent(v)) throw new UnsupportedValueException("a set time in a pod template");
        out.append("{Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}");
    }

    private void intOrString(JsonNode v) {
        boolean isString = !absent(v) && v.isTextual();
        out.append("{Type:(intstr.Type)").append(isString ? 1 : 0)
                .append(" IntVal:(int32)").append(isString || absent(v) ? 0 : v.asInt())
                .append(" StrVal:(string)").append(isString ? v.asText() : "").append('}');
    }

    private void quantity(JsonNode v) {
        if (absent(v)) throw new UnsupportedValueException("an absent quantity");
        ParsedQuantity q;
        try {
            q = ParsedQuantity.parse(v.asText());
        } catch (ParsedQuantity.UnsupportedException e) {
            throw new UnsupportedValueException(e.getMessage());
        }
        out.append("{i:(resource.int64Amount){value:(int64)").append(q.value()).append(" scale:(resource.Scale)").append(q.scale())
                .append("} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)").append(q.cached())
                .append(" Format:(resource.Format)").append(q.format()).append('}');
    }
}
