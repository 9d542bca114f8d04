package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kubefake.server.protobuf.GoJsonTags.FieldTags;

/**
 * The inverse of {@link ProtoToJson}: the protobuf bytes gogo-protobuf writes for the Go object that Go's
 * {@code encoding/json} would read from a JSON object, walking the message's descriptor.
 *
 * <p>What Go writes follows from the Go struct ({@link GoJsonTags}): a field that is a Go value (not a pointer) is
 * always written, its zero value when the JSON has none or {@code null}; a pointer only when the JSON has a value;
 * list elements and map entries (sorted by key) are all written; an inline struct is read from the same JSON
 * object. Members the descriptor does not know ({@code kind}, {@code apiVersion}) are left out, as Go's decoder
 * drops them. The descriptors are of a newer release than the served one: a newer field that is a Go value is
 * written as its zero, which older readers skip as an unknown field.
 */
final class JsonToProto {

    private static final Map<Descriptor, List<FieldDescriptor>> FIELDS_BY_NUMBER = new ConcurrentHashMap<>();

    private final GoJsonTags tags;

    JsonToProto(GoJsonTags tags) {
        this.tags = tags;
    }

    /** The message {@code type} for the JSON value {@code json} (an object, or an array for Go slice types). */
    byte[] message(Descriptor type, JsonNode json) {
        if (SpecialTypes.handles(type)) {
            return SpecialTypes.toProto(type, json);
        }
        ProtoBytes out = new ProtoBytes();
        if (tags.isArray(type)) {
            FieldDescriptor items = type.getFields().get(0);
            if (json != null && json.isArray()) {
                for (JsonNode element : json) {
                    element(items, element, out);
                }
            }
            return out.toByteArray();
        }
        JsonNode object = json == null || !json.isObject() ? MissingNode.getInstance() : json;
        for (FieldDescriptor field : fieldsByNumber(type)) {
            FieldTags fieldTags = tags.of(field);
            if (fieldTags.inline()) {
                out.bytes(field.getNumber(), message(field.getMessageType(), object));
                continue;
            }
            JsonNode value = fieldTags.skip() ? null : object.get(fieldTags.jsonName(field));
            boolean present = value != null && !value.isNull();
            if (field.isMapField()) {
                if (present) {
                    map(field, value, out);
                }
            } else if (field.isRepeated()) {
                if (present) {
                    for (JsonNode element : value) {
                        element(field, element, out);
                    }
                }
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                // a Go struct value is always written (its zero value when the JSON has none); a pointer when set
                if (present || !fieldTags.pointer()) {
                    out.bytes(field.getNumber(), message(field.getMessageType(), present ? value : null));
                }
            } else if (present) {
                scalar(field, value, out);
            } else if (!fieldTags.pointer() && field.getType() != FieldDescriptor.Type.BYTES) {
                // a non-pointer Go field holds its zero value, and gogo-protobuf writes it (a nil []byte it leaves out)
                scalar(field, null, out);
            }
        }
        return out.toByteArray();
    }

    /** Map entries in the order of their keys (Go sorts them), each with its key and value written. */
    private void map(FieldDescriptor field, JsonNode object, ProtoBytes out) {
        FieldDescriptor keyField = field.getMessageType().findFieldByName("key");
        FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.size());
        object.fields().forEachRemaining(entries::add);
        entries.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        for (Map.Entry<String, JsonNode> entry : entries) {
            ProtoBytes pair = new ProtoBytes();
            pair.string(keyField.getNumber(), entry.getKey());
            JsonNode value = entry.getValue();
            // a []byte value that is nil (JSON null) is the one value Go leaves out of an entry
            if (valueField.getType() != FieldDescriptor.Type.BYTES || !value.isNull()) {
                element(valueField, value, pair);
            }
            out.bytes(field.getNumber(), pair.toByteArray());
        }
    }

    /** A list element or map value: always written, zero or not. */
    private void element(FieldDescriptor field, JsonNode value, ProtoBytes out) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            out.bytes(field.getNumber(), message(field.getMessageType(), value));
        } else {
            scalar(field, value == null || value.isNull() ? null : value, out);
        }
    }

    /** A scalar field; {@code value} null writes the Go zero value. */
    private static void scalar(FieldDescriptor field, JsonNode value, ProtoBytes out) {
        int number = field.getNumber();
        switch (field.getType()) {
            case STRING -> out.string(number, value == null ? "" : value.asText());
            case BYTES -> out.bytes(number, value == null ? new byte[0] : base64(value.asText()));
            case BOOL -> out.bool(number, value != null && value.asBoolean());
            case INT32, INT64, UINT32, ENUM -> out.int64(number, value == null ? 0 : value.asLong());
            case UINT64 -> out.int64(number, value == null ? 0 : value.bigIntegerValue().longValue());
            case SINT32, SINT64 -> out.sint64(number, value == null ? 0 : value.asLong());
            case FIXED64, SFIXED64 -> out.fixed64(number, value == null ? 0 : value.asLong());
            case FIXED32, SFIXED32 -> out.fixed32(number, value == null ? 0 : (int) value.asLong());
            case DOUBLE -> out.fixed64(number, Double.doubleToRawLongBits(value == null ? 0 : value.asDouble()));
            case FLOAT -> out.fixed32(number, Float.floatToRawIntBits(value == null ? 0 : (float) value.asDouble()));
            case MESSAGE, GROUP -> throw new IllegalArgumentException("not a scalar: " + field.getFullName());
        }
    }

    /** Go's JSON decodes []byte from standard base64 and skips line breaks in it. */
    private static byte[] base64(String text) {
        return Base64.getDecoder().decode(text.indexOf('\n') < 0 && text.indexOf('\r') < 0
                ? text : text.replace("\n", "").replace("\r", ""));
    }

    private static List<FieldDescriptor> fieldsByNumber(Descriptor type) {
        return FIELDS_BY_NUMBER.computeIfAbsent(type, t -> t.getFields().stream()
                .sorted(Comparator.comparingInt(FieldDescriptor::getNumber)).toList());
    }
}
