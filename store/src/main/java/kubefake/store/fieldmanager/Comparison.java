package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two versions of an object under its schema (structured-merge-diff's {@code Compare}): the
 * fields added, modified and removed. A map, struct or list item that appears or disappears counts itself besides
 * its fields; atomic values and empty containers count as leaves.
 */
public record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {

    static Comparison of(JsonNode lhs, JsonNode rhs, TypeRef type) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        c.compare(lhs, rhs, type, new ArrayList<>());
        return c;
    }

    public boolean isSame() {
        return added.isEmpty() && modified.isEmpty() && removed.isEmpty();
    }

    /** This comparison without the paths at or below those of {@code ignored} (reset fields). */
    Comparison excluding(FieldSet ignored) {
        if (ignored == null || ignored.isEmpty()) return this;
        return new Comparison(added.recursiveDifference(ignored), modified.recursiveDifference(ignored),
                removed.recursiveDifference(ignored));
    }

    private void compare(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path) {
        TypeRef.Form lf = lhs == null ? null : type.form(lhs);
        TypeRef.Form rf = rhs == null ? null : type.form(rhs);
        TypeRef.Form form = rf != null ? rf : lf;
        boolean inLeaf;
        if (lf != null && rf != null && lf != rf || form == TypeRef.Form.LEAF) {
            inLeaf = leaf(lhs, rhs, path);
        } else if (form == TypeRef.Form.LIST) {
            inLeaf = list(lhs, rhs, type, path);
        } else {
            inLeaf = map(lhs, rhs, type, path);
        }
        if (!inLeaf) {
            if (lhs == null) added.insert(path);
            else if (rhs == null) removed.insert(path);
        }
    }

    /** @return true: the value was a leaf (its own path recorded, nothing more to say about it) */
    private boolean leaf(JsonNode lhs, JsonNode rhs, List<PathElement> path) {
        if (lhs == null) added.insert(path);
        else if (rhs == null) removed.insert(path);
        else if (!Values.equal(lhs, rhs)) modified.insert(path);
        return true;
    }

    private boolean map(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path) {
        boolean lEmpty = lhs == null || !lhs.isObject() || lhs.isEmpty();
        boolean rEmpty = rhs == null || !rhs.isObject() || rhs.isEmpty();
        if (type.atomic() || lEmpty && rEmpty) return leaf(lhs, rhs, path);
        Set<String> keys = new LinkedHashSet<>();
        if (lhs != null && lhs.isObject()) lhs.fieldNames().forEachRemaining(keys::add);
        if (rhs != null && rhs.isObject()) rhs.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode l = lhs == null ? null : lhs.get(k);
            JsonNode r = rhs == null ? null : rhs.get(k);
            compare(l, r, type.field(k), TypedFields.append(path, PathElement.field(k)));
        }
        return false;
    }

    private boolean list(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path) {
        boolean lEmpty = lhs == null || !lhs.isArray() || lhs.isEmpty();
        boolean rEmpty = rhs == null || !rhs.isArray() || rhs.isEmpty();
        if (type.atomicList() || lEmpty && rEmpty) return leaf(lhs, rhs, path);
        Map<PathElement, List<JsonNode>> lItems = index(lhs, type, path);
        Map<PathElement, List<JsonNode>> rItems = index(rhs, type, path);
        Set<PathElement> all = new LinkedHashSet<>(lItems.keySet());
        all.addAll(rItems.keySet());
        for (PathElement pe : all) {
            List<JsonNode> l = lItems.getOrDefault(pe, List.of());
            List<JsonNode> r = rItems.getOrDefault(pe, List.of());
            List<PathElement> p = TypedFields.append(path, pe);
            if (l.size() <= 1 && r.size() <= 1) {
                compare(l.isEmpty() ? null : l.get(0), r.isEmpty() ? null : r.get(0), type.item(), p);
            } else if (l.size() >= 2 && r.size() >= 2) {
                boolean same = l.size() == r.size();
                for (int i = 0; same && i < l.size(); i++) same = Values.equal(l.get(i), r.get(i));
                if (!same) modified.insert(p);
            } else if (l.size() >= 2) {
                if (!r.isEmpty()) compare(null, r.get(0), type.item(), p);
                removed.insert(p);
            } else {
                if (!l.isEmpty()) compare(l.get(0), null, type.item(), p);
                added.insert(p);
            }
        }
        return false;
    }

    /** The items of an associative list by path element, duplicates kept in order. */
    static Map<PathElement, List<JsonNode>> index(JsonNode list, TypeRef type, List<PathElement> path) {
        Map<PathElement, List<JsonNode>> items = new java.util.TreeMap<>();
        Map<PathElement, List<JsonNode>> ordered = new LinkedHashMap<>();
        if (list == null || !list.isArray()) return ordered;
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode item = it.next();
            PathElement pe = type.itemElement(item, path);
            List<JsonNode> same = items.computeIfAbsent(pe, k -> new ArrayList<>());
            if (same.isEmpty()) ordered.put(pe, same);
            same.add(item);
        }
        return ordered;
    }
}
