package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/** An object's {@code metadata.labels} as a map. */
public final class Labels {
    private Labels() {
    }

    /** The object's labels (empty when it has none). */
    public static Map<String, String> of(JsonNode object) {
        return fromMap(object.path("metadata").path("labels"));
    }

    /** A JSON map of strings (labels, a nodeSelector, a service's selector) as a map. */
    public static Map<String, String> fromMap(JsonNode map) {
        if (map == null || !map.isObject() || map.isEmpty()) return Map.of();
        Map<String, String> out = new HashMap<>(map.size() * 2);
        map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
