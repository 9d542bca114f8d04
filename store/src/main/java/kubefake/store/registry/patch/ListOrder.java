package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The element order of a merged list in strategic merge patch. The items the patch names keep the
 * patch's order (or the {@code $setElementOrder} list's); the items only the server had keep their live
 * order; and the two are interleaved by their live positions where both sides were live.
 */
final class ListOrder {

    /** Elements of a merged list split by whether a reference list names them. */
    record Partition(List<JsonNode> named, List<JsonNode> others) {
    }

    private ListOrder() {
    }

    /**
     * Splits {@code merged} by presence in {@code by}: by merge key value for lists of maps (mergeKey
     * non-empty), by value for lists of scalars.
     */
    static Partition partition(List<JsonNode> merged, List<JsonNode> by, String mergeKey) {
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        for (JsonNode element : merged) {
            boolean present;
            if (mergeKey.isEmpty()) {
                present = by.stream().anyMatch(candidate -> JsonValues.same(candidate, element));
            } else {
                if (!element.isObject()) {
                    throw MergeErrors.badArgType(MergeErrors.MAP_TYPE, element);
                }
                if (!element.has(mergeKey)) {
                    throw MergeErrors.noMergeKey(element, mergeKey);
                }
                present = StrategicMergePatch.indexByMergeKey(by, mergeKey, element.get(mergeKey)) >= 0;
            }
            (present ? named : others).add(element);
        }
        return new Partition(named, others);
    }

    /**
     * Sorts the patch's items by {@code patchOrder} and the server-only items by {@code serverOrder}, then
     * merges the two: a server-only item goes before a patch item when both were live and it came first.
     */
    static List<JsonNode> normalize(List<JsonNode> patchItems, List<JsonNode> serverOnly, List<JsonNode> patchOrder,
                                    List<JsonNode> serverOrder, String mergeKey, boolean maps) {
        List<JsonNode> patchSorted = sortBy(patchItems, patchOrder, mergeKey, maps);
        List<JsonNode> serverSorted = sortBy(serverOnly, serverOrder, mergeKey, maps);
        List<JsonNode> result = new ArrayList<>(patchSorted.size() + serverSorted.size());
        int left = 0;
        int right = 0;
        while (left < serverSorted.size() || right < patchSorted.size()) {
            if (right >= patchSorted.size()) {
                result.add(serverSorted.get(left++));
            } else if (left >= serverSorted.size()) {
                result.add(patchSorted.get(right++));
            } else {
                int serverIndex = index(serverOrder, serverSorted.get(left), mergeKey, maps);
                int patchIndex = index(serverOrder, patchSorted.get(right), mergeKey, maps);
                if (serverIndex >= 0 && patchIndex >= 0 && serverIndex < patchIndex) {
                    result.add(serverSorted.get(left++));
                } else {
                    result.add(patchSorted.get(right++));
                }
            }
        }
        return result;
    }

    /**
     * A stable sort by position in {@code order}; items {@code order} lacks go last, in their own order.
     * For maps every item and every order entry must carry the merge key, and items marked
     * {@code $patch: delete} go to the very end.
     */
    private static List<JsonNode> sortBy(List<JsonNode> items, List<JsonNode> order, String mergeKey, boolean maps) {
        List<JsonNode> toSort = new ArrayList<>(items.size());
        List<JsonNode> deletions = new ArrayList<>();
        if (maps) {
            requireMergeKey(items, mergeKey);
            requireMergeKey(order, mergeKey);
            for (JsonNode item : items) {
                (StrategicMergePatch.isDirective(item.get(StrategicMergePatch.DIRECTIVE), "delete")
                        ? deletions : toSort).add(item);
            }
        } else {
            toSort.addAll(items);
        }
        toSort.sort(Comparator.comparingInt(item -> {
            int position = index(order, item, mergeKey, maps);
            return position >= 0 ? position : Integer.MAX_VALUE;
        }));
        toSort.addAll(deletions);
        return toSort;
    }

    private static void requireMergeKey(List<JsonNode> list, String mergeKey) {
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw MergeErrors.badArgType(MergeErrors.MAP_TYPE, item);
            }
            if (!item.has(mergeKey)) {
                throw MergeErrors.noMergeKey(item, mergeKey);
            }
        }
    }

    /** Position of {@code item} in {@code list}: by merge key value for maps, by value otherwise; or -1. */
    private static int index(List<JsonNode> list, JsonNode item, String mergeKey, boolean maps) {
        JsonNode wanted = maps ? item.get(mergeKey) : item;
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = maps ? list.get(i).get(mergeKey) : list.get(i);
            if (JsonValues.same(wanted, candidate)) {
                return i;
            }
        }
        return -1;
    }
}
