package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}), as the API server
 * applies it (apimachinery {@code strategicpatch.StrategicMergeMapPatch}).
 *
 * <p>It is a JSON merge patch (objects merge, {@code null} deletes, scalars replace) in which the type's
 * schema decides how lists merge: a field declared with {@code x-kubernetes-patch-strategy: merge} merges
 * element by element, by its {@code x-kubernetes-patch-merge-key} for lists of objects (containers by
 * {@code name}, ports by {@code containerPort}) or as a union for lists of scalars ({@code finalizers});
 * every other list is replaced. A field with strategy {@code replace} is replaced whole even when it is an
 * object. The patch may carry directives:
 * <ul>
 *   <li>{@code "$patch": "replace"} in an object: the object replaces the live one;
 *       {@code "$patch": "delete"}: the object is deleted (left empty);</li>
 *   <li>in an element of a merging list: {@code "$patch": "delete"} removes the live elements with that
 *       merge key, {@code "$patch": "replace"} makes the list's other elements replace the live list;</li>
 *   <li>{@code "$retainKeys": [names]}: the live object keeps only those fields (kubectl sends it for
 *       {@code retainKeys} fields such as a Deployment's {@code strategy});</li>
 *   <li>{@code "$setElementOrder/<list>": [...]}: the order of the merged list's elements;</li>
 *   <li>{@code "$deleteFromPrimitiveList/<list>": [...]}: values to remove from a merging list of scalars.</li>
 * </ul>
 * Directives never reach the result. Nulls and directives inside values the patch brings in are dropped,
 * as decoding the result into the typed object does on the real server. Errors are {@link PatchException}s
 * with the real server's codes and messages (see {@link MergeErrors}).
 *
 * <p>With {@link SchemaType#UNTYPED} as schema no list merges, which makes it a merge patch that also
 * understands the object directives. Fields the schema does not declare are treated as untyped, where the
 * real server would fail on them; such fields cannot reach it because its objects are typed.
 */
public final class StrategicMergePatch {

    static final String DIRECTIVE = "$patch";
    private static final String DELETE = "delete";
    private static final String REPLACE = "replace";
    private static final String MERGE = "merge";
    private static final String RETAIN_KEYS = "retainKeys";
    private static final String RETAIN_KEYS_DIRECTIVE = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";

    private StrategicMergePatch() {
    }

    /**
     * Applies {@code patch} to a copy of {@code target} following the type named {@code rootSchemaName} in
     * {@code schema} (e.g. {@code io.k8s.api.apps.v1.Deployment}); neither argument is changed.
     *
     * @throws IllegalArgumentException when the schema has no such type
     * @throws PatchException           when the real server would refuse the patch
     */
    public static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema schema, String rootSchemaName) {
        SchemaType type = schema.type(rootSchemaName);
        if (type == null) {
            throw new IllegalArgumentException("no schema " + rootSchemaName + " in the OpenAPI document");
        }
        return apply(target, patch, type);
    }

    /**
     * Applies {@code patch} to a copy of {@code target} following {@code type} (from
     * {@link PatchSchema#forGroupVersionKind}); neither argument is changed. A JSON {@code null} patch
     * changes nothing, as on the real server.
     *
     * @throws PatchException when the real server would refuse the patch
     */
    public static JsonNode apply(JsonNode target, JsonNode patch, SchemaType type) {
        if (patch != null && !patch.isObject() && !patch.isNull()) {
            throw PatchException.badRequest("json: cannot unmarshal " + JsonValues.jsonKind(patch)
                    + " into Go value of type map[string]interface {}");
        }
        ObjectNode original = target != null && target.isObject() ? target.deepCopy() : JsonValues.NODES.objectNode();
        if (JsonValues.isNull(patch)) {
            return original;
        }
        return mergeMap(original, patch.deepCopy(), type);
    }

    /** Merges {@code patch} into {@code original}, both changed in place; returns the merged object. */
    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, SchemaType schema) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            if (isDirective(directive, REPLACE)) {
                patch.remove(DIRECTIVE);
                return (ObjectNode) decoded(patch);
            }
            if (isDirective(directive, DELETE)) {
                return JsonValues.NODES.objectNode();
            }
            throw MergeErrors.badPatchType(directive, patch);
        }
        applyRetainKeys(original, patch);
        mergeOrderedLists(original, patch, schema);

        for (String name : JsonValues.fieldNames(patch)) {
            JsonNode patchValue = patch.get(name);
            String key = name;
            boolean deletionList = name.startsWith(DELETE_FROM_PRIMITIVE_LIST);
            if (deletionList) {
                key = directiveTarget(name, DELETE_FROM_PRIMITIVE_LIST);
            }
            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode originalValue = original.get(key);
            if (originalValue != null && originalValue.isObject() && patchValue.isObject()) {
                SchemaField field = schema.field(key);
                original.set(key, REPLACE.equals(otherStrategy(field))
                        ? decoded(patchValue)
                        : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, field.type()));
            } else if (originalValue != null && originalValue.isArray() && patchValue.isArray()) {
                SchemaField field = schema.field(key);
                original.set(key, JsonValues.arrayOf(mergeListField(originalValue, patchValue, field, deletionList).elements()));
            } else if (!deletionList) {
                JsonNode added = newValue(patchValue);
                if (added == null) {
                    original.remove(key);
                } else {
                    original.set(key, added);
                }
            }
        }
        return original;
    }

    /** {@code $retainKeys}: drops live fields the list lacks; every field the patch sets must be listed. */
    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retained = patch.remove(RETAIN_KEYS_DIRECTIVE);
        if (retained == null) {
            return;
        }
        if (!retained.isArray()) {
            throw MergeErrors.badPatchFormatForRetainKeys();
        }
        for (String name : JsonValues.fieldNames(patch)) {
            if (patch.get(name).isNull() || name.startsWith(DELETE_FROM_PRIMITIVE_LIST)
                    || name.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!contains(retained, name)) {
                throw MergeErrors.badPatchFormatForRetainKeys();
            }
        }
        for (String name : JsonValues.fieldNames(original)) {
            if (!contains(retained, name)) {
                original.remove(name);
            }
        }
    }

    private static boolean contains(JsonNode names, String name) {
        for (JsonNode candidate : names) {
            if (candidate.isTextual() && candidate.textValue().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code $setElementOrder/<list>}: merges the list the directive names (if the patch has it) and orders
     * the result: the listed items in the directive's order, the others where they were live. Both the
     * directive and the list leave the patch.
     */
    private static void mergeOrderedLists(ObjectNode original, ObjectNode patch, SchemaType schema) {
        for (String name : JsonValues.fieldNames(patch)) {
            if (!name.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = patch.remove(name);
            if (!order.isArray()) {
                throw MergeErrors.badArgType(MergeErrors.LIST_TYPE, order);
            }
            String key = directiveTarget(name, SET_ELEMENT_ORDER);
            JsonNode originalList = original.get(key);
            JsonNode patchList = patch.get(key);
            if (originalList != null && !originalList.isArray()) {
                throw MergeErrors.badArgType(MergeErrors.LIST_TYPE, originalList);
            }
            if (patchList != null && !patchList.isArray()) {
                throw MergeErrors.badArgType(MergeErrors.LIST_TYPE, patchList);
            }
            SchemaField field = schema.field(key);
            String mergeKey = mergeKeyOf(field);
            requireConsistentOrder(patchList, order, mergeKey);

            List<JsonNode> merged;
            List<JsonNode> originalElements = originalList == null ? List.of() : JsonValues.elements(originalList);
            if (originalList != null && patchList != null) {
                MergedList result = mergeListField(originalList, patchList, field, false);
                merged = result.elements();
                originalElements = result.liveView();
            } else if (originalList != null) {
                merged = JsonValues.elements(originalList);
            } else if (patchList != null) {
                merged = JsonValues.elements(newValue(patchList));
            } else {
                continue;
            }
            List<JsonNode> orderElements = JsonValues.elements(order);
            ListOrder.Partition partition = ListOrder.partition(merged, orderElements, mergeKey);
            String elementType = elementType(originalList == null ? List.of() : JsonValues.elements(originalList),
                    patchList == null ? List.of() : JsonValues.elements(patchList));
            List<JsonNode> ordered = ListOrder.normalize(partition.named(), partition.others(), orderElements,
                    originalElements, mergeKey, elementType.equals(MergeErrors.MAP_TYPE));
            original.set(key, JsonValues.arrayOf(ordered));
            patch.remove(key);
        }
    }

    /**
     * The patch list's items (deletions and other directive items aside) must appear in the
     * {@code $setElementOrder} list, in the same relative order.
     */
    private static void requireConsistentOrder(JsonNode patchList, JsonNode order, String mergeKey) {
        if (patchList == null || patchList.size() == 0 || order.size() == 0) {
            return;
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : patchList) {
            if (!mergeKey.isEmpty()) {
                if (!item.isObject()) {
                    throw MergeErrors.badArgType(MergeErrors.MAP_TYPE, item);
                }
                if (isDirective(item.get(DIRECTIVE), DELETE)) {
                    continue;
                }
            }
            items.add(item);
        }
        int itemIndex = 0;
        int orderIndex = 0;
        while (itemIndex < items.size() && orderIndex < order.size()) {
            JsonNode item = items.get(itemIndex);
            if (item.isObject() && item.has(DIRECTIVE)) {
                itemIndex++;
                continue;
            }
            if (mergeKeyValueEqual(item, order.get(orderIndex), mergeKey)) {
                itemIndex++;
            }
            orderIndex++;
        }
        if (itemIndex < items.size()) {
            throw PatchException.internal("The order in patch list:\n" + GoText.value(patchList)
                    + "\n doesn't match " + SET_ELEMENT_ORDER + " list:\n" + GoText.value(order) + "\n");
        }
    }

    private static boolean mergeKeyValueEqual(JsonNode left, JsonNode right, String mergeKey) {
        if (mergeKey.isEmpty()) {
            return JsonValues.same(left, right);
        }
        if (!left.isObject()) {
            throw MergeErrors.badArgType(MergeErrors.MAP_TYPE, left);
        }
        if (!right.isObject()) {
            throw MergeErrors.badArgType(MergeErrors.MAP_TYPE, right);
        }
        if (!left.has(mergeKey)) {
            throw MergeErrors.noMergeKey(left, mergeKey);
        }
        if (!right.has(mergeKey)) {
            throw MergeErrors.noMergeKey(right, mergeKey);
        }
        return JsonValues.same(left.get(mergeKey), right.get(mergeKey));
    }

    /**
     * A merged list, and the live list as the real server's caller sees it afterwards. In Go the merge
     * shares the live list's backing array: deleted items shift the survivors left and appended items
     * land in the freed slots. {@code $setElementOrder} then orders server-only items by that view, so
     * the view is kept to give the same order.
     */
    private record MergedList(List<JsonNode> elements, List<JsonNode> liveView) {
    }

    /** A list field: merged when its strategy is merge (or for a deletion list), replaced otherwise. */
    private static MergedList mergeListField(JsonNode originalList, JsonNode patchList, SchemaField field,
                                             boolean deletionList) {
        List<JsonNode> original = JsonValues.elements(originalList);
        if (deletionList || MERGE.equals(otherStrategy(field))) {
            SchemaType listType = field.type();
            // A list field whose schema is not an array (a Go pointer to a struct) has that schema per element.
            SchemaType elementSchema = listType.shape() == SchemaType.Shape.LIST ? listType.elementType() : listType;
            return mergeList(original, JsonValues.elements(patchList), elementSchema, mergeKeyOf(field), deletionList);
        }
        return new MergedList(JsonValues.elements(decoded(patchList)), original);
    }

    private static MergedList mergeList(List<JsonNode> original, List<JsonNode> patch, SchemaType elementSchema,
                                        String mergeKey, boolean deletionList) {
        if (original.isEmpty() && patch.isEmpty()) {
            return new MergedList(original, original);
        }
        boolean maps = elementType(original, patch).equals(MergeErrors.MAP_TYPE);
        if (!maps) {
            if (deletionList) {
                List<JsonNode> kept = new ArrayList<>(original);
                kept.removeIf(value -> patch.stream().anyMatch(deleted -> JsonValues.same(deleted, value)));
                return new MergedList(kept, original);
            }
            List<JsonNode> union = new ArrayList<>();
            for (JsonNode value : concat(original, patch)) {
                if (union.stream().noneMatch(kept -> JsonValues.same(kept, value))) {
                    union.add(value);
                }
            }
            return new MergedList(ordered(union, patch, original, "", false), original);
        }
        if (mergeKey.isEmpty()) {
            throw PatchException.internal("cannot merge lists without merge key for struct");
        }
        JsonNode[] view = original.toArray(new JsonNode[0]);
        int viewLength = view.length;
        List<JsonNode> plain = new ArrayList<>();
        boolean replace = false;
        for (JsonNode item : patch) {
            JsonNode directive = item.get(DIRECTIVE);
            if (directive == null) {
                plain.add(item);
            } else if (isDirective(directive, DELETE)) {
                if (!item.has(mergeKey)) {
                    throw MergeErrors.noMergeKey(item, mergeKey);
                }
                JsonNode deleted = item.get(mergeKey);
                for (int i = indexIn(view, viewLength, mergeKey, deleted); i >= 0;
                     i = indexIn(view, viewLength, mergeKey, deleted)) {
                    System.arraycopy(view, i + 1, view, i, viewLength - i - 1);
                    viewLength--;
                }
            } else if (isDirective(directive, REPLACE)) {
                replace = true;
            } else if (isDirective(directive, MERGE)) {
                throw PatchException.internal("merging lists cannot yet be specified in the patch");
            } else {
                throw MergeErrors.badPatchType(directive, item);
            }
        }
        if (replace) {
            // "$patch: replace" in a list: its other items are the new list.
            List<JsonNode> replacement = new ArrayList<>();
            plain.forEach(item -> replacement.add(decoded(item)));
            return new MergedList(ordered(replacement, List.of(), replacement, mergeKey, true), original);
        }
        List<JsonNode> live = new ArrayList<>(List.of(view).subList(0, viewLength));
        List<JsonNode> merged = mergeByKey(live, plain, elementSchema, mergeKey);
        for (int i = live.size(); i < merged.size() && viewLength < view.length; i++) {
            view[viewLength++] = merged.get(i);
        }
        return new MergedList(ordered(merged, plain, live, mergeKey, true), List.of(view));
    }

    private static int indexIn(JsonNode[] list, int length, String mergeKey, JsonNode value) {
        return indexByMergeKey(List.of(list).subList(0, length), mergeKey, value);
    }

    /** Orders a merged list: the patch's items in the patch's order, interleaved with the live-only ones. */
    private static List<JsonNode> ordered(List<JsonNode> merged, List<JsonNode> patch, List<JsonNode> live,
                                          String mergeKey, boolean maps) {
        ListOrder.Partition partition = ListOrder.partition(merged, patch, mergeKey);
        return ListOrder.normalize(partition.named(), partition.others(), patch, live, mergeKey, maps);
    }

    /** Merges each patch item into the live item with the same merge key value, or appends it. */
    private static List<JsonNode> mergeByKey(List<JsonNode> original, List<JsonNode> patch, SchemaType elementSchema,
                                             String mergeKey) {
        List<JsonNode> merged = new ArrayList<>(original);
        for (JsonNode item : patch) {
            if (!item.has(mergeKey)) {
                throw MergeErrors.noMergeKey(item, mergeKey);
            }
            int index = indexByMergeKey(merged, mergeKey, item.get(mergeKey));
            if (index >= 0) {
                merged.set(index, mergeMap((ObjectNode) merged.get(index), (ObjectNode) item, elementSchema));
            } else {
                merged.add(decoded(item));
            }
        }
        return merged;
    }

    /** Index of the first map in {@code list} whose merge key has that value; -1 if none. */
    static int indexByMergeKey(List<JsonNode> list, String mergeKey, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = list.get(i);
            if (!candidate.isObject()) {
                throw MergeErrors.notAMap(i);
            }
            if (candidate.has(mergeKey) && JsonValues.same(candidate.get(mergeKey), value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The Go type all elements of the lists share (lists of lists are refused); decides whether a list
     * merges as maps or as scalars.
     */
    private static String elementType(List<JsonNode> first, List<JsonNode> second) {
        String type = null;
        for (JsonNode element : concat(first, second)) {
            String current = GoText.typeName(element);
            if (type == null) {
                if (element.isArray()) {
                    throw MergeErrors.noListOfLists();
                }
                type = current;
            } else if (!type.equals(current)) {
                throw PatchException.internal("list element types are not identical: "
                        + GoText.values(List.of(JsonValues.arrayOf(first), JsonValues.arrayOf(second))));
            }
        }
        if (type == null) {
            throw PatchException.internal("no elements in any of the given slices");
        }
        return type;
    }

    private static List<JsonNode> concat(List<JsonNode> first, List<JsonNode> second) {
        List<JsonNode> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }

    /** The strategy besides {@code retainKeys} (which only kubectl acts on, by sending {@code $retainKeys}). */
    private static String otherStrategy(SchemaField field) {
        List<String> strategies = field.patchStrategies();
        if (strategies.isEmpty()) {
            return "";
        }
        if (strategies.size() == 1) {
            return RETAIN_KEYS.equals(strategies.get(0)) ? "" : strategies.get(0);
        }
        if (strategies.size() == 2 && RETAIN_KEYS.equals(strategies.get(0))) {
            return strategies.get(1);
        }
        if (strategies.size() == 2 && RETAIN_KEYS.equals(strategies.get(1))) {
            return strategies.get(0);
        }
        throw PatchException.internal("unexpected patch strategy: [" + String.join(" ", strategies) + "]");
    }

    private static String mergeKeyOf(SchemaField field) {
        return field.patchMergeKey() == null ? "" : field.patchMergeKey();
    }

    /** The list name after {@code $setElementOrder/} or {@code $deleteFromPrimitiveList/}. */
    private static String directiveTarget(String name, String prefix) {
        int slash = name.indexOf('/');
        if (slash < 0 || !name.substring(0, slash).equals(prefix)) {
            throw prefix.equals(SET_ELEMENT_ORDER)
                    ? MergeErrors.badPatchFormatForSetElementOrderList()
                    : MergeErrors.badPatchFormatForPrimitiveList();
        }
        return name.substring(slash + 1);
    }

    static boolean isDirective(JsonNode value, String directive) {
        return value != null && value.isTextual() && value.textValue().equals(directive);
    }

    /**
     * A value the patch brings where the live object had none (or had another type): without null fields,
     * and without objects marked with {@code $patch} (there is nothing to replace or delete). Null when the
     * value itself is such an object.
     */
    private static JsonNode newValue(JsonNode value) {
        return withoutDirectives(JsonValues.withoutNullFields(value));
    }

    private static JsonNode withoutDirectives(JsonNode value) {
        if (value instanceof ObjectNode object) {
            if (object.has(DIRECTIVE)) {
                return null;
            }
            for (String name : JsonValues.fieldNames(object)) {
                JsonNode kept = isDirectiveKey(name) ? null : withoutDirectives(object.get(name));
                if (kept == null) {
                    object.remove(name);
                } else {
                    object.set(name, kept);
                }
            }
        } else if (value instanceof ArrayNode array) {
            ArrayNode kept = JsonValues.NODES.arrayNode(array.size());
            for (JsonNode element : array) {
                JsonNode keptElement = withoutDirectives(element);
                if (keptElement != null) {
                    kept.add(keptElement);
                }
            }
            return kept;
        }
        return value;
    }

    /**
     * A patch value taken as is (replaced lists, {@code replace} strategy, appended list items): what the
     * real server keeps of it after decoding into the typed object, i.e. without null fields and without
     * directive keys.
     */
    private static JsonNode decoded(JsonNode value) {
        JsonValues.withoutNullFields(value);
        stripDirectiveKeys(value);
        return value;
    }

    private static void stripDirectiveKeys(JsonNode value) {
        if (value instanceof ObjectNode object) {
            for (String name : JsonValues.fieldNames(object)) {
                if (isDirectiveKey(name)) {
                    object.remove(name);
                } else {
                    stripDirectiveKeys(object.get(name));
                }
            }
        } else if (value instanceof ArrayNode array) {
            array.forEach(StrategicMergePatch::stripDirectiveKeys);
        }
    }

    private static boolean isDirectiveKey(String name) {
        return name.equals(DIRECTIVE) || name.equals(RETAIN_KEYS_DIRECTIVE)
                || name.startsWith(SET_ELEMENT_ORDER + "/") || name.startsWith(DELETE_FROM_PRIMITIVE_LIST + "/");
    }
}
