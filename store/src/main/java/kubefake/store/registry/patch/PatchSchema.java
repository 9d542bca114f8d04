package kubefake.store.registry.patch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The types of one OpenAPI v3 document ({@code components.schemas}), read for their patch metadata.
 *
 * <p>The documents of Kubernetes 1.33's built-in group-versions are bundled under {@code /openapi/v3/} on
 * the classpath, named like their URL paths with {@code /} as {@code _} ({@code api_v1.json},
 * {@code apis_apps_v1.json}). Their structure, without the descriptions, is computed when kubefake is built
 * ({@link PatchSchemaStructures}); each is parsed the first time a kind of its group-version is asked for, never at
 * class initialisation, and then shared by every caller.
 *
 * <p>Custom resources have no bundled document: {@link #forGroupVersionKind} answers null for them.
 * The real server refuses strategic merge patches on custom resources with 415 (see
 * {@link PatchType#CUSTOM_RESOURCE}; kubectl sends them merge patches instead); {@link Patches} does the same.
 * A CRD's schema can be wrapped with {@link #fromOpenApiDocument} when server-side apply needs it.
 */
public final class PatchSchema {

    private static final String RESOURCE_DIRECTORY = "/openapi/v3/";
    private static final String REF_PREFIX = "#/components/schemas/";
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
    private static final String SCALE = "autoscaling/v1/Scale";
    private static final String META_PREFIX = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    /** The name a custom resource's own schema takes beside the ObjectMeta types. */
    private static final String CUSTOM_RESOURCE = "customresource";
    private static final Map<String, BundledDocument> BUNDLED = new ConcurrentHashMap<>();
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonNode schemas;
    private final Map<String, String> schemaNamesByKind;
    private final Map<String, SchemaType> types = new ConcurrentHashMap<>();

    private PatchSchema(JsonNode schemas) {
        this.schemas = schemas;
        this.schemaNamesByKind = indexKinds(schemas);
    }

    /**
     * The schema of a built-in kind, such as ({@code "apps"}, {@code "v1"}, {@code "Deployment"}) or
     * ({@code ""}, {@code "v1"}, {@code "Pod"}); null when no bundled document describes it.
     */
    public static SchemaType forGroupVersionKind(String group, String version, String kind) {
        PatchSchema document = forGroupVersion(group, version);
        SchemaType type = document == null ? null : document.typeOf(group, version, kind);
        if (type == null && SCALE.equals(group + "/" + version + "/" + kind)) {
            // autoscaling/v1 Scale, the kind of every /scale subresource, is only described by the
            // documents of the group-versions serving such subresources.
            type = forGroupVersion("apps", "v1").typeOf(group, version, kind);
        }
        return type;
    }

    /** The bundled document of a group-version ({@code ""} is the core group), or null if none is bundled. */
    public static PatchSchema forGroupVersion(String group, String version) {
        if (group == null || version == null || !PATH_SEGMENT.matcher(version).matches()
                || !(group.isEmpty() || PATH_SEGMENT.matcher(group).matches())) {
            return null;
        }
        String file = group.isEmpty() ? "api_" + version + ".json" : "apis_" + group + "_" + version + ".json";
        return BUNDLED.computeIfAbsent(file, BundledDocument::new).get();
    }

    /** Wraps a parsed OpenAPI v3 document (an object with {@code components.schemas}). */
    public static PatchSchema fromOpenApiDocument(JsonNode document) {
        JsonNode schemas = document.path("components").path("schemas");
        if (!schemas.isObject()) {
            throw new IllegalArgumentException("not an OpenAPI v3 document: no components.schemas");
        }
        return new PatchSchema(schemas);
    }

    /**
     * The type of a custom resource whose version has {@code openAPIV3Schema}: that schema, with {@code metadata} as
     * Kubernetes' ObjectMeta and {@code apiVersion} and {@code kind} as strings, as the real server builds the
     * models it types custom resources with. The ObjectMeta types come from the bundled core document.
     */
    public static SchemaType forCustomResource(JsonNode openApiV3Schema) {
        ObjectNode schemas = JsonNodeFactory.instance.objectNode();
        PatchSchema core = forGroupVersion("", "v1");
        if (core != null) {
            core.schemas.properties().forEach(e -> {
                if (e.getKey().startsWith(META_PREFIX)) schemas.set(e.getKey(), e.getValue());
            });
        }
        ObjectNode root = openApiV3Schema != null && openApiV3Schema.isObject()
                ? ((ObjectNode) openApiV3Schema).deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode properties = root.get("properties") instanceof ObjectNode declared ? declared : root.putObject("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        if (core != null) properties.putObject("metadata").put("$ref", REF_PREFIX + META_PREFIX + "ObjectMeta");
        schemas.set(CUSTOM_RESOURCE, root);
        return new PatchSchema(schemas).type(CUSTOM_RESOURCE);
    }

    /** The type named in {@code components.schemas}, or null. */
    public SchemaType type(String schemaName) {
        if (schemaName == null || !schemas.has(schemaName)) {
            return null;
        }
        return types.computeIfAbsent(schemaName, name -> new SchemaType(this, name, schemas.get(name)));
    }

    /** The name of the schema whose {@code x-kubernetes-group-version-kind} is that kind, or null. */
    public String schemaNameOf(String group, String version, String kind) {
        return schemaNamesByKind.get(group + "/" + version + "/" + kind);
    }

    /** The type of that kind in this document, or null. */
    public SchemaType typeOf(String group, String version, String kind) {
        return type(schemaNameOf(group, version, kind));
    }

    /** Resolves a schema node: the first {@code allOf} entry, then a {@code $ref}, as Kubernetes does. */
    SchemaType resolve(JsonNode node) {
        if (node == null) {
            return SchemaType.UNTYPED;
        }
        JsonNode resolved = node;
        JsonNode allOf = resolved.get("allOf");
        if (allOf != null && allOf.isArray() && allOf.size() > 0) {
            resolved = allOf.get(0);
        }
        String ref = SchemaType.text(resolved, "$ref");
        if (ref != null) {
            SchemaType referenced = ref.startsWith(REF_PREFIX) ? type(ref.substring(REF_PREFIX.length())) : null;
            return referenced != null ? referenced : SchemaType.UNTYPED;
        }
        return new SchemaType(this, "", resolved);
    }

    private static Map<String, String> indexKinds(JsonNode schemas) {
        Map<String, String> index = new HashMap<>();
        for (Map.Entry<String, JsonNode> schema : schemas.properties()) {
            for (JsonNode gvk : schema.getValue().path("x-kubernetes-group-version-kind")) {
                String key = gvk.path("group").asText("") + "/" + gvk.path("version").asText("") + "/"
                        + gvk.path("kind").asText("");
                index.putIfAbsent(key, schema.getKey());
            }
        }
        return Map.copyOf(index);
    }

    /** A bundled document, loaded on first use by exactly one caller while the others wait. */
    private static final class BundledDocument {
        private final String file;
        private boolean loaded;
        private PatchSchema schema;

        BundledDocument(String file) {
            this.file = file;
        }

        synchronized PatchSchema get() {
            if (!loaded) {
                schema = load(file);
                loaded = true;
            }
            return schema;
        }

        /**
         * The document's structure as the build computed it ({@link PatchSchemaStructures}); null when no document of
         * that name is bundled.
         */
        private static PatchSchema load(String file) {
            try (InputStream in = PatchSchema.class.getResourceAsStream(PatchSchemaStructures.RESOURCE_DIRECTORY + file)) {
                if (in == null) {
                    if (PatchSchema.class.getResource(RESOURCE_DIRECTORY + file) != null) {
                        throw new IllegalStateException(PatchSchemaStructures.RESOURCE_DIRECTORY + file
                                + " is missing: the store module's build writes it (process-classes)");
                    }
                    return null;
                }
                JsonNode schemas;
                try (JsonParser parser = JSON.createParser(in)) {
                    schemas = withoutProse(parser, parser.nextToken());
                }
                return schemas.isObject() ? new PatchSchema(schemas) : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled OpenAPI document " + file, e);
            }
        }
    }

    /**
     * The {@code components.schemas} of an OpenAPI v3 document, without its prose; null when it has none. What the
     * build writes for each bundled document ({@link PatchSchemaStructures}).
     */
    static JsonNode schemasWithoutProse(InputStream document) throws IOException {
        try (JsonParser parser = JSON.createParser(document)) {
            JsonNode schemas = member(parser, "components", "schemas");
            return schemas != null && schemas.isObject() ? schemas : null;
        }
    }

    /** This document's {@code components.schemas}. */
    JsonNode schemas() {
        return schemas;
    }

    /**
     * The value at a path of object keys in a document, read without its prose; everything else (the paths and
     * responses, most of a document) is skipped unread. Null when the path is not there.
     */
    private static JsonNode member(JsonParser parser, String... path) throws IOException {
        JsonToken token = parser.nextToken();
        for (String key : path) {
            if (token != JsonToken.START_OBJECT) {
                return null;
            }
            boolean found = false;
            for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken()) {
                JsonToken value = parser.nextToken();
                if (parser.currentName().equals(key)) {
                    token = value;
                    found = true;
                    break;
                }
                parser.skipChildren();
            }
            if (!found) {
                return null;
            }
        }
        return withoutProse(parser, token);
    }

    /**
     * Reads a document into a tree without its prose (every {@code description} text), which is most of its bytes:
     * memory stays small, and the first load is on the startup path (the server's first writes need it).
     */
    private static JsonNode withoutProse(JsonParser parser, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (JsonToken key = parser.nextToken(); key == JsonToken.FIELD_NAME; key = parser.nextToken()) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_STRING && name.equals("description")) {
                        continue;
                    }
                    object.set(name, withoutProse(parser, value));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken value = parser.nextToken(); value != JsonToken.END_ARRAY; value = parser.nextToken()) {
                    array.add(withoutProse(parser, value));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            default -> nodes.nullNode();
        };
    }
}
