package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The patched object as the real server's JSON and merge patch code (evanphx/json-patch v4) writes it out
 * before decoding it strictly. That text matters twice: its key order is the order unknown fields are
 * reported in, and a 422 for a strict patch quotes it whole.
 *
 * <p>v4 keeps every JSON value it does not need to look into as the original bytes (so in the order they
 * were stored), and writes the objects it opened as Go maps, that is with sorted keys: the top level always,
 * the objects a merge patch merged into, and the values a merge patch brought in (from which it removed
 * null members).
 */
final class PatchedText {

    private PatchedText() {
    }

    /** RFC 7386 merge of {@code patch} into {@code current}, written as jsonpatch.MergePatch writes it. */
    static String mergePatched(JsonNode current, JsonNode patch) {
        StringBuilder out = new StringBuilder();
        if (current != null && current.isObject() && patch != null && patch.isObject()) {
            mergedObject(out, current, patch);
        } else {
            pruned(out, patch);
        }
        return out.toString();
    }

    /**
     * A JSON patched object: the top level sorted, the rest as stored. (v4 also sorts the objects on the
     * paths its operations walk; that finer order is not reproduced.)
     */
    static String jsonPatched(JsonNode patched) {
        StringBuilder out = new StringBuilder();
        if (patched != null && patched.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            patched.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                first = comma(out, first);
                GoJson.string(out, field.getKey());
                out.append(':');
                GoJson.value(out, field.getValue());
            }
            out.append('}');
        } else {
            GoJson.value(out, patched);
        }
        return out.toString();
    }

    private static void mergedObject(StringBuilder out, JsonNode current, JsonNode patch) {
        // Each member: written as stored, merged, or as the patch brought it in.
        Map<String, Runnable> members = new TreeMap<>();
        current.properties().forEach(field -> members.put(field.getKey(), () -> GoJson.value(out, field.getValue())));
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            JsonNode patchValue = field.getValue();
            JsonNode currentValue = current.get(key);
            if (patchValue.isNull()) {
                members.remove(key);
            } else if (currentValue == null || currentValue.isNull() || !currentValue.isObject()) {
                members.put(key, () -> pruned(out, patchValue));
            } else if (patchValue.isObject()) {
                members.put(key, () -> mergedObject(out, currentValue, patchValue));
            } else {
                members.put(key, () -> GoJson.value(out, patchValue));
            }
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Runnable> member : members.entrySet()) {
            first = comma(out, first);
            GoJson.string(out, member.getKey());
            out.append(':');
            member.getValue().run();
        }
        out.append('}');
    }

    /** A value a merge patch brought in: objects sorted and without null members, at any depth. */
    private static void pruned(StringBuilder out, JsonNode value) {
        if (value != null && value.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
            value.properties().forEach(field -> {
                if (!field.getValue().isNull()) {
                    members.add(field);
                }
            });
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> member : members) {
                first = comma(out, first);
                GoJson.string(out, member.getKey());
                out.append(':');
                pruned(out, member.getValue());
            }
            out.append('}');
        } else if (value != null && value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                comma(out, i == 0);
                pruned(out, value.get(i));
            }
            out.append(']');
        } else {
            GoJson.value(out, value);
        }
    }

    private static boolean comma(StringBuilder out, boolean first) {
        if (!first) {
            out.append(',');
        }
        return false;
    }
}
