package kubefake.store.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One create's request and the object it stored, from which the stored object of a request alike is derived without
 * the create path: a request with the same fields, arrays and non-string values, whose strings differ, is stored as the
 * template's stored object with those strings put where the template's were. Used for many objects of one generator
 * (the nodes the kubelets register, their CSINodes), whose defaults, Go round trip and managedFields are the same but
 * for the values that differ. Derives nothing it cannot check: it declines ({@code null}) when a differing value is
 * not stored where the request had it, or is found in the stored object elsewhere (copied, or derived from), or when a
 * managedFields key that names it (a set's value, a map list's key) is not alone of its kind among its siblings (their
 * order depends on the values).
 */
final class CreateTemplate {
    private final ObjectNode request;
    /** The template's stored object, without resourceVersion; only read. */
    private final ObjectNode stored;

    /**
     * @param request the template's request as it was before its create (not changed afterwards)
     * @param stored  the object its create stored, without resourceVersion
     */
    CreateTemplate(ObjectNode request, ObjectNode stored) {
        this.request = request;
        this.stored = stored;
    }

    /** A string that differs: where the request has it, the template's value and the request's. */
    private record Difference(List<Object> path, String was, String is) {
    }

    /**
     * The stored object of {@code other} (a fresh tree, without resourceVersion, with the template's uid and times:
     * the caller renews them), or null when {@code other} is not alike or the derivation cannot be checked.
     */
    ObjectNode derive(ObjectNode other) {
        List<Difference> differences = new ArrayList<>();
        if (!alike(request, other, new ArrayList<>(), differences)) return null;
        Map<String, String> renamed = new HashMap<>();
        for (Difference d : differences) {
            String before = renamed.putIfAbsent(d.was, d.is);
            if (before != null && !before.equals(d.is)) return null; // one template value, two new ones: which goes where?
        }
        ObjectNode derived = stored.deepCopy();
        for (Difference d : differences) {
            JsonNode parent = at(derived, d.path.subList(0, d.path.size() - 1));
            Object last = d.path.get(d.path.size() - 1);
            JsonNode value = parent == null ? null : last instanceof String f ? parent.get(f) : parent.get((Integer) last);
            if (value == null || !value.isTextual() || !value.textValue().equals(d.was)) return null;
            if (parent instanceof ObjectNode o) o.set((String) last, TextNode.valueOf(d.is));
            else ((ArrayNode) parent).set((Integer) last, TextNode.valueOf(d.is));
        }
        if (differences.isEmpty()) return derived;
        JsonNode managedFields = Json.metadata(derived).get("managedFields");
        if (managedFields != null) {
            for (JsonNode entry : managedFields) {
                if (entry.get("fieldsV1") instanceof ObjectNode fields && !renameKeys(fields, renamed)) return null;
            }
        }
        // what the create path copied or derived from a differing value would still hold the template's
        return holdsAny(derived, renamed, differences) ? null : derived;
    }

    /** Same fields in the same order, arrays of the same length, equal values but strings; collects the strings that differ. */
    private static boolean alike(JsonNode a, JsonNode b, List<Object> path, List<Difference> differences) {
        if (a.getNodeType() != b.getNodeType()) return false;
        if (a.isObject()) {
            if (a.size() != b.size()) return false;
            Iterator<String> names = a.fieldNames(), otherNames = b.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals(otherNames.next())) return false;
                path.add(name);
                boolean same = alike(a.get(name), b.get(name), path, differences);
                path.remove(path.size() - 1);
                if (!same) return false;
            }
            return true;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) {
                path.add(i);
                boolean same = alike(a.get(i), b.get(i), path, differences);
                path.remove(path.size() - 1);
                if (!same) return false;
            }
            return true;
        }
        if (a.isTextual()) {
            if (!a.textValue().equals(b.textValue())) differences.add(new Difference(List.copyOf(path), a.textValue(), b.textValue()));
            return true;
        }
        return a.equals(b);
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode n = root;
        for (Object p : path) {
            if (n == null) return null;
            n = p instanceof String f ? (n.isObject() ? n.get(f) : null) : (n.isArray() ? n.get((Integer) p) : null);
        }
        return n;
    }

    /**
     * Renames the managedFields keys that name a differing value ({@code v:"10.244.1.0/24"} of a set,
     * {@code k:{"uid":"..."}} of a map list); false when one is not alone of its kind among its siblings, or does not
     * read back as written.
     */
    private static boolean renameKeys(ObjectNode fields, Map<String, String> renamed) {
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode child = fields.get(name);
            if (child instanceof ObjectNode o && !renameKeys(o, renamed)) return false;
            if (!name.startsWith("v:") && !name.startsWith("k:")) continue;
            String renamedKey = renamedKey(name, renamed);
            if (renamedKey == null) return false;
            if (renamedKey.equals(name)) continue;
            String kind = name.substring(0, 2);
            if (names.stream().filter(n -> n.startsWith(kind)).count() > 1) return false;
            // same place among the siblings: its kind's only one, and prefixes sort before the values
            ObjectNode copy = fields.deepCopy();
            fields.removeAll();
            copy.fields().forEachRemaining(e -> fields.set(e.getKey().equals(name) ? renamedKey : e.getKey(), e.getValue()));
        }
        return true;
    }

    /** The key with its differing values renamed, itself when none differs, or null when it cannot be read back as written. */
    private static String renamedKey(String key, Map<String, String> renamed) {
        try {
            JsonNode value = Json.MAPPER.readTree(key.substring(2));
            if (!Json.MAPPER.writeValueAsString(value).equals(key.substring(2))) return null;
            JsonNode renamedValue = value.deepCopy();
            if (renamedValue.isTextual()) {
                String to = renamed.get(renamedValue.textValue());
                if (to != null) renamedValue = TextNode.valueOf(to);
            } else if (renamedValue instanceof ObjectNode o) {
                o.fields().forEachRemaining(e -> {
                    String to = e.getValue().isTextual() ? renamed.get(e.getValue().textValue()) : null;
                    if (to != null) e.setValue(TextNode.valueOf(to));
                });
            }
            if (renamedValue.equals(value)) return key;
            String written = Json.MAPPER.writeValueAsString(renamedValue);
            // Go's encoder escapes what Jackson's does not
            return written.chars().anyMatch(c -> c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&') ? null
                    : key.substring(0, 2) + written;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Whether a string or key of the derived object still holds a template value it should have renamed. */
    private static boolean holdsAny(ObjectNode derived, Map<String, String> renamed, List<Difference> differences) {
        java.util.Set<List<Object>> replaced = new java.util.HashSet<>();
        for (Difference d : differences) replaced.add(d.path);
        return holds(derived, new ArrayList<>(), renamed, replaced);
    }

    private static boolean holds(JsonNode node, List<Object> path, Map<String, String> renamed, java.util.Set<List<Object>> replaced) {
        if (node.isTextual()) return !replaced.contains(path) && containsAny(node.textValue(), renamed);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (containsAny(e.getKey(), renamed)) return true;
                path.add(e.getKey());
                boolean holds = holds(e.getValue(), path, renamed, replaced);
                path.remove(path.size() - 1);
                if (holds) return true;
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                path.add(i);
                boolean holds = holds(node.get(i), path, renamed, replaced);
                path.remove(path.size() - 1);
                if (holds) return true;
            }
        }
        return false;
    }

    /** Whether {@code s} holds a template value that differs: equal to it, or containing it when it is long enough to tell. */
    private static boolean containsAny(String s, Map<String, String> renamed) {
        for (String was : renamed.keySet()) {
            if (s.equals(was) || (was.length() >= 8 && s.contains(was))) return true;
        }
        return false;
    }
}
