package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of a ConfigMap or Secret as a container receives them (env values, volume files): a ConfigMap's
 * {@code data} (and, for volumes, its decoded {@code binaryData}), a Secret's decoded {@code data}; null when the
 * object does not exist.
 */
final class ConfigData {
    private ConfigData() {
    }

    /** Volume files: {@code data} and {@code binaryData}. */
    static Map<String, byte[]> configMap(Registry registry, String namespace, String name) {
        StoredObject cm = registry.resource("", "configmaps").find(namespace, name);
        if (cm == null) return null;
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cm.tree().path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            data.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8));
        }
        decoded(data, cm.tree().path("binaryData"));
        return data;
    }

    /** Environment values: {@code data} only, as the kubelet takes them (binaryData is never an env value). */
    static Map<String, String> configMapText(Registry registry, String namespace, String name) {
        StoredObject cm = registry.resource("", "configmaps").find(namespace, name);
        if (cm == null) return null;
        Map<String, String> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cm.tree().path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            data.put(e.getKey(), e.getValue().asText());
        }
        return data;
    }

    static Map<String, byte[]> secret(Registry registry, String namespace, String name) {
        StoredObject s = registry.resource("", "secrets").find(namespace, name);
        if (s == null) return null;
        Map<String, byte[]> data = new LinkedHashMap<>();
        decoded(data, s.tree().path("data"));
        return data;
    }

    private static void decoded(Map<String, byte[]> into, JsonNode base64Values) {
        for (Iterator<Map.Entry<String, JsonNode>> it = base64Values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            into.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
        }
    }
}
