package kubefake.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.apiextensions.CustomResourceStrategy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI v3 documents of custom resources, one per group-version a CRD serves (apiextensions-apiserver's
 * {@code controller/openapi/builder}): the version's schema as {@code <reversed group>.<version>.<Kind>} with its
 * {@code x-kubernetes-group-version-kind}, metadata as a reference to ObjectMeta, the list kind, and their paths.
 * Rebuilt whenever the catalogue changes, so {@code kubectl explain} follows the CRDs; the server merges them with
 * the built-in documents.
 */
public final class CustomResourceOpenApi {
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final Pattern REF = Pattern.compile("#/components/schemas/([A-Za-z0-9_.-]+)");
    private static volatile Map<String, JsonNode> metaSchemas;

    private volatile Map<String, OpenApiDocuments.Document> documents = Map.of();

    /** Rebuilds the documents from the served resources (the custom ones among them). */
    public void update(List<ResourceStore> resources) {
        Map<String, List<ResourceStore>> byGroupVersion = new LinkedHashMap<>();
        for (ResourceStore rs : resources) {
            if (rs.type().custom() && rs.strategy() instanceof CustomResourceStrategy) {
                byGroupVersion.computeIfAbsent(rs.type().groupVersion(), k -> new ArrayList<>()).add(rs);
            }
        }
        Map<String, OpenApiDocuments.Document> docs = new LinkedHashMap<>();
        for (var e : byGroupVersion.entrySet()) {
            byte[] bytes = Json.bytes(document(e.getValue()));
            docs.put(OpenApiDocuments.v3Path(e.getKey()), new OpenApiDocuments.Document(bytes, hash(bytes)));
        }
        documents = docs;
    }

    /**
     * The custom resources' part of the OpenAPI v2 document (apiextensions' builder with v2 on): each kind's
     * definition ({@code com.example.stable.v1.CronTab}, its schema in v2's dialect, metadata a reference to
     * ObjectMeta, with {@code x-kubernetes-group-version-kind}), its list kind, and their read and list paths; both
     * null when no CRD serves anything. What kubectl 1.27/1.28 explain and strategic merge read.
     */
    public static ObjectNode[] v2(List<ResourceStore> resources) {
        ObjectNode paths = Json.MAPPER.createObjectNode();
        ObjectNode definitions = Json.MAPPER.createObjectNode();
        for (ResourceStore rs : resources) {
            if (!rs.type().custom() || !(rs.strategy() instanceof CustomResourceStrategy strategy)) continue;
            ResourceType t = rs.type();
            String name = definitionName(t.group(), t.version(), t.kind());
            definitions.set(name, OpenApiV3ToV2.schema(kindSchema(t, strategy.schema()), true));
            definitions.set(name + "List", OpenApiV3ToV2.schema(listSchema(t, name), true));
            String base = "/apis/" + t.group() + "/" + t.version() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource();
            paths.set(base, v2Path(t, "list", name + "List", false));
            paths.set(base + "/{name}", v2Path(t, "get", name, true));
            if (rs.strategy().hasStatusSubresource()) paths.set(base + "/{name}/status", v2Path(t, "get", name, true));
        }
        return definitions.isEmpty() ? new ObjectNode[]{null, null} : new ObjectNode[]{paths, definitions};
    }

    private static ObjectNode v2Path(ResourceType t, String action, String schemaName, boolean item) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        ObjectNode get = p.putObject("get");
        get.put("description", (action.equals("list") ? "list objects of kind " : "read the specified ") + t.kind());
        get.putArray("consumes").add("*/*");
        ArrayNode produces = get.putArray("produces");
        produces.add("application/json").add("application/yaml");
        if (action.equals("list")) produces.add("application/json;stream=watch");
        get.putArray("schemes").add("https");
        get.putArray("tags").add(operationGroup(t.group()) + "_" + t.version());
        get.put("operationId", (action.equals("list") ? "list" : "read") + upperCamel(t.group()) + upperCamel(t.version())
                + (t.namespaced() ? "Namespaced" : "") + t.kind());
        ObjectNode responses = get.putObject("responses");
        responses.putObject("200").put("description", "OK").putObject("schema").put("$ref", "#/definitions/" + schemaName);
        responses.putObject("401").put("description", "Unauthorized");
        get.put("x-kubernetes-action", action);
        get.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("kind", t.kind()).put("version", t.version());
        ArrayNode parameters = p.putArray("parameters");
        if (item) {
            parameters.addObject().put("uniqueItems", true).put("type", "string").put("description", "name of the " + t.kind())
                    .put("name", "name").put("in", "path").put("required", true);
        }
        if (t.namespaced()) {
            parameters.addObject().put("uniqueItems", true).put("type", "string")
                    .put("description", "object name and auth scope, such as for teams and projects").put("name", "namespace")
                    .put("in", "path").put("required", true);
        }
        return p;
    }

    private static String operationGroup(String group) {
        return group.replace('.', '_');
    }

    /** {@code stable.example.com} as an operation id spells it: {@code StableExampleCom}. */
    private static String upperCamel(String s) {
        StringBuilder b = new StringBuilder();
        for (String part : s.split("[.-]")) {
            if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    /** The document at /openapi/v3/PATH when a CRD serves that group-version, else null. */
    public OpenApiDocuments.Document v3(String path) {
        return documents.get(path);
    }

    /** The root index with the custom resources' group-versions added to the built-in ones. */
    public byte[] root(byte[] builtInRoot) {
        Map<String, OpenApiDocuments.Document> docs = documents;
        if (docs.isEmpty()) return builtInRoot;
        ObjectNode root = Json.parseObject(builtInRoot);
        ObjectNode paths = root.get("paths") instanceof ObjectNode p ? p : root.putObject("paths");
        for (var e : docs.entrySet()) {
            paths.putObject(e.getKey()).put("serverRelativeURL", "/openapi/v3/" + e.getKey() + "?hash=" + e.getValue().hash());
        }
        return Json.bytes(root);
    }

    private static ObjectNode document(List<ResourceStore> stores) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes CRD Swagger").put("version", "v0.1.0");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (ResourceStore rs : stores) {
            ResourceType t = rs.type();
            String name = definitionName(t.group(), t.version(), t.kind());
            schemas.set(name, kindSchema(t, ((CustomResourceStrategy) rs.strategy()).schema()));
            schemas.set(name + "List", listSchema(t, name));
            String base = "/apis/" + t.group() + "/" + t.version() + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.resource();
            paths.set(base, path(t, "list", name + "List"));
            paths.set(base + "/{name}", path(t, "get", name));
        }
        for (var e : metaSchemas().entrySet()) schemas.set(e.getKey(), e.getValue().deepCopy());
        return doc;
    }

    /** {@code stable.example.com/v1 CronTab} is {@code com.example.stable.v1.CronTab}, as the real builder names it. */
    static String definitionName(String group, String version, String kind) {
        String[] parts = group.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) b.append(parts[i]).append('.');
        return b.append(version).append('.').append(kind).toString();
    }

    private static ObjectNode kindSchema(ResourceType t, JsonNode schema) {
        ObjectNode s = schema.isObject() ? schema.deepCopy() : Json.MAPPER.createObjectNode().put("type", "object");
        ObjectNode properties = s.get("properties") instanceof ObjectNode p ? p : s.putObject("properties");
        ObjectNode ordered = Json.MAPPER.createObjectNode();
        ordered.putObject("apiVersion").put("type", "string").put("description", "APIVersion defines the versioned schema of "
                + "this representation of an object. Servers should convert recognized schemas to the latest internal value, "
                + "and may reject unrecognized values. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources");
        ordered.putObject("kind").put("type", "string").put("description", "Kind is a string value representing the REST "
                + "resource this object represents. Servers may infer this from the endpoint the client submits requests to. "
                + "Cannot be updated. In CamelCase. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds");
        ObjectNode metadata = ordered.putObject("metadata");
        metadata.put("description", "Standard object's metadata. More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
        metadata.putArray("allOf").addObject().put("$ref", "#/components/schemas/" + META + "ObjectMeta");
        properties.properties().forEach(e -> {
            if (!ordered.has(e.getKey())) ordered.set(e.getKey(), e.getValue());
        });
        s.set("properties", ordered);
        gvk(s, t, t.kind());
        return s;
    }

    private static ObjectNode listSchema(ResourceType t, String itemName) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("description", t.listKind() + " is a list of " + t.kind());
        s.putArray("required").add("items");
        ObjectNode p = s.putObject("properties");
        p.putObject("apiVersion").put("type", "string");
        p.putObject("items").put("type", "array").putObject("items").putArray("allOf").addObject()
                .put("$ref", "#/components/schemas/" + itemName);
        p.putObject("kind").put("type", "string");
        p.putObject("metadata").putArray("allOf").addObject().put("$ref", "#/components/schemas/" + META + "ListMeta");
        s.put("type", "object");
        gvk(s, t, t.listKind());
        return s;
    }

    private static void gvk(ObjectNode schema, ResourceType t, String kind) {
        ArrayNode a = schema.putArray("x-kubernetes-group-version-kind");
        a.addObject().put("group", t.group()).put("kind", kind).put("version", t.version());
    }

    private static ObjectNode path(ResourceType t, String action, String schemaName) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        ObjectNode get = p.putObject("get");
        get.putArray("tags").add(t.group().replace('.', '_') + "_" + t.version());
        get.put("description", (action.equals("list") ? "list objects of kind " : "read the specified ") + t.kind());
        ObjectNode content = get.putObject("responses").putObject("200").put("description", "OK").putObject("content");
        for (String media : List.of("application/json", "application/yaml")) {
            content.putObject(media).putObject("schema").put("$ref", "#/components/schemas/" + schemaName);
        }
        get.put("x-kubernetes-action", action);
        get.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        return p;
    }

    /** ObjectMeta, ListMeta and what they refer to, from the bundled built-in documents. */
    private static Map<String, JsonNode> metaSchemas() {
        Map<String, JsonNode> found = metaSchemas;
        if (found != null) return found;
        JsonNode all;
        try (InputStream in = CustomResourceOpenApi.class.getResourceAsStream("/openapi/v3/apis_batch_v1.json")) {
            all = in == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(in).path("components").path("schemas");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(List.of(META + "ObjectMeta", META + "ListMeta"));
        while (!pending.isEmpty()) {
            String name = pending.remove(0);
            if (found.containsKey(name) || !all.has(name)) continue;
            found.put(name, all.get(name));
            Matcher m = REF.matcher(all.get(name).toString());
            while (m.find()) pending.add(m.group(1));
        }
        metaSchemas = found;
        return found;
    }

    private static String hash(byte[] b) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
