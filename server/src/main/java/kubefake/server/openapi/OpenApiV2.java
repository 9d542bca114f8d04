package kubefake.server.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The OpenAPI v2 document served at /openapi/v2: Kubernetes 1.33's own (recorded from a real server, bundled as
 * /openapi/v2/kubernetes.json.gz) cut to the resources this server serves, plus what other sources contribute
 * (custom resources' paths and definitions) through {@link #contribute}. As kube-apiserver builds it: paths and
 * definitions sorted by name, only the definitions and shared parameters the paths reach; served as compact JSON
 * and as gnostic protobuf with one ETag (the uppercase hex SHA-512 of the JSON) and the time it was built.
 */
public final class OpenApiV2 {
    /** One build of the document. */
    public record Served(byte[] json, byte[] protobuf, String etag, Instant lastModified) {
    }

    private static final Pattern REF = Pattern.compile("^#/(definitions|parameters)/(.+)$");

    private final Map<String, Set<String>> served;
    private final Map<String, ObjectNode[]> contributions = new TreeMap<>();
    private volatile Served current;

    /** @param served the resources ("pods", "pods/status") of each served group-version ("v1", "apps/v1") */
    public OpenApiV2(Map<String, Set<String>> served) {
        this.served = served;
    }

    /** The document as last built (built now on first use). */
    public Served served() {
        Served s = current;
        if (s != null) return s;
        synchronized (this) {
            if (current == null) current = build();
            return current;
        }
    }

    /**
     * Adds or replaces (by {@code source}) paths and definitions, e.g. a custom resource's; {@code null} for both
     * removes them. The document is built again on next use, with a new ETag.
     */
    public synchronized void contribute(String source, ObjectNode paths, ObjectNode definitions) {
        if (paths == null && definitions == null) contributions.remove(source);
        else contributions.put(source, new ObjectNode[]{paths, definitions});
        current = null;
    }

    private synchronized Served build() {
        ObjectNode base = bundled();
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.set("swagger", base.get("swagger"));
        doc.set("info", base.get("info"));
        TreeMap<String, JsonNode> paths = new TreeMap<>();
        base.get("paths").fields().forEachRemaining(e -> {
            if (keep(e.getKey())) paths.put(e.getKey(), e.getValue());
        });
        TreeMap<String, JsonNode> definitions = new TreeMap<>();
        base.get("definitions").fields().forEachRemaining(e -> definitions.put(e.getKey(), e.getValue()));
        for (ObjectNode[] c : contributions.values()) {
            if (c[0] != null) c[0].fields().forEachRemaining(e -> paths.put(e.getKey(), e.getValue()));
            // a definition the built-in document (or an earlier source) has keeps its first meaning
            if (c[1] != null) c[1].fields().forEachRemaining(e -> definitions.putIfAbsent(e.getKey(), e.getValue()));
        }
        ObjectNode pathsNode = doc.putObject("paths");
        paths.forEach(pathsNode::set);
        // what the paths reach, as the real document holds nothing else
        Set<String> reachedDefinitions = new HashSet<>();
        Set<String> reachedParameters = new HashSet<>();
        JsonNode parameters = base.get("parameters");
        Deque<JsonNode> todo = new ArrayDeque<>(paths.values());
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject()) {
                JsonNode ref = n.get("$ref");
                if (ref != null && ref.isTextual()) {
                    Matcher m = REF.matcher(ref.textValue());
                    if (m.matches()) {
                        boolean definition = m.group(1).equals("definitions");
                        Set<String> reached = definition ? reachedDefinitions : reachedParameters;
                        JsonNode target = definition ? definitions.get(m.group(2)) : parameters.get(m.group(2));
                        if (target != null && reached.add(m.group(2))) todo.push(target);
                    }
                }
            }
            if (n.isContainerNode()) n.elements().forEachRemaining(todo::push);
        }
        ObjectNode definitionsNode = doc.putObject("definitions");
        definitions.forEach((name, schema) -> {
            if (reachedDefinitions.contains(name)) definitionsNode.set(name, schema);
        });
        ObjectNode parametersNode = doc.putObject("parameters");
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (reachedParameters.contains(e.getKey())) parametersNode.set(e.getKey(), e.getValue());
        }
        doc.set("securityDefinitions", base.get("securityDefinitions"));
        doc.set("security", base.get("security"));
        byte[] json = Json.bytes(doc);
        return new Served(json, GnosticV2Protobuf.encode(doc), OpenApiDocuments.hash(json), Instant.now());
    }

    /**
     * Whether a path of the recorded document is served here: discovery's own paths for served groups and
     * group-versions, a resource's paths (list, item, watch, subresource) when discovery lists it.
     */
    private boolean keep(String path) {
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        if (path.equals("/api/") || path.equals("/apis/") || path.equals("/version/")) return true;
        String groupVersion;
        int rest;
        if (p[0].equals("api") && p.length >= 2) {
            groupVersion = p[1];
            rest = 2;
        } else if (p[0].equals("apis") && p.length >= 2) {
            if (p.length == 2) return servedGroup(p[1]);
            groupVersion = p[1] + "/" + p[2];
            rest = 3;
        } else {
            return false; // /.well-known/openid-configuration/, /openid/v1/jwks/: not served here
        }
        Set<String> resources = served.get(groupVersion);
        if (resources == null) return false;
        if (p.length == rest) return true;
        if (p[rest].equals("watch")) rest++;
        if (p.length > rest + 2 && p[rest].equals("namespaces") && p[rest + 1].equals("{namespace}")) rest += 2;
        String resource = p[rest];
        if (p.length > rest + 2 && p[rest + 1].equals("{name}")) resource += "/" + p[rest + 2];
        return resources.contains(resource);
    }

    private boolean servedGroup(String group) {
        return served.keySet().stream().anyMatch(gv -> gv.startsWith(group + "/"));
    }

    static ObjectNode bundled() {
        try (InputStream in = OpenApiV2.class.getResourceAsStream("/openapi/v2/kubernetes.json.gz")) {
            if (in == null) throw new IllegalStateException("/openapi/v2/kubernetes.json.gz is missing from the classpath");
            return Json.parseObject(new GZIPInputStream(in).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
