package kubefake.server.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kubefake.server.protobuf.ProtobufDecodeException;
import kubefake.server.protobuf.ProtobufDecoder;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.GoJsonSyntax;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation;
import kubefake.store.registry.fieldvalidation.UnsupportedValueException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Turns a create/update body (JSON, YAML or Kubernetes protobuf) into an object tree, with the real server's errors. */
public final class BodyDecoder {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private BodyDecoder() {
    }

    /** The media type of a Content-Type header without parameters, lower case ("" when absent). */
    public static String mediaType(String contentType) {
        if (contentType == null) return "";
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** A decoded body and what strict decoding found in it (unknown and duplicate fields). */
    public record Decoded(ObjectNode object, List<String> problems) {
    }

    public static ObjectNode decodeObject(String contentType, byte[] body, ResourceType type) {
        return decode(contentType, body, type).object();
    }

    public static Decoded decode(String contentType, byte[] body, ResourceType type) {
        String media = mediaType(contentType);
        switch (media) {
            case "application/json", "" -> {
                FieldValidation.Decoded d;
                try {
                    d = FieldValidation.decode(body, false, type.group(), type.version(), type.kind());
                } catch (IllegalArgumentException e) {
                    return new Decoded(asObject(parseJson(body, type), body, type), List.of());
                }
                return typed(d, body, type);
            }
            case "application/yaml" -> {
                try {
                    return typed(FieldValidation.decode(body, true, type.group(), type.version(), type.kind()), body, type);
                } catch (UnsupportedValueException e) {
                    throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
                            + "): " + e.getMessage() + " (" + excerpt(body) + ")");
                } catch (IllegalArgumentException e) {
                    try {
                        return new Decoded(asObject(YAML.readTree(body), body, type), List.of());
                    } catch (IOException io) {
                        throw StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
                                + "): couldn't get version/kind; yaml parse error: " + firstLine(io.getMessage()) + " (" + excerpt(body) + ")");
                    }
                }
            }
            case "application/vnd.kubernetes.protobuf" -> {
                ObjectNode object;
                try {
                    object = ProtobufDecoder.decode(body, type.groupVersion(), type.kind());
                } catch (ProtobufDecodeException e) {
                    throw StatusException.badRequest(e.getMessage());
                }
                String decodeError = FieldValidation.decodeError(object, type.group(), type.version(), type.kind());
                if (decodeError != null) throw FieldValidation.decodeFailure(type.kind(), type.version(), decodeError);
                return new Decoded(object, List.of());
            }
            default -> throw StatusException.unsupportedMediaType();
        }
    }

    /**
     * A body that parsed: its apiVersion and kind must be strings (the real server reads them first, into a struct of
     * two strings), then the whole must fit the kind's Go type (400 {@code ConfigMap in version "v1" cannot be handled
     * as a ConfigMap: json: cannot unmarshal ...}) whatever the fieldValidation directive.
     */
    private static Decoded typed(FieldValidation.Decoded d, byte[] body, ResourceType type) {
        ObjectNode object = asObject(d.object(), body, type);
        for (String field : typeMetaInDecodingOrder(object)) {
            JsonNode value = object.get(field);
            if (!value.isTextual() && !value.isNull()) {
                throw unrecognized(type, "json: cannot unmarshal " + goType(value) + " into Go struct field ." + field
                        + " of type string", body);
            }
        }
        if (d.decodeError() != null) throw FieldValidation.decodeFailure(type.kind(), type.version(), d.decodeError());
        return new Decoded(object, d.problems());
    }

    /** apiVersion and kind in the order the body gives them. */
    private static List<String> typeMetaInDecodingOrder(ObjectNode object) {
        List<String> fields = new java.util.ArrayList<>(2);
        object.fieldNames().forEachRemaining(name -> {
            if (name.equals("apiVersion") || name.equals("kind")) fields.add(name);
        });
        return fields;
    }

    static JsonNode parseJson(byte[] body, ResourceType type) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null) throw new JsonEOFException(null, null, "empty");
            return n;
        } catch (JsonEOFException e) {
            throw unrecognized(type, "unexpected end of JSON input", body);
        } catch (JsonParseException e) {
            // Go's encoding/json words its syntax errors its own way ("invalid character 'a' looking for beginning of value")
            String go = GoJsonSyntax.error(body);
            throw unrecognized(type, go != null ? go : firstLine(e.getOriginalMessage()), body);
        } catch (IOException e) {
            throw unrecognized(type, firstLine(e.getMessage()), body);
        }
    }

    private static ObjectNode asObject(JsonNode n, byte[] body, ResourceType type) {
        if (n instanceof ObjectNode o) return o;
        throw unrecognized(type, "json: cannot unmarshal " + goType(n) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }", body);
    }

    private static String goType(JsonNode n) {
        if (n == null || n.isNull()) return "null";
        if (n.isObject()) return "object";
        if (n.isArray()) return "array";
        if (n.isTextual()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "value";
    }

    private static StatusException unrecognized(ResourceType type, String why, byte[] body) {
        return StatusException.badRequest("the object provided is unrecognized (must be of type " + type.kind()
                + "): couldn't get version/kind; json parse error: " + why + " (" + excerpt(body) + ")");
    }

    /** Like the real server, the first 30 bytes of the body followed by " ..." when longer. */
    static String excerpt(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 30 ? s.substring(0, 30) + " ..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
