package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The value operations of server-side apply, by schema: merging an applied configuration into the live object
 * (the configuration wins on leaves and atomic values; maps, structs and associative lists merge member by member,
 * list items keeping the order structured-merge-diff gives them), and removing a set of fields from a value.
 */
final class ApplyMerge {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ApplyMerge() {
    }

    static JsonNode merge(JsonNode lhs, JsonNode rhs, TypeRef type, List<PathElement> path) {
        if (rhs == null) return lhs == null ? null : lhs.deepCopy();
        if (lhs == null) return rhs.deepCopy();
        TypeRef.Form lf = type.form(lhs), rf = type.form(rhs);
        if (lf != rf || rf == TypeRef.Form.LEAF) return rhs.deepCopy();
        if (rf == TypeRef.Form.LIST) {
            boolean bothEmpty = (!lhs.isArray() || lhs.isEmpty()) && (!rhs.isArray() || rhs.isEmpty());
            if (type.atomicList() || bothEmpty || !lhs.isArray() || !rhs.isArray()) return rhs.deepCopy();
            return mergeList((ArrayNode) lhs, (ArrayNode) rhs, type, path);
        }
        boolean bothEmpty = (!lhs.isObject() || lhs.isEmpty()) && (!rhs.isObject() || rhs.isEmpty());
        if (type.atomic() || bothEmpty || !lhs.isObject() || !rhs.isObject()) return rhs.deepCopy();
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = lhs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode merged = merge(e.getValue(), rhs.get(e.getKey()), type.field(e.getKey()),
                    TypedFields.append(path, PathElement.field(e.getKey())));
            out.set(e.getKey(), merged);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rhs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!out.has(e.getKey())) out.set(e.getKey(), e.getValue().deepCopy());
        }
        return out;
    }

    /** Items of both sides merged; the order follows structured-merge-diff's (shared items in the config's order). */
    private static JsonNode mergeList(ArrayNode lhs, ArrayNode rhs, TypeRef type, List<PathElement> path) {
        List<PathElement> rPEs = elements(rhs, type, path, false);
        List<PathElement> lPEs = elements(lhs, type, path, true);
        Map<PathElement, List<JsonNode>> lItems = Comparison.index(lhs, type, path);
        Map<PathElement, List<JsonNode>> rItems = Comparison.index(rhs, type, path);
        List<PathElement> shared = new ArrayList<>();
        for (PathElement pe : rPEs) if (lItems.containsKey(pe)) shared.add(pe);
        int sharedAt = 0;
        PathElement nextShared = shared.isEmpty() ? null : shared.get(sharedAt++);
        Set<PathElement> mergedRhs = new HashSet<>();
        ArrayNode out = NODES.arrayNode();
        TypeRef item = type.item();
        int li = 0, ri = 0;
        while (li < lPEs.size() || ri < rPEs.size()) {
            if (li < lPEs.size() && ri < rPEs.size()) {
                PathElement pe = lPEs.get(li);
                if (pe.equals(rPEs.get(ri))) {
                    mergedRhs.add(pe);
                    add(out, merge(single(lItems.get(pe)), single(rItems.get(pe)), item, TypedFields.append(path, pe)));
                    li++;
                    ri++;
                    nextShared = sharedAt < shared.size() ? shared.get(sharedAt++) : null;
                    continue;
                }
                if (rItems.containsKey(pe) && nextShared != null && !nextShared.equals(pe)) {
                    li++;
                    continue;
                }
            }
            if (li < lPEs.size()) {
                PathElement pe = lPEs.get(li);
                if (!rItems.containsKey(pe)) {
                    add(out, lhs.get(li).deepCopy());
                    li++;
                    continue;
                } else if (mergedRhs.contains(pe)) {
                    li++;
                }
            }
            if (ri < rPEs.size()) {
                PathElement pe = rPEs.get(ri);
                mergedRhs.add(pe);
                add(out, merge(single(lItems.get(pe)), single(rItems.get(pe)), item, TypedFields.append(path, pe)));
                ri++;
                if (nextShared != null && nextShared.equals(pe)) {
                    nextShared = sharedAt < shared.size() ? shared.get(sharedAt++) : null;
                }
            }
        }
        return out.isEmpty() ? NullNode.getInstance() : out;
    }

    private static void add(ArrayNode out, JsonNode item) {
        if (item != null) out.add(item);
    }

    /** The one item with that element; null when absent, or a JSON null when duplicated (as merge sees them). */
    private static JsonNode single(List<JsonNode> items) {
        if (items == null) return null;
        return items.size() == 1 ? items.get(0) : NullNode.getInstance();
    }

    private static List<PathElement> elements(ArrayNode list, TypeRef type, List<PathElement> path, boolean allowDuplicates) {
        List<PathElement> pes = new ArrayList<>();
        Set<PathElement> seen = new HashSet<>();
        for (JsonNode item : list) {
            PathElement pe = type.itemElement(item, path);
            if (!seen.add(pe) && !allowDuplicates) {
                throw TypeRef.invalid(path, "duplicate entries for key " + pe);
            }
            pes.add(pe);
        }
        return pes;
    }

    /** {@code value} without the fields of {@code remove}; a container left empty becomes null. */
    static JsonNode remove(JsonNode value, FieldSet remove, TypeRef type) {
        if (value == null || remove.isEmpty()) return value;
        TypeRef.Form form = type.form(value);
        if (form == TypeRef.Form.LIST) {
            if (!value.isArray() || value.isEmpty() || type.atomicList()) return value;
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : value) {
                PathElement pe = type.itemElement(item, List.of());
                if (remove.members().contains(pe)) continue;
                FieldSet below = remove.children().get(pe);
                out.add(below == null ? item : remove(item, below, type.item()));
            }
            return out.isEmpty() ? NullNode.getInstance() : out;
        }
        if (form == TypeRef.Form.LEAF || !value.isObject() || value.isEmpty() || type.atomic()) return value;
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            PathElement pe = PathElement.field(e.getKey());
            if (remove.members().contains(pe)) continue;
            FieldSet below = remove.children().get(pe);
            out.set(e.getKey(), below == null ? e.getValue() : remove(e.getValue(), below, type.field(e.getKey())));
        }
        return out.isEmpty() ? NullNode.getInstance() : out;
    }

    /**
     * The set with every struct field that has owned fields below it made a member too (structured-merge-diff's
     * {@code EnsureNamedFieldsAreMembers}), so that removing the set removes emptied structs.
     */
    static FieldSet ensureNamedFieldsAreMembers(FieldSet set, TypeRef type) {
        FieldSet out = new FieldSet();
        ensure(set, type, out, new ArrayList<>());
        return out;
    }

    private static void ensure(FieldSet set, TypeRef type, FieldSet out, List<PathElement> path) {
        for (PathElement m : set.members()) out.insert(TypedFields.append(path, m));
        for (Map.Entry<PathElement, FieldSet> e : set.children().entrySet()) {
            PathElement pe = e.getKey();
            List<PathElement> p = TypedFields.append(path, pe);
            TypeRef child;
            if (pe.kind() == PathElement.Kind.FIELD) {
                child = type.field(pe.fieldName());
                if (type.declares(pe.fieldName())) out.insert(p);
            } else {
                child = type.item();
            }
            ensure(e.getValue(), child, out, p);
        }
    }
}
