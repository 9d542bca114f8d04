package kubefake.store.registry.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.validation.Quantity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Quantities by resource name (core/v1 ResourceList) with the arithmetic of quota's helpers
 * ({@code pkg/quota/v1/resources.go}: Add, Subtract, Mask, LessThanOrEqual), sorted by name as they print.
 */
public final class ResourceList {
    private final TreeMap<String, Quantity> quantities = new TreeMap<>();

    public ResourceList() {
    }

    /** The list in a ResourceList field ({@code spec.hard}, {@code status.used}); unparsable entries are skipped. */
    public static ResourceList of(JsonNode list) {
        ResourceList r = new ResourceList();
        if (list == null) return r;
        list.fields().forEachRemaining(e -> {
            try {
                r.quantities.put(e.getKey(), Quantity.parse(e.getValue().asText()));
            } catch (IllegalArgumentException ignored) {
                // validation refuses these on write
            }
        });
        return r;
    }

    public ResourceList put(String name, Quantity quantity) {
        quantities.put(name, quantity);
        return this;
    }

    public Quantity get(String name) {
        return quantities.get(name);
    }

    public boolean has(String name) {
        return quantities.containsKey(name);
    }

    /** The quantities by name, sorted (a copy). */
    public Map<String, Quantity> toMap() {
        return new TreeMap<>(quantities);
    }

    public Set<String> names() {
        return quantities.keySet();
    }

    public boolean isEmpty() {
        return quantities.isEmpty();
    }

    /** Whether every quantity is zero (quota.IsZero). */
    public boolean isZero() {
        return quantities.values().stream().allMatch(q -> q.signum() == 0);
    }

    /** The sum by name; a name in one list only keeps its quantity. */
    public ResourceList plus(ResourceList other) {
        ResourceList r = copy();
        other.quantities.forEach((k, v) -> r.quantities.merge(k, v, Quantity::plus));
        return r;
    }

    /** The difference by name; a name only in {@code other} becomes its negation. */
    public ResourceList minus(ResourceList other) {
        ResourceList r = copy();
        other.quantities.forEach((k, v) -> r.quantities.put(k, r.quantities.getOrDefault(k, Quantity.ZERO).minus(v)));
        return r;
    }

    /** Only the names given. */
    public ResourceList mask(Collection<String> names) {
        ResourceList r = new ResourceList();
        for (String n : names) {
            Quantity q = quantities.get(n);
            if (q != null) r.quantities.put(n, q);
        }
        return r;
    }

    /** The names whose quantity exceeds the one {@code limits} gives (names absent there are not limited). */
    public List<String> exceeding(ResourceList limits) {
        List<String> exceeded = new ArrayList<>();
        quantities.forEach((k, v) -> {
            Quantity limit = limits.quantities.get(k);
            if (limit != null && v.compareTo(limit) > 0) exceeded.add(k);
        });
        return exceeded;
    }

    public ResourceList copy() {
        ResourceList r = new ResourceList();
        r.quantities.putAll(quantities);
        return r;
    }

    /** As JSON: {@code {"pods":"2","requests.cpu":"500m"}}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        quantities.forEach((k, v) -> o.put(k, v.toString()));
        return o;
    }

    /** As quota's messages print it: {@code pods=1,requests.cpu=500m}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Quantity> e : quantities.entrySet()) parts.add(e.getKey() + "=" + e.getValue());
        return String.join(",", parts);
    }
}
