package kubefake.server.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI documents: v3 per served group-version (Kubernetes 1.33's own documents, bundled under
 * /openapi/v3/ on the classpath) with the root index of their hashes, loaded on first use so startup stays fast;
 * and a minimal v2 document in protobuf, enough for kubectl 1.27/1.28, which insist on loading v2 before they turn
 * to v3 for validation and explain.
 */
public final class OpenApiDocuments {
    /** A served document and its hash (the real server's: uppercase hex SHA-512 of the bytes). */
    public record Document(byte[] bytes, String hash) {
    }

    private final List<String> groupVersions;
    private final String gitVersion;
    private volatile Map<String, Document> v3;
    private volatile byte[] v3Root;

    /** @param groupVersions the served group-versions ("v1", "apps/v1", ...) */
    public OpenApiDocuments(List<String> groupVersions, String gitVersion) {
        this.groupVersions = groupVersions;
        this.gitVersion = gitVersion;
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
                Document d = new Document(bytes, HexFormat.of().withUpperCase().formatHex(sha512(bytes)));
                docs.put(path, d);
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + d.hash());
            }
            v3Root = Json.bytes(root);
            v3 = docs;
            return docs;
        }
    }

    /**
     * A minimal gnostic openapi_v2.Document in protobuf: {swagger: "2.0", info: {title: "Kubernetes", version}}.
     * kubectl 1.27/1.28 parse /openapi/v2 as protobuf whatever the Content-Type says.
     */
    public byte[] v2Protobuf() {
        byte[] title = "Kubernetes".getBytes(StandardCharsets.UTF_8);
        byte[] version = gitVersion.getBytes(StandardCharsets.UTF_8);
        byte[] info = new byte[2 + title.length + 2 + version.length];
        int i = 0;
        info[i++] = 0x0a; // Info.title, field 1, length-delimited
        info[i++] = (byte) title.length;
        System.arraycopy(title, 0, info, i, title.length);
        i += title.length;
        info[i++] = 0x12; // Info.version, field 2
        info[i++] = (byte) version.length;
        System.arraycopy(version, 0, info, i, version.length);
        byte[] swagger = "2.0".getBytes(StandardCharsets.UTF_8);
        byte[] doc = new byte[2 + swagger.length + 2 + info.length];
        int j = 0;
        doc[j++] = 0x0a; // Document.swagger, field 1
        doc[j++] = (byte) swagger.length;
        System.arraycopy(swagger, 0, doc, j, swagger.length);
        j += swagger.length;
        doc[j++] = 0x12; // Document.info, field 2
        doc[j++] = (byte) info.length;
        System.arraycopy(info, 0, doc, j, info.length);
        return doc;
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpenApiDocuments.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha512(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
