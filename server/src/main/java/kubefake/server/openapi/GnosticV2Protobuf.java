package kubefake.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An OpenAPI v2 document in the protobuf form the real server sends for
 * {@code application/com.github.proto-openapi.spec.v2@v1.0+protobuf}: gnostic's {@code openapi_v2.Document}
 * (github.com/google/gnostic-models, OpenAPIv2.proto) as {@code ParseDocument} builds it from the JSON, marshalled
 * with fields in number order. Objects keep their JSON member order; vendor extensions ({@code x-...}) and enum and
 * default values are {@code Any} messages holding their YAML ({@link GnosticYaml}).
 */
public final class GnosticV2Protobuf {
    /** How a JSON member becomes a field. */
    private enum Type { STRING, STRINGS, BOOL, INT64, DOUBLE, MESSAGE, MESSAGES, ANY, ANYS }

    private record Field(String json, int number, Type type, String message) {
    }

    /**
     * A message: its fields in number order; {@code extensions} the field number of its vendor extensions (0: none);
     * {@code named} the field of a map message's entries (NamedX {name = 1, value = 2}) and {@code entry} their type.
     */
    private record Message(List<Field> fields, int extensions, int named, String entry) {
    }

    private static final Map<String, Message> MESSAGES = new HashMap<>();

    private static void message(String name, int extensions, Object... fields) {
        List<Field> byNumber = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 3) {
            String json = (String) fields[i];
            int number = (Integer) fields[i + 1];
            String type = (String) fields[i + 2];
            Field f = switch (type) {
                case "s" -> new Field(json, number, Type.STRING, null);
                case "ss" -> new Field(json, number, Type.STRINGS, null);
                case "b" -> new Field(json, number, Type.BOOL, null);
                case "i" -> new Field(json, number, Type.INT64, null);
                case "d" -> new Field(json, number, Type.DOUBLE, null);
                case "any" -> new Field(json, number, Type.ANY, null);
                case "anys" -> new Field(json, number, Type.ANYS, null);
                default -> type.startsWith("*")
                        ? new Field(json, number, Type.MESSAGES, type.substring(1))
                        : new Field(json, number, Type.MESSAGE, type);
            };
            byNumber.add(f);
        }
        byNumber.sort(Comparator.comparingInt(Field::number));
        MESSAGES.put(name, new Message(List.copyOf(byNumber), extensions, 0, null));
    }

    private static void map(String name, String entry) {
        MESSAGES.put(name, new Message(List.of(), 0, 1, entry));
    }

    static {
        message("Document", 16, "swagger", 1, "s", "info", 2, "Info", "host", 3, "s", "basePath", 4, "s",
                "schemes", 5, "ss", "consumes", 6, "ss", "produces", 7, "ss", "paths", 8, "Paths",
                "definitions", 9, "Definitions", "parameters", 10, "ParameterDefinitions",
                "responses", 11, "ResponseDefinitions", "security", 12, "*SecurityRequirement",
                "securityDefinitions", 13, "SecurityDefinitions", "tags", 14, "*Tag", "externalDocs", 15, "ExternalDocs");
        message("Info", 7, "title", 1, "s", "version", 2, "s", "description", 3, "s", "termsOfService", 4, "s",
                "contact", 5, "Contact", "license", 6, "License");
        message("Contact", 4, "name", 1, "s", "url", 2, "s", "email", 3, "s");
        message("License", 3, "name", 1, "s", "url", 2, "s");
        message("ExternalDocs", 3, "description", 1, "s", "url", 2, "s");
        message("Tag", 4, "name", 1, "s", "description", 2, "s", "externalDocs", 3, "ExternalDocs");
        message("PathItem", 10, "$ref", 1, "s", "get", 2, "Operation", "put", 3, "Operation", "post", 4, "Operation",
                "delete", 5, "Operation", "options", 6, "Operation", "head", 7, "Operation", "patch", 8, "Operation",
                "parameters", 9, "*ParametersItem");
        message("Operation", 13, "tags", 1, "ss", "summary", 2, "s", "description", 3, "s",
                "externalDocs", 4, "ExternalDocs", "operationId", 5, "s", "produces", 6, "ss", "consumes", 7, "ss",
                "parameters", 8, "*ParametersItem", "responses", 9, "Responses", "schemes", 10, "ss",
                "deprecated", 11, "b", "security", 12, "*SecurityRequirement");
        message("JsonReference", 0, "$ref", 1, "s", "description", 2, "s");
        message("BodyParameter", 6, "description", 1, "s", "name", 2, "s", "in", 3, "s", "required", 4, "b",
                "schema", 5, "Schema");
        Object[] withAllowEmpty = {"required", 1, "b", "in", 2, "s", "description", 3, "s", "name", 4, "s",
                "allowEmptyValue", 5, "b", "type", 6, "s", "format", 7, "s", "items", 8, "PrimitivesItems",
                "collectionFormat", 9, "s", "default", 10, "any", "maximum", 11, "d", "exclusiveMaximum", 12, "b",
                "minimum", 13, "d", "exclusiveMinimum", 14, "b", "maxLength", 15, "i", "minLength", 16, "i",
                "pattern", 17, "s", "maxItems", 18, "i", "minItems", 19, "i", "uniqueItems", 20, "b", "enum", 21, "anys",
                "multipleOf", 22, "d"};
        message("QueryParameterSubSchema", 23, withAllowEmpty);
        message("FormDataParameterSubSchema", 23, withAllowEmpty);
        Object[] withoutAllowEmpty = {"required", 1, "b", "in", 2, "s", "description", 3, "s", "name", 4, "s",
                "type", 5, "s", "format", 6, "s", "items", 7, "PrimitivesItems", "collectionFormat", 8, "s",
                "default", 9, "any", "maximum", 10, "d", "exclusiveMaximum", 11, "b", "minimum", 12, "d",
                "exclusiveMinimum", 13, "b", "maxLength", 14, "i", "minLength", 15, "i", "pattern", 16, "s",
                "maxItems", 17, "i", "minItems", 18, "i", "uniqueItems", 19, "b", "enum", 20, "anys", "multipleOf", 21, "d"};
        message("HeaderParameterSubSchema", 22, withoutAllowEmpty);
        message("PathParameterSubSchema", 22, withoutAllowEmpty);
        Object[] primitives = {"type", 1, "s", "format", 2, "s", "items", 3, "PrimitivesItems",
                "collectionFormat", 4, "s", "default", 5, "any", "maximum", 6, "d", "exclusiveMaximum", 7, "b",
                "minimum", 8, "d", "exclusiveMinimum", 9, "b", "maxLength", 10, "i", "minLength", 11, "i",
                "pattern", 12, "s", "maxItems", 13, "i", "minItems", 14, "i", "uniqueItems", 15, "b", "enum", 16, "anys",
                "multipleOf", 17, "d"};
        message("PrimitivesItems", 18, primitives);
        Object[] header = new Object[primitives.length + 3];
        System.arraycopy(primitives, 0, header, 0, primitives.length);
        header[primitives.length] = "description";
        header[primitives.length + 1] = 18;
        header[primitives.length + 2] = "s";
        message("Header", 19, header);
        message("Response", 5, "description", 1, "s", "schema", 2, "SchemaItem", "headers", 3, "Headers",
                "examples", 4, "Examples");
        message("FileSchema", 10, "format", 1, "s", "title", 2, "s", "description", 3, "s", "default", 4, "any",
                "required", 5, "ss", "type", 6, "s", "readOnly", 7, "b", "externalDocs", 8, "ExternalDocs",
                "example", 9, "any");
        message("Schema", 31, "$ref", 1, "s", "format", 2, "s", "title", 3, "s", "description", 4, "s",
                "default", 5, "any", "multipleOf", 6, "d", "maximum", 7, "d", "exclusiveMaximum", 8, "b",
                "minimum", 9, "d", "exclusiveMinimum", 10, "b", "maxLength", 11, "i", "minLength", 12, "i",
                "pattern", 13, "s", "maxItems", 14, "i", "minItems", 15, "i", "uniqueItems", 16, "b",
                "maxProperties", 17, "i", "minProperties", 18, "i", "required", 19, "ss", "enum", 20, "anys",
                "additionalProperties", 21, "AdditionalPropertiesItem", "type", 22, "TypeItem", "items", 23, "ItemsItem",
                "allOf", 24, "*Schema", "properties", 25, "Properties", "discriminator", 26, "s", "readOnly", 27, "b",
                "xml", 28, "Xml", "externalDocs", 29, "ExternalDocs", "example", 30, "any");
        message("Xml", 6, "name", 1, "s", "namespace", 2, "s", "prefix", 3, "s", "attribute", 4, "b", "wrapped", 5, "b");
        message("ApiKeySecurity", 5, "type", 1, "s", "name", 2, "s", "in", 3, "s", "description", 4, "s");
        message("BasicAuthenticationSecurity", 3, "type", 1, "s", "description", 2, "s");
        message("Oauth2ImplicitSecurity", 6, "type", 1, "s", "flow", 2, "s", "scopes", 3, "Oauth2Scopes",
                "authorizationUrl", 4, "s", "description", 5, "s");
        message("Oauth2PasswordSecurity", 6, "type", 1, "s", "flow", 2, "s", "scopes", 3, "Oauth2Scopes",
                "tokenUrl", 4, "s", "description", 5, "s");
        message("Oauth2ApplicationSecurity", 6, "type", 1, "s", "flow", 2, "s", "scopes", 3, "Oauth2Scopes",
                "tokenUrl", 4, "s", "description", 5, "s");
        message("Oauth2AccessCodeSecurity", 7, "type", 1, "s", "flow", 2, "s", "scopes", 3, "Oauth2Scopes",
                "authorizationUrl", 4, "s", "tokenUrl", 5, "s", "description", 6, "s");
        map("Definitions", "Schema");
        map("Properties", "Schema");
        map("ParameterDefinitions", "Parameter");
        map("ResponseDefinitions", "Response");
        map("SecurityDefinitions", "SecurityDefinitionsItem");
        map("SecurityRequirement", "StringArray");
        map("Headers", "Header");
        map("Examples", "Any");
        map("Oauth2Scopes", "String");
    }

    private GnosticV2Protobuf() {
    }

    /** The protobuf bytes of an OpenAPI v2 document. */
    public static byte[] encode(JsonNode document) {
        return message("Document", document);
    }

    private static byte[] message(String name, JsonNode json) {
        Out out = new Out();
        switch (name) {
            case "Paths" -> {
                // vendor extensions (1), then the paths (2)
                extensions(out, 1, json);
                for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().startsWith("/")) out.bytes(2, named(e.getKey(), message("PathItem", e.getValue())));
                }
            }
            case "Responses" -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().matches("[0-9]{3}|default")) {
                        out.bytes(1, named(e.getKey(), message("ResponseValue", e.getValue())));
                    }
                }
                extensions(out, 2, json);
            }
            case "ParametersItem", "ResponseValue" -> {
                // a JSON reference or the thing itself
                if (json.has("$ref")) out.bytes(2, message("JsonReference", json));
                else out.bytes(1, message(name.equals("ParametersItem") ? "Parameter" : "Response", json));
            }
            case "Parameter" -> {
                if ("body".equals(json.path("in").asText())) out.bytes(1, message("BodyParameter", json));
                else out.bytes(2, message("NonBodyParameter", json));
            }
            case "NonBodyParameter" -> {
                switch (json.path("in").asText()) {
                    case "header" -> out.bytes(1, message("HeaderParameterSubSchema", json));
                    case "formData" -> out.bytes(2, message("FormDataParameterSubSchema", json));
                    case "path" -> out.bytes(4, message("PathParameterSubSchema", json));
                    default -> out.bytes(3, message("QueryParameterSubSchema", json));
                }
            }
            case "SchemaItem" -> {
                if ("file".equals(json.path("type").asText())) out.bytes(2, message("FileSchema", json));
                else out.bytes(1, message("Schema", json));
            }
            case "AdditionalPropertiesItem" -> {
                if (json.isBoolean()) out.bool(2, json.booleanValue(), true);
                else out.bytes(1, message("Schema", json));
            }
            case "TypeItem" -> {
                if (json.isArray()) for (JsonNode t : json) out.string(1, t.asText(), true);
                else out.string(1, json.asText(), true);
            }
            case "ItemsItem" -> {
                if (json.isArray()) for (JsonNode s : json) out.bytes(1, message("Schema", s));
                else out.bytes(1, message("Schema", json));
            }
            case "StringArray" -> {
                for (JsonNode s : json) out.string(1, s.asText(), true);
            }
            case "SecurityDefinitionsItem" -> {
                String type = json.path("type").asText();
                String flow = json.path("flow").asText();
                if (type.equals("basic")) out.bytes(1, message("BasicAuthenticationSecurity", json));
                else if (type.equals("apiKey")) out.bytes(2, message("ApiKeySecurity", json));
                else if (flow.equals("implicit")) out.bytes(3, message("Oauth2ImplicitSecurity", json));
                else if (flow.equals("password")) out.bytes(4, message("Oauth2PasswordSecurity", json));
                else if (flow.equals("application")) out.bytes(5, message("Oauth2ApplicationSecurity", json));
                else out.bytes(6, message("Oauth2AccessCodeSecurity", json));
            }
            case "Any" -> out.bytes(2, GnosticYaml.of(json).getBytes(StandardCharsets.UTF_8)); // Any.yaml
            default -> fields(out, MESSAGES.get(name), json);
        }
        return out.toByteArray();
    }

    private static void fields(Out out, Message m, JsonNode json) {
        if (m.named() != 0) {
            // a map: NamedX entries {name = 1, value = 2} in JSON order (NamedString's value is a plain string)
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Out entry = new Out();
                entry.string(1, e.getKey(), false);
                if (m.entry().equals("String")) entry.string(2, e.getValue().asText(), false);
                else entry.bytes(2, message(m.entry(), e.getValue()));
                out.bytes(m.named(), entry.toByteArray());
            }
            return;
        }
        // fields in number order, as Go's protobuf marshals them; vendor extensions always have the last number
        for (Field f : m.fields()) {
            JsonNode v = json.get(f.json());
            if (v == null) continue;
            switch (f.type()) {
                case STRING -> out.string(f.number(), v.asText(), false);
                case STRINGS -> {
                    for (JsonNode s : v) out.string(f.number(), s.asText(), true);
                }
                case BOOL -> out.bool(f.number(), v.asBoolean(), false);
                case INT64 -> {
                    if (v.asLong() != 0) out.int64(f.number(), v.asLong());
                }
                case DOUBLE -> {
                    if (v.asDouble() != 0) out.dbl(f.number(), v.asDouble());
                }
                case MESSAGE -> out.bytes(f.number(), message(f.message(), v));
                case MESSAGES -> {
                    for (JsonNode item : v) out.bytes(f.number(), message(f.message(), item));
                }
                case ANY -> out.bytes(f.number(), message("Any", v));
                case ANYS -> {
                    for (JsonNode item : v) out.bytes(f.number(), message("Any", item));
                }
            }
        }
        if (m.extensions() != 0) extensions(out, m.extensions(), json);
    }

    /** The members named x-... as NamedAny entries of field {@code number}. */
    private static void extensions(Out out, int number, JsonNode json) {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("x-")) out.bytes(number, named(e.getKey(), message("Any", e.getValue())));
        }
    }

    private static byte[] named(String name, byte[] value) {
        Out entry = new Out();
        entry.string(1, name, false);
        entry.bytes(2, value);
        return entry.toByteArray();
    }

    /** A message being written: proto3 leaves out empty strings, false and zero unless they are set in a oneof. */
    private static final class Out {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buffer, 4096);

        void string(int number, String s, boolean always) {
            if (!always && s.isEmpty()) return;
            io(() -> out.writeString(number, s));
        }

        void bool(int number, boolean b, boolean always) {
            if (!always && !b) return;
            io(() -> out.writeBool(number, b));
        }

        void int64(int number, long v) {
            io(() -> out.writeInt64(number, v));
        }

        void dbl(int number, double v) {
            io(() -> out.writeDouble(number, v));
        }

        void bytes(int number, byte[] b) {
            io(() -> out.writeByteArray(number, b));
        }

        byte[] toByteArray() {
            io(out::flush);
            return buffer.toByteArray();
        }

        private interface Write {
            void run() throws IOException;
        }

        private static void io(Write w) {
            try {
                w.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
