package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Shapes an object as the real server's typed round trip does: decoding its JSON into the kind's Go struct, storing
 * that in etcd as protobuf, and encoding it back with Go's encoding/json. Driven by the kind's {@link FieldLayout}
 * (the schema and the Go facts of {@link GoJsonTags}), never by per-kind code:
 * <ul>
 *   <li>fields the Go type does not declare are dropped;</li>
 *   <li>a struct field that is not a pointer is always written: {@code spec: {}}, {@code status: {}}, and with it
 *       its own fields Go writes when zero ({@code nodeInfo.machineID: ""}); a zero {@code metav1.Time} is
 *       {@code null} ({@code creationTimestamp: null}), a zero Quantity {@code "0"};</li>
 *   <li>a scalar without {@code omitempty} is written with its zero value; one with {@code omitempty} that is zero
 *       is dropped, unless it is a pointer (then it was set);</li>
 *   <li>empty maps and slices are dropped ({@code labels: {}}, {@code finalizers: []}), or written as {@code null}
 *       when their tag has no {@code omitempty} (protobuf keeps no empty collection);</li>
 *   <li>values in their canonical form: integers, base64 ({@code []byte}), quantities ({@code 0.5} is
 *       {@code 500m}), times (UTC, whole seconds; MicroTime to the microsecond).</li>
 * </ul>
 * It applies to built-in kinds whose Go structs are known; anything else (custom resources, types no Go facts
 * describe) is left as it is. Values of the wrong type are left too: decoding refuses them before.
 */
public final class GoRoundTrip {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What {@link #shape} returns for a field Go does not write. */
    private static final JsonNode OMITTED = null;

    private final String group;
    private final String version;
    private final String kind;
    /** The kind's compiled layout, looked up on first use (schemas load only when needed); absent when unknown. */
    private volatile Optional<FieldLayout> layout;

    private GoRoundTrip(String group, String version, String kind) {
        this.group = group;
        this.version = version;
        this.kind = kind;
    }

    /** The round trip of a kind; its layout is looked up once, on first use (a registry keeps one per resource). */
    public static GoRoundTrip of(String group, String version, String kind) {
        return new GoRoundTrip(group, version, kind);
    }

    /** Shapes {@code object}, an object of this kind, in place. */
    public void apply(ObjectNode object) {
        Optional<FieldLayout> resolved = layout;
        if (resolved == null) {
            FieldLayout found = FieldValidation.layoutOf(group, version, kind);
            resolved = Optional.ofNullable(found != null && found.goKind() == FieldLayout.GoKind.STRUCT ? found : null);
            layout = resolved;
        }
        resolved.ifPresent(struct -> struct(object, struct));
    }

    private static void struct(ObjectNode object, FieldLayout layout) {
        if (!layout.described()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            FieldLayout.Field field = layout.field(member.getKey());
            if (field == null) {
                it.remove();
                continue;
            }
            JsonNode value = member.getValue();
            JsonNode shaped = shape(value, field.layout(), field.pointer(), field.always());
            if (shaped == OMITTED) {
                it.remove();
            } else if (shaped != value) {
                member.setValue(shaped);
            }
        }
        for (FieldLayout.Field field : layout.writtenWhenAbsent()) {
            if (!object.has(field.name())) {
                object.set(field.name(), shape(null, field.layout(), false, field.always()));
            }
        }
    }

    /**
     * The JSON Go writes for a struct field's value ({@code null} or absent when {@code value} is null), or
     * {@link #OMITTED}. {@code pointer} keeps zero values that were set; {@code always} writes zero values and
     * empty collections.
     */
    private static JsonNode shape(JsonNode value, FieldLayout layout, boolean pointer, boolean always) {
        boolean absent = value == null || value.isNull() || value.isMissingNode();
        return switch (layout.goKind()) {
            case STRUCT -> {
                if (absent) {
                    yield pointer ? OMITTED : emptyStruct(layout);
                }
                if (value instanceof ObjectNode object) {
                    struct(object, layout);
                }
                yield value;
            }
            case MAP, LIST -> {
                if (absent || value.isContainerNode() && value.isEmpty()) {
                    yield always ? NullNode.getInstance() : OMITTED;
                }
                elements(value, layout.element());
                yield value;
            }
            case QUANTITY -> absent ? (pointer ? OMITTED : NODES.textNode("0")) : quantity(value);
            case INT_OR_STRING -> absent ? (pointer ? OMITTED : NODES.numberNode(0))
                    : value.isNumber() ? integer(value) : value;
            case TIME, MICRO_TIME -> absent ? (pointer ? OMITTED : NullNode.getInstance())
                    : time(value, layout.goKind() == FieldLayout.GoKind.MICRO_TIME);
            case RAW, ANY -> absent ? (pointer || !layout.writesNullWhenZero() && !always ? OMITTED
                    : NullNode.getInstance()) : value;
            default -> scalar(value, absent, layout, pointer, always);
        };
    }

    private static JsonNode scalar(JsonNode value, boolean absent, FieldLayout layout, boolean pointer, boolean always) {
        if (absent) {
            if (pointer || !always) {
                return OMITTED;
            }
            return layout.goKind() == FieldLayout.GoKind.BYTES ? NullNode.getInstance() : zero(layout);
        }
        JsonNode canonical = switch (layout.goKind()) {
            case BYTES -> bytes(value);
            case INT -> integer(value);
            case FLOAT -> floating(value);
            default -> value;
        };
        if (!pointer && !always && isZero(canonical)) {
            return OMITTED;
        }
        return canonical;
    }

    /** Map values and list elements: always written, a null as the element type's zero value. */
    private static void elements(JsonNode container, FieldLayout element) {
        if (container instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                JsonNode shaped = element(member.getValue(), element);
                if (shaped != member.getValue()) {
                    member.setValue(shaped);
                }
            }
        } else if (container instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode shaped = element(array.get(i), element);
                if (shaped != array.get(i)) {
                    array.set(i, shaped);
                }
            }
        }
    }

    private static JsonNode element(JsonNode value, FieldLayout layout) {
        boolean absent = value == null || value.isNull();
        switch (layout.goKind()) {
            case MAP, LIST, RAW, ANY -> {
                if (!absent) {
                    elements(value, layout.element());
                }
                return absent ? NullNode.getInstance() : value;
            }
            case BYTES -> {
                return absent ? NODES.textNode("") : bytes(value);
            }
            case STRING, BOOL, INT, FLOAT -> {
                return absent ? zero(layout) : scalar(value, false, layout, true, true);
            }
            default -> {
                JsonNode shaped = shape(value, layout, false, true);
                return shaped == OMITTED ? NullNode.getInstance() : shaped;
            }
        }
    }

    private static ObjectNode emptyStruct(FieldLayout layout) {
        ObjectNode empty = NODES.objectNode();
        struct(empty, layout);
        return empty;
    }

    private static JsonNode zero(FieldLayout layout) {
        return switch (layout.goKind()) {
            case STRING -> NODES.textNode("");
            case BOOL -> NODES.booleanNode(false);
            case INT, FLOAT -> NODES.numberNode(0);
            case BYTES -> NODES.textNode("");
            default -> NullNode.getInstance();
        };
    }

    private static boolean isZero(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue().isEmpty();
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        if (value.isNumber()) {
            return value.isIntegralNumber() ? value.bigIntegerValue().signum() == 0 : value.decimalValue().signum() == 0;
        }
        return false;
    }

    /** An integer as the smallest node Jackson reads Go's text into, so stored and parsed trees compare equal. */
    private static JsonNode integer(JsonNode value) {
        if (!value.isIntegralNumber()) {
            return value;
        }
        if (value.canConvertToInt()) {
            return value.isInt() ? value : NODES.numberNode(value.intValue());
        }
        if (value.canConvertToLong()) {
            return value.isLong() ? value : NODES.numberNode(value.longValue());
        }
        return value;
    }

    private static JsonNode floating(JsonNode value) {
        if (!value.isNumber()) {
            return value;
        }
        String text = GoFloat.format(value.doubleValue());
        if (text == null) {
            return value;
        }
        if (text.indexOf('.') < 0 && text.indexOf('e') < 0) {
            return integer(NODES.numberNode(new BigInteger(text)));
        }
        return new NumberLiteral(new BigDecimal(text), text);
    }

    private static JsonNode bytes(JsonNode value) {
        if (value.isTextual()) {
            GoBase64.Decoded decoded = GoBase64.decode(value.textValue());
            if (!decoded.ok()) {
                return value;
            }
            String canonical = GoBase64.encode(decoded.bytes());
            return canonical.equals(value.textValue()) ? value : NODES.textNode(canonical);
        }
        if (value.isArray()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.size());
            for (JsonNode b : value) {
                out.write(b.asInt());
            }
            return NODES.textNode(GoBase64.encode(out.toByteArray()));
        }
        return value;
    }

    private static JsonNode quantity(JsonNode value) {
        if (!value.isTextual() && !value.isNumber()) {
            return value;
        }
        try {
            String canonical = GoQuantity.canonicalOf(value.asText());
            return value.isTextual() && canonical.equals(value.textValue()) ? value : NODES.textNode(canonical);
        } catch (GoQuantity.ParseException e) {
            return value;
        }
    }

    private static JsonNode time(JsonNode value, boolean micro) {
        if (!value.isTextual() || GoTime.looksCanonical(value.textValue(), micro)) {
            return value;
        }
        try {
            Instant instant = GoTime.parse(value.textValue(), micro);
            String canonical = GoTime.format(instant, micro);
            if (canonical == null) {
                return NullNode.getInstance();
            }
            return canonical.equals(value.textValue()) ? value : NODES.textNode(canonical);
        } catch (GoTime.ParseException e) {
            return value;
        }
    }
}
