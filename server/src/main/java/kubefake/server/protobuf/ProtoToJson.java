package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import kubefake.server.protobuf.GoJsonTags.FieldTags;

/**
 * Turns a decoded Kubernetes protobuf message into the JSON that Go's {@code encoding/json} writes for the same
 * Go object, walking the message's descriptor. Field names come from the proto (they are the JSON names, with
 * the exceptions recorded in {@link GoJsonTags}); the apimachinery types with their own JSON form are handled by
 * {@link SpecialTypes}.
 *
 * <p>Zero values follow what survives a protobuf round trip in Go: a scalar on the wire with its zero value is kept
 * only when the Go field is a pointer (it was set) or has no {@code omitempty}; a non-pointer scalar without
 * {@code omitempty} that is absent still appears with its zero value. Nested messages on the wire always appear
 * ({@code status: {}}), as Go never omits a struct; empty lists and maps are omitted.
 */
final class ProtoToJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GoJsonTags tags;

    ProtoToJson(GoJsonTags tags) {
        this.tags = tags;
    }

    /** The JSON object for {@code message}, whose type is a plain struct (not one of the special types). */
    ObjectNode object(Message message) throws ProtobufDecodeException {
        ObjectNode out = NODES.objectNode();
        writeFields(message, out);
        return out;
    }

    private void writeFields(Message message, ObjectNode out) throws ProtobufDecodeException {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            FieldTags fieldTags = tags.of(field);
            if (fieldTags.skip()) {
                continue;
            }
            String name = fieldTags.jsonName(field);
            if (field.isMapField()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    out.set(name, map(field, (List<?>) message.getField(field)));
                }
            } else if (field.isRepeated()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    out.set(name, array(field, (List<?>) message.getField(field)));
                }
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (message.hasField(field)) {
                    Message value = (Message) message.getField(field);
                    if (fieldTags.inline()) {
                        writeFields(value, out);
                    } else {
                        JsonNode json = value(value);
                        if (json != null) {
                            out.set(name, json);
                        }
                    }
                }
            } else {
                writeScalar(message, field, fieldTags, name, out);
            }
        }
    }

    private void writeScalar(Message message, FieldDescriptor field, FieldTags fieldTags, String name, ObjectNode out) {
        if (message.hasField(field)) {
            Object value = message.getField(field);
            if (!isZero(value) || fieldTags.pointer() || fieldTags.always()) {
                out.set(name, scalar(field, value));
            }
        } else if (fieldTags.always() && field.getType() != FieldDescriptor.Type.BYTES) {
            // Go decodes the absent field to its zero value and writes it (a nil []byte would be null: omitted).
            out.set(name, scalar(field, field.getDefaultValue()));
        }
    }

    /** The JSON of a message value; null when Go writes {@code null} for it (a zero Time, an empty RawExtension). */
    JsonNode value(Message message) throws ProtobufDecodeException {
        Descriptor type = message.getDescriptorForType();
        if (SpecialTypes.handles(type)) {
            return SpecialTypes.toJson(message);
        }
        if (tags.isArray(type)) {
            FieldDescriptor items = type.getFields().get(0);
            return array(items, (List<?>) message.getField(items));
        }
        return object(message);
    }

    private ObjectNode map(FieldDescriptor field, List<?> entries) throws ProtobufDecodeException {
        Descriptor entryType = field.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByName("key");
        FieldDescriptor valueField = entryType.findFieldByName("value");
        ObjectNode out = NODES.objectNode();
        for (Object entry : entries) {
            Message pair = (Message) entry;
            String key = String.valueOf(pair.getField(keyField));
            out.set(key, element(valueField, pair.getField(valueField)));
        }
        return out;
    }

    private ArrayNode array(FieldDescriptor field, List<?> values) throws ProtobufDecodeException {
        ArrayNode out = NODES.arrayNode(values.size());
        for (Object value : values) {
            out.add(element(field, value));
        }
        return out;
    }

    /** A list element or map value: always written, zero or not, as Go does for slices and maps. */
    private JsonNode element(FieldDescriptor field, Object value) throws ProtobufDecodeException {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            JsonNode json = value((Message) value);
            return json == null ? NODES.nullNode() : json;
        }
        return scalar(field, value);
    }

    private static boolean isZero(Object value) {
        if (value instanceof String s) {
            return s.isEmpty();
        }
        if (value instanceof ByteString bytes) {
            return bytes.isEmpty();
        }
        if (value instanceof Boolean b) {
            return !b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() == 0;
        }
        return false;
    }

    private static JsonNode scalar(FieldDescriptor field, Object value) {
        return switch (field.getType()) {
            case STRING -> NODES.textNode((String) value);
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case BOOL -> NODES.booleanNode((Boolean) value);
            case INT32, SINT32, SFIXED32 -> NODES.numberNode((Integer) value);
            case UINT32, FIXED32 -> NODES.numberNode(Integer.toUnsignedLong((Integer) value));
            case INT64, SINT64, SFIXED64 -> integer((Long) value);
            case UINT64, FIXED64 -> (Long) value >= 0
                    ? integer((Long) value)
                    : NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) value)));
            case DOUBLE, FLOAT -> number(((Number) value).doubleValue());
            case ENUM -> NODES.textNode(value.toString());
            case MESSAGE, GROUP -> throw new IllegalArgumentException("not a scalar: " + field.getFullName());
        };
    }

    /** Go writes a float64 without a fraction as an integer ({@code 1}, not {@code 1.0}). */
    private static JsonNode number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return integer((long) value);
        }
        return NODES.numberNode(value);
    }

    /** The smallest integer node, as Jackson would parse the JSON text Go writes (so trees compare equal). */
    static JsonNode integer(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }
}
