package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Runtime;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test helper: reads Kubernetes protobuf answers with the generated classes of client-java-proto and compares a
 * decoded message with the JSON answer member by member, written independently of the server's own mapping: a JSON
 * member is the proto field of the same name; times are RFC 3339 text against seconds, IntOrString a number or a text
 * against its type, Quantity its string, FieldsV1 the JSON in its Raw bytes, bytes base64; a proto field the JSON leaves out must hold a zero value (Go
 * writes the zero of every non-pointer field, its JSON omits it).
 */
final class ProtoJson {
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtoJson() {
    }

    /** The runtime.Unknown envelope of a protobuf body, after checking the magic. */
    static Runtime.Unknown envelope(byte[] body) throws Exception {
        assertTrue(body.length > 4 && Arrays.equals(body, 0, 4, MAGIC, 0, 4), "no k8s\\0 magic");
        return Runtime.Unknown.parseFrom(Arrays.copyOfRange(body, 4, body.length));
    }

    static void assertSameContent(JsonNode json, Message message) {
        compareObject(json, message, "");
    }

    /** Go structs embedded with {@code json:",inline"}: their members are the parent's in JSON. */
    private static final java.util.Set<String> INLINE = java.util.Set.of(
            "volumeSource", "persistentVolumeSource", "localObjectReference", "ephemeralContainerCommon");

    private static void compareObject(JsonNode json, Message message, String path) {
        var type = message.getDescriptorForType();
        for (Map.Entry<String, JsonNode> member : json.properties()) {
            String name = member.getKey();
            FieldDescriptor field = type.findFieldByName(name);
            if (field == null) {
                if (path.isEmpty() && (name.equals("kind") || name.equals("apiVersion"))) continue;
                boolean inlined = type.getFields().stream().anyMatch(f -> INLINE.contains(f.getName())
                        && f.getMessageType().findFieldByName(name) != null);
                assertTrue(inlined, "no proto field for " + path + "." + name + " in " + type.getFullName());
                continue;
            }
            if (member.getValue().isNull()) continue;
            compareField(member.getValue(), message, field, path + "." + name);
        }
        for (Map.Entry<FieldDescriptor, Object> set : message.getAllFields().entrySet()) {
            FieldDescriptor f = set.getKey();
            if (INLINE.contains(f.getName())) {
                compareInline(json, (Message) set.getValue(), path);
            } else if (!json.has(f.getName()) || json.get(f.getName()).isNull()) {
                assertZero(f, set.getValue(), path + "." + f.getName());
            }
        }
    }

    /** An inline struct: its fields against the parent's JSON members of the same names. */
    private static void compareInline(JsonNode json, Message nested, String path) {
        for (FieldDescriptor f : nested.getDescriptorForType().getFields()) {
            JsonNode value = json.get(f.getName());
            if (value != null && !value.isNull()) {
                compareField(value, nested, f, path + "." + f.getName());
            } else if (f.isRepeated() ? nested.getRepeatedFieldCount(f) > 0 : nested.hasField(f)) {
                assertZero(f, nested.getField(f), path + "." + f.getName());
            }
        }
    }

    private static void compareField(JsonNode json, Message message, FieldDescriptor field, String path) {
        if (field.isMapField()) {
            List<?> entries = (List<?>) message.getField(field);
            assertEquals(json.size(), entries.size(), path + " size");
            for (Object e : entries) {
                Message entry = (Message) e;
                var d = entry.getDescriptorForType();
                String key = (String) entry.getField(d.findFieldByName("key"));
                assertTrue(json.has(key), path + " has no key " + key);
                FieldDescriptor valueField = d.findFieldByName("value");
                compareValue(json.get(key), entry.getField(valueField), valueField, path + "[" + key + "]");
            }
        } else if (field.isRepeated()) {
            List<?> values = (List<?>) message.getField(field);
            assertEquals(json.size(), values.size(), path + " length");
            for (int i = 0; i < values.size(); i++) {
                compareValue(json.get(i), values.get(i), field, path + "[" + i + "]");
            }
        } else {
            assertTrue(message.hasField(field), path + " is not set in the protobuf");
            compareValue(json, message.getField(field), field, path);
        }
    }

    private static void compareValue(JsonNode json, Object value, FieldDescriptor field, String path) {
        switch (field.getJavaType()) {
            case MESSAGE -> compareMessage(json, (Message) value, path);
            case STRING -> assertEquals(json.asText(), value, path);
            case BOOLEAN -> assertEquals(json.asBoolean(), value, path);
            case INT, LONG -> assertEquals(json.asLong(), ((Number) value).longValue(), path);
            case FLOAT, DOUBLE -> assertEquals(json.asDouble(), ((Number) value).doubleValue(), 1e-9, path);
            case BYTE_STRING -> assertArrayEquals(Base64.getDecoder().decode(json.asText()), ((ByteString) value).toByteArray(), path);
            default -> fail("unexpected field type at " + path);
        }
    }

    private static void compareMessage(JsonNode json, Message value, String path) {
        var d = value.getDescriptorForType();
        switch (d.getName()) {
            case "Time" -> {
                assertEquals(OffsetDateTime.parse(json.asText()).toEpochSecond(), get(value, "seconds"), path);
                assertEquals(0L, get(value, "nanos"), path + " nanos");
            }
            case "MicroTime" -> {
                OffsetDateTime t = OffsetDateTime.parse(json.asText());
                assertEquals(t.toEpochSecond(), get(value, "seconds"), path);
                assertEquals((long) t.getNano(), get(value, "nanos"), path + " nanos");
            }
            case "IntOrString" -> {
                if (json.isNumber()) {
                    assertEquals(0L, get(value, "type"), path);
                    assertEquals(json.asLong(), get(value, "intVal"), path);
                } else {
                    assertEquals(1L, get(value, "type"), path);
                    assertEquals(json.asText(), value.getField(d.findFieldByName("strVal")), path);
                }
            }
            case "Quantity" -> assertEquals(json.asText(), value.getField(d.findFieldByName("string")), path);
            case "FieldsV1" -> {
                // managedFields' field set: its JSON, byte for byte, in the message's Raw
                ByteString raw = (ByteString) value.getField(d.findFieldByName("Raw"));
                try {
                    assertEquals(json, new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw.toByteArray()), path);
                } catch (java.io.IOException e) {
                    fail(path + " is not JSON: " + raw.toStringUtf8());
                }
            }
            default -> compareObject(json, value, path);
        }
    }

    private static long get(Message m, String field) {
        FieldDescriptor f = m.getDescriptorForType().findFieldByName(field);
        assertNotNull(f, field);
        return ((Number) m.getField(f)).longValue();
    }

    /** A field the JSON leaves out holds the zero value, or a message of zeros (an empty status, the zero time). */
    private static void assertZero(FieldDescriptor field, Object value, String path) {
        if (field.isRepeated()) {
            assertTrue(((List<?>) value).isEmpty(), path + " is set in the protobuf only");
            return;
        }
        switch (field.getJavaType()) {
            case MESSAGE -> {
                for (Map.Entry<FieldDescriptor, Object> set : ((Message) value).getAllFields().entrySet()) {
                    assertZero(set.getKey(), set.getValue(), path + "." + set.getKey().getName());
                }
            }
            case STRING -> assertEquals("", value, path + " is set in the protobuf only");
            case BOOLEAN -> assertEquals(false, value, path + " is set in the protobuf only");
            case INT, LONG -> assertEquals(0L, ((Number) value).longValue(), path + " is set in the protobuf only");
            case BYTE_STRING -> assertTrue(((ByteString) value).isEmpty(), path + " is set in the protobuf only");
            default -> assertEquals(0.0, ((Number) value).doubleValue(), path + " is set in the protobuf only");
        }
    }
}
