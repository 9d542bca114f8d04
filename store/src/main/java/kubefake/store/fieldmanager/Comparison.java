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
        return of(lhs, rhs, type, null);
    }

    /**
     * As {@code of(lhs, rhs, type).excluding(ignored)}, without walking or recording what is ignored (a write's reset
     * fields: a pod's whole status on every create and update of the main resource).
     */
    static Comparison of(JsonNode lhs, JsonNode rhs, TypeRef type, FieldSet ignored) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        c.compare(lhs, rhs, type, new ArrayList<>(), ignored == null || ignored.isEmpty() ? null : ignored);
        return c;
    }

    /**
     * What {@code of(lhs, rhs, type, ignored)} finds added or modified, in one set: for a write whose managedFields
     * hold no entry the removed fields could be taken from (a create), without the union of two sets.
     */
    static FieldSet changed(JsonNode lhs, JsonNode rhs, TypeRef type, FieldSet ignored) {
        FieldSet changed = new FieldSet();
        Comparison c = new Comparison(changed, changed, new FieldSet());
        c.compare(lhs, rhs, type, new ArrayList<>(), ignored == null || ignored.isEmpty() ? null : ignored);
        return changed;
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

    /**
     * @param path    where lhs and rhs are: one list, extended and shortened as the walk goes (sets copy what they keep)
     * @param ignored the ignored paths below {@code path}, or null when nothing below is ignored
     */
    private void compare(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path, FieldSet ignored) {
        TypeRef.Form lf = lhs == null ? null : type.form(lhs);
        TypeRef.Form rf = rhs == null ? null : type.form(rhs);
        TypeRef.Form form = rf != null ? rf : lf;
        boolean inLeaf;
        if (lf != null && rf != null && lf != rf || form == TypeRef.Form.LEAF) {
            inLeaf = leaf(lhs, rhs, path);
        } else if (form == TypeRef.Form.LIST) {
            inLeaf = list(lhs, rhs, type, path, ignored);
        } else {
            inLeaf = map(lhs, rhs, type, path, ignored);
        }
        if (!inLeaf) {
            if (lhs == null) added.insert(path);
            else if (rhs == null) removed.insert(path);
        }
    }

    /** Compares the values under one more path element, unless that element is ignored. */
    private void compareBelow(PathElement pe, JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path,
                              FieldSet ignored) {
        FieldSet ignoredBelow = null;
        if (ignored != null) {
            if (ignored.members().contains(pe)) return;
            ignoredBelow = ignored.children().get(pe);
        }
        // an object's top fields (metadata, spec, status) and theirs are often equal as a whole (a status write leaves
        // the spec, a spec write the status): equal values hold no change, found without a walk that records paths
        if (path.size() < SKIP_EQUAL_DEPTH && lhs != null && lhs.isContainerNode() && lhs.equals(rhs)) return;
        path.add(pe);
        compare(lhs, rhs, type, path, ignoredBelow);
        path.remove(path.size() - 1);
    }

    /** How deep {@link #compareBelow} first checks whether two containers are equal as a whole. */
    private static final int SKIP_EQUAL_DEPTH = 2;

    /** @return true: the value was a leaf (its own path recorded, nothing more to say about it) */
    private boolean leaf(JsonNode lhs, JsonNode rhs, List<PathElement> path) {
        if (lhs == null) added.insert(path);
        else if (rhs == null) removed.insert(path);
        else if (!Values.equal(lhs, rhs)) modified.insert(path);
        return true;
    }

    private boolean map(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path, FieldSet ignored) {
        boolean lEmpty = lhs == null || !lhs.isObject() || lhs.isEmpty();
        boolean rEmpty = rhs == null || !rhs.isObject() || rhs.isEmpty();
        if (type.atomic() || lEmpty && rEmpty) return leaf(lhs, rhs, path);
        // the keys of lhs in its order, then those only rhs has, in its order
        if (!lEmpty) {
            for (Iterator<Map.Entry<String, JsonNode>> it = lhs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                compareBelow(PathElement.field(k), e.getValue(), rEmpty ? null : rhs.get(k), type.field(k), path, ignored);
            }
        }
        if (!rEmpty) {
            for (Iterator<Map.Entry<String, JsonNode>> it = rhs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (!lEmpty && lhs.has(k)) continue;
                compareBelow(PathElement.field(k), null, e.getValue(), type.field(k), path, ignored);
            }
        }
        return false;
    }

    private boolean list(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path, FieldSet ignored) {
        boolean lEmpty = lhs == null || !lhs.isArray() || lhs.isEmpty();
        boolean rEmpty = rhs == null || !rhs.isArray() || rhs.isEmpty();
        if (type.atomicList() || lEmpty && rEmpty) return leaf(lhs, rhs, path);
        Map<PathElement, List<JsonNode>> lItems = index(lhs, type, path);
        Map<PathElement, List<JsonNode>> rItems = index(rhs, type, path);
        Set<PathElement> all = new LinkedHashSet<>(lItems.keySet());
        all.addAll(rItems.keySet());
        for (PathElement pe : all) {
            if (ignored != null && ignored.members().contains(pe)) continue;
            List<JsonNode> l = lItems.getOrDefault(pe, List.of());
            List<JsonNode> r = rItems.getOrDefault(pe, List.of());
            if (l.size() <= 1 && r.size() <= 1) {
                compareBelow(pe, l.isEmpty() ? null : l.get(0), r.isEmpty() ? null : r.get(0), type.item(), path, ignored);
                continue;
            }
            FieldSet ignoredBelow = ignored == null ? null : ignored.children().get(pe);
            path.add(pe);
            if (l.size() >= 2 && r.size() >= 2) {
                boolean same = l.size() == r.size();
                for (int i = 0; same && i < l.size(); i++) same = Values.equal(l.get(i), r.get(i));
                if (!same) modified.insert(path);
            } else if (l.size() >= 2) {
                if (!r.isEmpty()) compare(null, r.get(0), type.item(), path, ignoredBelow);
                removed.insert(path);
            } else {
                if (!l.isEmpty()) compare(l.get(0), null, type.item(), path, ignoredBelow);
                added.insert(path);
            }
            path.remove(path.size() - 1);
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
