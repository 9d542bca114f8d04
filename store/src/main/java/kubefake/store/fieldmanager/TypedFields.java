package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The set of fields an object sets under its schema (structured-merge-diff's {@code ToFieldSet}): what an applier
 * owns. Leaves, atomic lists and maps, list items, empty or null struct fields and map entries are members.
 */
final class TypedFields {
    private TypedFields() {
    }

    static FieldSet of(JsonNode value, TypeRef type) {
        FieldSet set = new FieldSet();
        walk(value, type, new ArrayList<>(), set);
        return set;
    }

    private static void walk(JsonNode value, TypeRef type, List<PathElement> path, FieldSet set) {
        switch (type.form(value)) {
            case LEAF -> set.insert(path);
            case LIST -> {
                if (type.atomicList()) {
                    set.insert(path);
                    return;
                }
                if (value == null || !value.isArray()) return;
                Set<PathElement> seen = new HashSet<>();
                Set<PathElement> duplicates = new HashSet<>();
                List<PathElement> elements = new ArrayList<>();
                for (JsonNode item : value) {
                    PathElement pe = type.itemElement(item, path);
                    elements.add(pe);
                    if (!seen.add(pe) && duplicates.add(pe)) set.insert(append(path, pe));
                }
                for (int i = 0; i < value.size(); i++) {
                    PathElement pe = elements.get(i);
                    if (duplicates.contains(pe)) continue;
                    List<PathElement> p = append(path, pe);
                    walk(value.get(i), type.item(), p, set);
                    set.insert(p);
                }
            }
            case STRUCT, MAP -> {
                if (type.atomic()) {
                    set.insert(path);
                    return;
                }
                if (value == null || !value.isObject()) return;
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    List<PathElement> p = append(path, PathElement.field(e.getKey()));
                    JsonNode v = e.getValue();
                    walk(v, type.field(e.getKey()), p, set);
                    if (v.isNull() || v.isObject() && v.isEmpty() || !type.declares(e.getKey())) set.insert(p);
                }
            }
        }
    }

    static List<PathElement> append(List<PathElement> path, PathElement pe) {
        List<PathElement> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(pe);
        return p;
    }
}
