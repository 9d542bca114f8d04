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
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.fieldvalidation.FieldValidation;

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
                try {
                    var d = FieldValidation.decode(body, false, type.group(), type.version(), type.kind());
                    return new Decoded(asObject(d.object(), body, type), d.problems());
                } catch (IllegalArgumentException e) {
                    return new Decoded(asObject(parseJson(body, type), body, type), List.of());
                }
            }
            case "application/yaml" -> {
                try {
                    var d = FieldValidation.decode(body, true, type.group(), type.version(), type.kind());
                    return new Decoded(asObject(d.object(), body, type), d.problems());
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
                try {
                    return new Decoded(ProtobufDecoder.decode(body, type.groupVersion(), type.kind()), List.of());
                } catch (ProtobufDecodeException e) {
                    throw StatusException.badRequest(e.getMessage());
                }
            }
            default -> throw StatusException.unsupportedMediaType();
        }
    }

    static JsonNode parseJson(byte[] body, ResourceType type) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null) throw new JsonEOFException(null, null, "empty");
            return n;
        } catch (JsonEOFException e) {
            throw unrecognized(type, "unexpected end of JSON input", body);
        } catch (JsonParseException e) {
            throw unrecognized(type, goStyleSyntaxError(e), body);
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

    /** Go's json syntax errors read "invalid character 'x' looking for beginning of value". */
    private static String goStyleSyntaxError(JsonParseException e) {
        String m = e.getOriginalMessage();
        int q = m.indexOf("character ('");
        if (q >= 0) {
            int end = m.indexOf("'", q + 12);
            String ch = end > q ? m.substring(q + 12, end) : "?";
            return "invalid character '" + ch + "' looking for beginning of value";
        }
        return firstLine(m);
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
