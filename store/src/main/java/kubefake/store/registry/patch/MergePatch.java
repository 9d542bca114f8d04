package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON Merge Patch ({@code application/merge-patch+json}): objects merge member by member, a
 * {@code null} member deletes, anything else (lists included) replaces.
 *
 * <p>As in the library the real server uses (evanphx/json-patch v4): nulls are also dropped from objects
 * inside a list when that list is brought in where no value was; a JSON {@code null} or scalar patch is a
 * 400 {@code Invalid JSON Patch}; a list as the whole patch yields that list (the caller must then refuse a
 * result that is not an object, as the server's decoder does).
 */
public final class MergePatch {

    private MergePatch() {
    }

    /**
     * Merges {@code patch} into a copy of {@code target}; neither argument is changed.
     *
     * @throws PatchException 400 when the patch is neither an object nor a list
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !(patch.isObject() || patch.isArray())) {
            throw PatchException.badRequest("Invalid JSON Patch");
        }
        JsonNode copy = patch.deepCopy();
        if (copy.isArray()) {
            return JsonValues.withoutNullFields(copy);
        }
        if (target == null || !target.isObject()) {
            return JsonValues.withoutNullFields(copy);
        }
        ObjectNode result = target.deepCopy();
        mergeInto(result, (ObjectNode) copy);
        return result;
    }

    private static void mergeInto(ObjectNode document, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (value.isNull()) {
                document.remove(name);
                continue;
            }
            JsonNode current = document.get(name);
            if (JsonValues.isNull(current)) {
                document.set(name, JsonValues.withoutNullFields(value));
            } else {
                document.set(name, merge(current, value));
            }
        }
    }

    private static JsonNode merge(JsonNode current, JsonNode patch) {
        if (!current.isObject()) {
            return JsonValues.withoutNullFields(patch);
        }
        if (!patch.isObject()) {
            return patch;
        }
        mergeInto((ObjectNode) current, (ObjectNode) patch);
        return current;
    }
}
