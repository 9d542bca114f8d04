package kubefake.server.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The apimachinery types whose Go JSON is not their struct: they implement {@code MarshalJSON} (Time, MicroTime,
 * Duration, IntOrString, Quantity, RawExtension, FieldsV1). Each decodes its proto form as the Go
 * {@code Unmarshal} does and renders it as the Go {@code MarshalJSON} does; {@code null} means Go writes
 * {@code null}, which we omit. {@link #toProto} is the way back: the JSON form read as the Go {@code UnmarshalJSON}
 * reads it, written as the Go {@code Marshal} writes it.
 */
final class SpecialTypes {

    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String TIME = META + "Time";
    private static final String MICRO_TIME = META + "MicroTime";
    private static final String DURATION = META + "Duration";
    private static final String FIELDS_V1 = META + "FieldsV1";
    private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private static final String QUANTITY_VALUE = "k8s.io.apimachinery.pkg.api.resource.QuantityValue";
    private static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

    /** Unix seconds of Go's zero {@code time.Time} (January 1, year 1, UTC), which Go's JSON writes as null. */
    private static final long GO_ZERO_TIME_SECONDS = -62135596800L;

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CBOR_SELF_DESCRIBED = {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7};

    private SpecialTypes() {
    }

    static boolean handles(Descriptor type) {
        return switch (type.getFullName()) {
            case TIME, MICRO_TIME, DURATION, FIELDS_V1, INT_OR_STRING, QUANTITY, QUANTITY_VALUE, RAW_EXTENSION -> true;
            default -> false;
        };
    }

    static JsonNode toJson(Message message) throws ProtobufDecodeException {
        return switch (message.getDescriptorForType().getFullName()) {
            case TIME -> time(message);
            case MICRO_TIME -> microTime(message);
            case DURATION -> NODES.textNode(GoDuration.format(longField(message, "duration")));
            case FIELDS_V1 -> fieldsV1(message);
            case INT_OR_STRING -> intOrString(message);
            case QUANTITY, QUANTITY_VALUE -> quantity(message);
            case RAW_EXTENSION -> rawExtension(message);
            default -> throw new IllegalArgumentException("not a special type: " + message.getDescriptorForType());
        };
    }

    /** metav1.Time keeps whole seconds only; an empty message is the zero time. */
    private static JsonNode time(Message message) {
        if (message.getSerializedSize() == 0) {
            return null;
        }
        long seconds = longField(message, "seconds");
        if (seconds == GO_ZERO_TIME_SECONDS) {
            return null;
        }
        return NODES.textNode(RFC3339.format(Instant.ofEpochSecond(seconds)));
    }

    /** metav1.MicroTime truncates to microseconds and always prints six fractional digits. */
    private static JsonNode microTime(Message message) {
        if (message.getSerializedSize() == 0) {
            return null;
        }
        long seconds = longField(message, "seconds");
        long nanos = longField(message, "nanos");
        long micros = nanos / 1_000;
        if (seconds == GO_ZERO_TIME_SECONDS && micros == 0) {
            return null;
        }
        return NODES.textNode(RFC3339_MICRO.format(Instant.ofEpochSecond(seconds, micros * 1_000)));
    }

    private static JsonNode intOrString(Message message) throws ProtobufDecodeException {
        long type = longField(message, "type");
        if (type == 0) {
            return ProtoToJson.integer(longField(message, "intVal"));
        }
        if (type == 1) {
            return NODES.textNode((String) message.getField(field(message, "strVal")));
        }
        throw new ProtobufDecodeException("impossible IntOrString.Type " + type);
    }

    /** A Quantity travels as its canonical string; an absent one is Go's zero Quantity, "0". */
    private static JsonNode quantity(Message message) {
        FieldDescriptor string = field(message, "string");
        return NODES.textNode(message.hasField(string) ? (String) message.getField(string) : "0");
    }

    private static JsonNode fieldsV1(Message message) throws ProtobufDecodeException {
        ByteString raw = (ByteString) message.getField(field(message, "Raw"));
        return raw.isEmpty() ? null : parseJson(raw, "FieldsV1");
    }

    /** Embedded objects (e.g. in ControllerRevision.data) are JSON; a nested Kubernetes protobuf object is decoded. */
    private static JsonNode rawExtension(Message message) throws ProtobufDecodeException {
        ByteString raw = (ByteString) message.getField(field(message, "raw"));
        if (raw.isEmpty()) {
            return null;
        }
        if (raw.startsWith(ByteString.copyFrom(ProtobufDecoder.MAGIC))) {
            return ProtobufDecoder.decode(raw.toByteArray());
        }
        if (raw.startsWith(ByteString.copyFrom(CBOR_SELF_DESCRIBED))) {
            throw new ProtobufDecodeException("embedded CBOR objects are not supported");
        }
        return parseJson(raw, "RawExtension");
    }

    /**
     * The protobuf message (without tag and length) of the special type {@code type} for its JSON form; a JSON
     * {@code null} (or a missing value) is the Go zero value.
     */
    static byte[] toProto(Descriptor type, JsonNode json) {
        boolean zero = json == null || json.isNull();
        ProtoBytes out = new ProtoBytes();
        switch (type.getFullName()) {
            case TIME -> {
                // Go's Time marshals whole seconds (nanos stay 0); its zero value is an empty message
                if (!zero) {
                    out.int64(1, parseTime(json.asText()).getEpochSecond());
                    out.int64(2, 0);
                }
            }
            case MICRO_TIME -> {
                if (!zero) {
                    Instant t = parseTime(json.asText());
                    out.int64(1, t.getEpochSecond());
                    out.int64(2, t.getNano() / 1_000 * 1_000);
                }
            }
            case DURATION -> out.int64(1, zero ? 0 : GoDuration.parse(json.asText()));
            case FIELDS_V1, RAW_EXTENSION -> {
                // the embedded JSON itself; Go leaves a nil Raw out
                if (!zero) {
                    out.bytes(1, compactJson(json));
                }
            }
            case INT_OR_STRING -> {
                boolean text = !zero && json.isTextual();
                out.int64(1, text ? 1 : 0);
                out.int64(2, text || zero ? 0 : json.asLong());
                out.string(3, text ? json.asText() : "");
            }
            case QUANTITY, QUANTITY_VALUE -> out.string(1, zero ? "0" : json.asText());
            default -> throw new IllegalArgumentException("not a special type: " + type.getFullName());
        }
        return out.toByteArray();
    }

    /** RFC 3339 with any offset and fraction, as Go's {@code time.Parse(time.RFC3339, ...)} accepts. */
    private static Instant parseTime(String text) {
        return java.time.OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    private static byte[] compactJson(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parseJson(ByteString raw, String what) throws ProtobufDecodeException {
        try {
            return JSON.readTree(raw.toByteArray());
        } catch (JsonProcessingException e) {
            throw new ProtobufDecodeException(what + " does not hold valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProtobufDecodeException(what + " does not hold valid JSON: " + e.getMessage(), e);
        }
    }

    private static long longField(Message message, String name) {
        return ((Number) message.getField(field(message, name))).longValue();
    }

    private static FieldDescriptor field(Message message, String name) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
        if (field == null) {
            throw new IllegalStateException(message.getDescriptorForType().getFullName() + " has no field " + name);
        }
        return field;
    }
}
