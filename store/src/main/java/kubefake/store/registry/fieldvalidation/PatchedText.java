package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The patched object as the real server's JSON and merge patch code (evanphx/json-patch v4) writes it out
 * before decoding it strictly. That text matters twice: its key order is the order unknown fields are
 * reported in, and a 422 for a strict patch quotes it whole.
 *
 * <p>v4 keeps every JSON value it does not need to look into as the original bytes (so in the order they
 * were stored), and writes the objects it opened as Go maps, that is with sorted keys: the top level always,
 * the objects a merge patch merged into, the values a merge patch brought in (from which it removed null
 * members), and the objects a JSON patch operation walked through.
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
     * A JSON patched object as jsonpatch v4's {@code Patch.Apply} writes it: the top level and every object
     * on the way to an operation's {@code path} or {@code from} sorted, the rest as stored or as the patch
     * wrote it. (The way is taken in the patched object; an operation that moved list elements before a later
     * one ran may have opened other objects on the real server.)
     */
    static String jsonPatched(JsonNode patched, JsonNode operations) {
        Set<String> opened = new HashSet<>();
        opened.add("");
        if (operations != null && operations.isArray()) {
            for (JsonNode operation : operations) {
                openWay(opened, operation.path("path").asText(""));
                openWay(opened, operation.path("from").asText(""));
            }
        }
        StringBuilder out = new StringBuilder();
        withOpened(out, patched, "", opened);
        return out.toString();
    }

    /** Adds the pointers of the containers above the target of {@code pointer} ({@code /a/b/c}: "", /a, /a/b). */
    private static void openWay(Set<String> opened, String pointer) {
        for (int slash = pointer.indexOf('/', 1); slash > 0; slash = pointer.indexOf('/', slash + 1)) {
            opened.add(pointer.substring(0, slash));
        }
    }

    private static void withOpened(StringBuilder out, JsonNode value, String pointer, Set<String> opened) {
        if (value == null || !value.isContainerNode() || !opened.contains(pointer)) {
            GoJson.value(out, value);
        } else if (value.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            value.properties().forEach(field -> sorted.put(field.getKey(), field.getValue()));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
                first = comma(out, first);
                GoJson.string(out, field.getKey());
                out.append(':');
                String escaped = field.getKey().replace("~", "~0").replace("/", "~1");
                withOpened(out, field.getValue(), pointer + "/" + escaped, opened);
            }
            out.append('}');
        } else {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                comma(out, i == 0);
                withOpened(out, value.get(i), pointer + "/" + i, opened);
            }
            out.append(']');
        }
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
