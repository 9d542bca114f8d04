package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusException;

import java.util.Iterator;
import java.util.Map;

/** Chooses the patch engine by the PATCH request's Content-Type (TEMPORARY: merge only until the patch branch lands). */
final class PatchEngines {
    private PatchEngines() {
    }

    static ObjectNode apply(String contentType, ObjectNode current, byte[] body, ResourceType type) {
        String media = BodyDecoder.mediaType(contentType);
        JsonNode patch = BodyDecoder.parseJson(body, type);
        return switch (media) {
            case "application/merge-patch+json", "application/strategic-merge-patch+json" -> (ObjectNode) merge(current, patch);
            default -> throw new StatusException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/apply-patch+yaml, application/strategic-merge-patch+json", null);
        };
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) return patch;
        ObjectNode out = target != null && target.isObject() ? (ObjectNode) target : kubefake.store.registry.Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
        }
        return out;
    }
}
