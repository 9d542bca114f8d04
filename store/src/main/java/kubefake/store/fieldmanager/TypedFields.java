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

    /**
     * Checks an applied configuration against its schema as structured-merge-diff's typed conversion does
     * ({@code .spec.foo: field not declared in schema}, duplicate list keys).
     *
     * @throws TypeRef.TypedValueException with every problem, one per line
     */
    static void validate(JsonNode value, TypeRef type) {
        List<String> errors = new ArrayList<>();
        check(value, type, new ArrayList<>(), errors);
        if (!errors.isEmpty()) throw new TypeRef.TypedValueException(String.join("\n", errors));
    }

    private static void check(JsonNode value, TypeRef type, List<PathElement> path, List<String> errors) {
        if (value == null || value.isNull()) return;
        switch (type.form(value)) {
            case LEAF -> {
            }
            case LIST -> {
                if (!value.isArray() || type.atomicList()) return;
                Set<PathElement> seen = new HashSet<>();
                for (JsonNode item : value) {
                    PathElement pe;
                    try {
                        pe = type.itemElement(item, path);
                    } catch (TypeRef.TypedValueException e) {
                        errors.add(e.getMessage());
                        continue;
                    }
                    if (!seen.add(pe)) {
                        errors.add(PathElement.display(path) + ": duplicate entries for key " + pe);
                        continue;
                    }
                    check(item, type.item(), append(path, pe), errors);
                }
            }
            case STRUCT, MAP -> {
                if (!value.isObject()) return;
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    List<PathElement> p = append(path, PathElement.field(e.getKey()));
                    if (type.closed() && !type.declares(e.getKey())) {
                        errors.add(PathElement.display(p) + ": field not declared in schema");
                        continue;
                    }
                    check(e.getValue(), type.field(e.getKey()), p, errors);
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
