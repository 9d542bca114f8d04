package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading an object's metadata from its tree (what {@code metav1.Object}'s accessors give a Go controller). */
public final class Meta {
    private Meta() {
    }

    public static String name(JsonNode o) {
        return Json.text(o.path("metadata"), "name");
    }

    public static String namespace(JsonNode o) {
        return Json.text(o.path("metadata"), "namespace");
    }

    public static String uid(JsonNode o) {
        return Json.text(o.path("metadata"), "uid");
    }

    public static String resourceVersion(JsonNode o) {
        return Json.text(o.path("metadata"), "resourceVersion");
    }

    public static long generation(JsonNode o) {
        return o.path("metadata").path("generation").asLong(0);
    }

    /** The labels (empty when none). */
    public static Map<String, String> labels(JsonNode o) {
        return stringMap(o.path("metadata").path("labels"));
    }

    public static Map<String, String> annotations(JsonNode o) {
        return stringMap(o.path("metadata").path("annotations"));
    }

    public static String annotation(JsonNode o, String key) {
        JsonNode v = o.path("metadata").path("annotations").get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The annotation's value, "" when it is not there. */
    public static String annotationOrEmpty(JsonNode o, String key) {
        String v = annotation(o, key);
        return v == null ? "" : v;
    }

    public static Map<String, String> stringMap(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null && map.isObject()) map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public static boolean isDeleting(JsonNode o) {
        return o.path("metadata").hasNonNull("deletionTimestamp");
    }

    public static Instant deletionTimestamp(JsonNode o) {
        return time(o.path("metadata").get("deletionTimestamp"));
    }

    /** The creation time, or null when unset. */
    public static Instant creationTimestamp(JsonNode o) {
        return time(o.path("metadata").get("creationTimestamp"));
    }

    /** An RFC 3339 time field, or null when absent or null. */
    public static Instant time(JsonNode value) {
        if (value == null || value.isNull() || value.asText().isEmpty()) return null;
        return Instant.parse(value.asText());
    }

    /** The object's labels as a mutable object node (created when absent). */
    public static ObjectNode labelsNode(ObjectNode o) {
        return Json.metadata(o).with("labels");
    }

    /** The object's annotations as a mutable object node (created when absent). */
    public static ObjectNode annotationsNode(ObjectNode o) {
        return Json.metadata(o).with("annotations");
    }

    /** Whether the object's metadata.finalizers lists {@code finalizer}. */
    public static boolean hasFinalizer(JsonNode o, String finalizer) {
        for (JsonNode f : o.path("metadata").path("finalizers")) if (f.asText().equals(finalizer)) return true;
        return false;
    }

    /**
     * Removes every {@code finalizer} entry from the object's metadata.finalizers (in place), and the list once it is
     * empty, as the real controllers' patches leave it; returns the object.
     */
    public static ObjectNode removeFinalizer(ObjectNode o, String finalizer) {
        if (o.path("metadata").get("finalizers") instanceof com.fasterxml.jackson.databind.node.ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) if (list.get(i).asText().equals(finalizer)) list.remove(i);
            if (list.isEmpty()) Json.metadata(o).remove("finalizers");
        }
        return o;
    }
}
