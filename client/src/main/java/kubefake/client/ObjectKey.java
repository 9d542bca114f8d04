package kubefake.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The key of an object in caches and work queues, as client-go's {@code MetaNamespaceKeyFunc} makes it:
 * {@code namespace/name}, or just {@code name} for cluster-scoped objects.
 */
public final class ObjectKey {
    private ObjectKey() {
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The key of an object tree, from its metadata. */
    public static String of(JsonNode object) {
        JsonNode meta = object.path("metadata");
        return of(meta.path("namespace").asText(""), meta.path("name").asText(""));
    }

    /** The namespace part of a key ("" for a cluster-scoped object). */
    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The name part of a key. */
    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
