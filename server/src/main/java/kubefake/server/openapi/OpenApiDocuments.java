package kubefake.server.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI documents: v3 per served group-version (Kubernetes 1.33's own documents, bundled under
 * /openapi/v3/ on the classpath) with the root index of their hashes, loaded on first use so startup stays fast;
 * and the v2 document ({@link OpenApiV2}), which kubectl 1.27/1.28 load before every explain and apply, with
 * metrics.k8s.io's part when metrics-server's API is served.
 */
public final class OpenApiDocuments {
    /** A served document and its hash (the real server's: uppercase hex SHA-512 of the bytes). */
    public record Document(byte[] bytes, String hash) {
    }

    /** metrics-server's group-version, served by an aggregated server in a real cluster. */
    private static final String METRICS = "metrics.k8s.io/v1beta1";
    private final List<String> groupVersions;
    private final OpenApiV2 v2;
    private volatile Map<String, Document> v3;
    private volatile byte[] v3Root;

    /**
     * @param groupVersions the served group-versions ("v1", "apps/v1", ...)
     * @param resources     the resources each serves ("pods", "pods/status", ...), as discovery lists them
     */
    public OpenApiDocuments(List<String> groupVersions, Map<String, Set<String>> resources) {
        this.groupVersions = groupVersions;
        this.v2 = new OpenApiV2(resources);
        if (groupVersions.contains(METRICS)) contributeToV2(METRICS);
    }

    /**
     * An aggregated server's group-version in the v2 document, as kube-aggregator merges the server's own v2 document
     * into it: its paths and its definitions, those of the same name as built-in ones left to the built-in ones.
     */
    private void contributeToV2(String groupVersion) {
        ObjectNode v3 = Json.parseObject(resource("/openapi/v3/" + v3Path(groupVersion).replace('/', '_') + ".json"));
        ObjectNode paths = Json.MAPPER.createObjectNode();
        v3.path("paths").properties().forEach(e -> paths.set(e.getKey(), OpenApiV3ToV2.path(e.getValue())));
        ObjectNode definitions = Json.MAPPER.createObjectNode();
        v3.path("components").path("schemas").properties()
                .forEach(e -> definitions.set(e.getKey(), OpenApiV3ToV2.schema(e.getValue(), false)));
        v2.contribute(groupVersion, paths, definitions);
    }

    /** The v2 document, which other sources (custom resources) can add paths and definitions to. */
    public OpenApiV2 v2() {
        return v2;
    }

    /** The v3 path of a group-version: "api/v1" or "apis/apps/v1". */
    public static String v3Path(String groupVersion) {
        return groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
    }

    /** The document at /openapi/v3/PATH, or null. */
    public Document v3(String path) {
        return load().get(path);
    }

    public byte[] v3Root() {
        load();
        return v3Root;
    }

    private Map<String, Document> load() {
        Map<String, Document> docs = v3;
        if (docs != null) return docs;
        synchronized (this) {
            if (v3 != null) return v3;
            docs = new LinkedHashMap<>();
            ObjectNode root = Json.MAPPER.createObjectNode();
            ObjectNode paths = root.putObject("paths");
            for (String gv : groupVersions) {
                String path = v3Path(gv);
                byte[] bytes = resource("/openapi/v3/" + path.replace('/', '_') + ".json");
                if (bytes == null) continue;
                Document d = new Document(bytes, hash(bytes));
                docs.put(path, d);
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + d.hash());
            }
            v3Root = Json.bytes(root);
            v3 = docs;
            return docs;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpenApiDocuments.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real server's hash of a document (its ETag, v3's ?hash=): the uppercase hex SHA-512 of its bytes. */
    static String hash(byte[] b) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
