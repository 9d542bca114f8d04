package kubefake.client.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

/**
 * What an event is about (core/v1 ObjectReference, as client-go's {@code reference.GetReference} makes it): kind,
 * namespace, name, uid, apiVersion and resourceVersion of the object, and a field path for a part of it (a pod's
 * container: {@code spec.containers{nginx}}).
 */
public record ObjectReference(String kind, String namespace, String name, String uid, String apiVersion,
                              String resourceVersion, String fieldPath) {

    public static ObjectReference of(StoredObject object) {
        JsonNode meta = object.tree().path("metadata"); // the revision's shared tree: read only
        return new ObjectReference(object.type().kind(), Json.text(meta, "namespace"), Json.text(meta, "name"),
                Json.text(meta, "uid"), object.type().groupVersion(), Json.text(meta, "resourceVersion"), "");
    }

    public static ObjectReference of(ObjectNode object) {
        JsonNode meta = object.path("metadata");
        return new ObjectReference(Json.text(object, "kind"), Json.text(meta, "namespace"), Json.text(meta, "name"),
                Json.text(meta, "uid"), Json.text(object, "apiVersion"), Json.text(meta, "resourceVersion"), "");
    }

    public static ObjectReference of(HasMetadata object) {
        var meta = object.getMetadata();
        String kind = object.getKind() != null ? object.getKind() : HasMetadata.getKind(object.getClass());
        String apiVersion = object.getApiVersion() != null ? object.getApiVersion() : HasMetadata.getApiVersion(object.getClass());
        return new ObjectReference(kind, orEmpty(meta.getNamespace()), orEmpty(meta.getName()), orEmpty(meta.getUid()),
                apiVersion, orEmpty(meta.getResourceVersion()), "");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The same object, a part of it (e.g. {@code spec.containers{nginx}}). */
    public ObjectReference withFieldPath(String path) {
        return new ObjectReference(kind, namespace, name, uid, apiVersion, resourceVersion, path);
    }

    /** The reference to a pod's container, as the kubelet makes it. */
    public ObjectReference container(String containerName) {
        return withFieldPath("spec.containers{" + containerName + "}");
    }

    /** As JSON, empty fields left out (they are omitempty in Go). */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        put(o, "kind", kind);
        put(o, "namespace", namespace);
        put(o, "name", name);
        put(o, "uid", uid);
        put(o, "apiVersion", apiVersion);
        put(o, "resourceVersion", resourceVersion);
        put(o, "fieldPath", fieldPath);
        return o;
    }

    private static void put(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) o.put(field, value);
    }
}
