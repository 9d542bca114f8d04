package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.quota.ResourceList;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.validation.Quantity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * LimitRanger (plugin/pkg/admission/limitranger): a new pod's containers get the namespace's LimitRanges' default
 * requests and limits where they state none (noted in the {@code kubernetes.io/limit-ranger} annotation); then pods
 * and PersistentVolumeClaims outside a range's min, max or maxLimitRequestRatio are refused with its 403.
 */
final class LimitRanger implements MutatingPlugin, ValidatingPlugin {
    static final String ANNOTATION = "kubernetes.io/limit-ranger";

    private final AdmissionLookups lookups;

    LimitRanger(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "LimitRanger";
    }

    /** Pods when created (their containers cannot change afterwards) and claims when created or resized. */
    private static boolean applies(AdmissionAttributes a) {
        if (!a.subresource().isEmpty() || a.object() == null || a.namespace() == null || a.namespace().isEmpty()) return false;
        if (a.isResource("", "pods")) return a.operation() == Operation.CREATE;
        return a.isResource("", "persistentvolumeclaims")
                && (a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE);
    }

    @Override
    public void admit(AdmissionAttributes a) {
        if (!applies(a) || !a.isResource("", "pods")) return;
        for (ObjectNode range : lookups.limitRanges(a.namespace())) {
            Map<String, JsonNode> defaultRequests = new TreeMap<>();
            Map<String, JsonNode> defaultLimits = new TreeMap<>();
            for (JsonNode item : range.path("spec").path("limits")) {
                if (!item.path("type").asText().equals("Container")) continue;
                item.path("defaultRequest").fields().forEachRemaining(e -> defaultRequests.put(e.getKey(), e.getValue()));
                item.path("default").fields().forEachRemaining(e -> defaultLimits.put(e.getKey(), e.getValue()));
            }
            List<String> notes = new ArrayList<>();
            JsonNode spec = a.object().path("spec");
            for (JsonNode c : spec.path("containers")) merge((ObjectNode) c, defaultRequests, defaultLimits, "container", notes);
            for (JsonNode c : spec.path("initContainers")) merge((ObjectNode) c, defaultRequests, defaultLimits, "init container", notes);
            if (!notes.isEmpty()) {
                ObjectNode meta = Json.metadata(a.object());
                ObjectNode annotations = meta.get("annotations") instanceof ObjectNode o ? o : meta.putObject("annotations");
                annotations.put(ANNOTATION, "LimitRanger plugin set: " + String.join("; ", notes));
            }
        }
    }

    private static void merge(ObjectNode container, Map<String, JsonNode> requests, Map<String, JsonNode> limits,
                              String what, List<String> notes) {
        ObjectNode resources = container.get("resources") instanceof ObjectNode r ? r : container.putObject("resources");
        List<String> setRequests = fill(resources, "requests", requests);
        List<String> setLimits = fill(resources, "limits", limits);
        String name = container.path("name").asText();
        if (!setRequests.isEmpty()) notes.add(String.join(", ", setRequests) + " request for " + what + " " + name);
        if (!setLimits.isEmpty()) notes.add(String.join(", ", setLimits) + " limit for " + what + " " + name);
    }

    /** Sets each default the list lacks; the names set, sorted. */
    private static List<String> fill(ObjectNode resources, String field, Map<String, JsonNode> defaults) {
        List<String> set = new ArrayList<>();
        if (defaults.isEmpty()) return set;
        ObjectNode list = resources.get(field) instanceof ObjectNode l ? l : resources.putObject(field);
        defaults.forEach((name, value) -> {
            if (!list.has(name)) {
                list.set(name, value.deepCopy());
                set.add(name);
            }
        });
        if (list.isEmpty()) resources.remove(field);
        return set;
    }

    @Override
    public void validate(AdmissionAttributes a) {
        if (!applies(a)) return;
        boolean pod = a.isResource("", "pods");
        for (ObjectNode range : lookups.limitRanges(a.namespace())) {
            Set<String> errors = new LinkedHashSet<>();
            for (JsonNode item : range.path("spec").path("limits")) {
                String type = item.path("type").asText();
                if (pod) validatePod(type, item, a.object().path("spec"), errors);
                else if (type.equals("PersistentVolumeClaim")) validateClaim(type, item, a.object(), errors);
            }
            if (!errors.isEmpty()) {
                // utilerrors.NewAggregate: one message alone, several (without repeats) in brackets
                String message = errors.size() == 1 ? errors.iterator().next() : "[" + String.join(", ", errors) + "]";
                throw a.forbiddenAsStored(message);
            }
        }
    }

    private static void validatePod(String type, JsonNode item, JsonNode spec, Set<String> errors) {
        if (type.equals("Container")) {
            List<JsonNode> containers = new ArrayList<>();
            spec.path("containers").forEach(containers::add);
            spec.path("initContainers").forEach(containers::add);
            for (JsonNode c : containers) {
                check(type, item, list(c.path("resources").path("requests")), list(c.path("resources").path("limits")), errors);
            }
        } else if (type.equals("Pod")) {
            Map<String, Quantity> requests = podTotal(spec, "requests");
            Map<String, Quantity> limits = podTotal(spec, "limits");
            check(type, item, requests, limits, errors);
        }
    }

    /** The containers' sum; a resource missing from any container is left out; an init container's when larger. */
    private static Map<String, Quantity> podTotal(JsonNode spec, String which) {
        Map<String, Quantity> sum = new TreeMap<>();
        Set<String> everywhere = null;
        for (JsonNode c : spec.path("containers")) {
            Map<String, Quantity> l = list(c.path("resources").path(which));
            l.forEach((k, v) -> sum.merge(k, v, Quantity::plus));
            if (everywhere == null) everywhere = new LinkedHashSet<>(l.keySet());
            else everywhere.retainAll(l.keySet());
        }
        if (everywhere != null) sum.keySet().retainAll(everywhere);
        for (JsonNode c : spec.path("initContainers")) {
            list(c.path("resources").path(which)).forEach((k, v) -> sum.merge(k, v, (x, y) -> y.compareTo(x) > 0 ? y : x));
        }
        return sum;
    }

    private static void check(String type, JsonNode item, Map<String, Quantity> requests, Map<String, Quantity> limits,
                              Set<String> errors) {
        list(item.path("min")).forEach((name, min) -> add(errors, min(type, name, min, requests, limits)));
        list(item.path("max")).forEach((name, max) -> add(errors, max(type, name, max, requests, limits)));
        list(item.path("maxLimitRequestRatio")).forEach((name, ratio) -> add(errors, ratio(type, name, ratio, requests, limits)));
    }

    private static void validateClaim(String type, JsonNode item, JsonNode claim, Set<String> errors) {
        Map<String, Quantity> requests = list(claim.path("spec").path("resources").path("requests"));
        list(item.path("min")).forEach((name, min) -> add(errors, min(type, name, min, requests, Map.of())));
        // a claim's max is held against what it asks for (its limits are not the user's)
        list(item.path("max")).forEach((name, max) -> {
            Quantity request = requests.get(name);
            if (request == null) add(errors, "maximum " + name + " usage per " + type + " is " + max + ".  No request is specified.");
            else if (request.compareTo(max) > 0) {
                add(errors, "maximum " + name + " usage per " + type + " is " + max + ", but request is " + request + ".");
            }
        });
    }

    private static String min(String type, String name, Quantity min, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Quantity request = requests.get(name);
        Quantity limit = limits.get(name);
        String prefix = "minimum " + name + " usage per " + type + " is " + min;
        if (request == null) return prefix + ".  No request is specified.";
        if (request.compareTo(min) < 0) return prefix + ", but request is " + request + ".";
        if (limit != null && limit.compareTo(min) < 0) return prefix + ", but limit is " + limit + ".";
        return null;
    }

    private static String max(String type, String name, Quantity max, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Quantity request = requests.get(name);
        Quantity limit = limits.get(name);
        String prefix = "maximum " + name + " usage per " + type + " is " + max;
        if (limit == null) return prefix + ".  No limit is specified.";
        if (limit.compareTo(max) > 0) return prefix + ", but limit is " + limit + ".";
        if (request != null && request.compareTo(max) > 0) return prefix + ", but request is " + request + ".";
        return null;
    }

    private static String ratio(String type, String name, Quantity max, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        Quantity request = requests.get(name);
        Quantity limit = limits.get(name);
        String prefix = name + " max limit to request ratio per " + type + " is " + max;
        if (request == null || request.signum() == 0) return prefix + ", but no request is specified or request is 0.";
        if (limit == null || limit.signum() == 0) return prefix + ", but no limit is specified or limit is 0.";
        double observed = limit.value().doubleValue() / request.value().doubleValue();
        // compared at milli precision, as the real plugin does
        if (Math.round(observed * 1000 * 1e6) / 1e6 > max.value().doubleValue() * 1000) {
            return prefix + ", but provided ratio is " + String.format(java.util.Locale.ROOT, "%f", observed) + ".";
        }
        return null;
    }

    private static void add(Set<String> errors, String error) {
        if (error != null) errors.add(error);
    }

    private static Map<String, Quantity> list(JsonNode list) {
        return ResourceList.of(list).toMap();
    }
}
