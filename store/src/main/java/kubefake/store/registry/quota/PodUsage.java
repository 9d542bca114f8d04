package kubefake.store.registry.quota;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.validation.Quantity;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pods (evaluator/core/pods.go): each counts once and charges its requests and limits (the containers' sum, or an
 * init container's when larger); a pod that has finished or whose deletion grace has passed no longer counts. A quota
 * on cpu or memory requires every container to state them. Scopes: Terminating, NotTerminating, BestEffort,
 * NotBestEffort, and PriorityClass in a scopeSelector.
 */
final class PodUsage implements UsageEvaluator {
    private static final List<String> COMPUTE = List.of("cpu", "memory", "ephemeral-storage");
    private static final List<String> NAMES = List.of("pods", "count/pods", "cpu", "memory", "ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
            "limits.ephemeral-storage");
    /** The names a container must state when the quota limits them (the backward-compatible rule). */
    private static final List<String> REQUIRED_PER_CONTAINER = List.of("cpu", "memory", "requests.cpu", "requests.memory",
            "limits.cpu", "limits.memory");

    @Override
    public String group() {
        return "";
    }

    @Override
    public String resource() {
        return "pods";
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        Set<String> r = new TreeSet<>();
        for (String n : hard) {
            if (NAMES.contains(n) || n.startsWith("requests.hugepages-") || n.startsWith("hugepages-")
                    || (n.startsWith("requests.") && n.contains("/") && !n.contains("kubernetes.io/"))) {
                r.add(n);
            }
        }
        return r;
    }

    @Override
    public ResourceList usage(JsonNode pod, Instant now) {
        ResourceList r = new ResourceList();
        if (!counts(pod, now)) return r;
        Quantity one = Quantity.parse("1");
        r.put("pods", one).put("count/pods", one);
        JsonNode spec = pod.path("spec");
        podTotal(spec, "requests").forEach((name, q) -> {
            if (COMPUTE.contains(name)) {
                r.put(name, q).put("requests." + name, q);
            } else if (name.startsWith("hugepages-")) {
                r.put(name, q).put("requests." + name, q);
            } else if (name.contains("/") && !name.contains("kubernetes.io/")) {
                r.put("requests." + name, q);
            }
        });
        podTotal(spec, "limits").forEach((name, q) -> {
            if (COMPUTE.contains(name)) r.put("limits." + name, q);
        });
        return r;
    }

    /** Finished pods and pods past their deletion grace period are not charged (QuotaV1Pod). */
    private static boolean counts(JsonNode pod, Instant now) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) return false;
        JsonNode meta = pod.path("metadata");
        if (meta.hasNonNull("deletionTimestamp") && meta.hasNonNull("deletionGracePeriodSeconds")) {
            try {
                Instant deleted = Instant.parse(meta.path("deletionTimestamp").asText());
                return !now.isAfter(deleted.plusSeconds(meta.path("deletionGracePeriodSeconds").asLong()));
            } catch (DateTimeParseException e) {
                return true;
            }
        }
        return true;
    }

    /** The pod's requests or limits: the containers' sum, raised to any init container's that is larger, plus overhead. */
    private static Map<String, Quantity> podTotal(JsonNode spec, String which) {
        Map<String, Quantity> sum = new TreeMap<>();
        for (JsonNode c : spec.path("containers")) {
            containerList(c, which).forEach((k, v) -> sum.merge(k, v, Quantity::plus));
        }
        for (JsonNode c : spec.path("initContainers")) {
            containerList(c, which).forEach((k, v) -> sum.merge(k, v, (a, b) -> b.compareTo(a) > 0 ? b : a));
        }
        // overhead adds to every request, and to the limits the pod has
        ResourceList overhead = ResourceList.of(spec.path("overhead"));
        for (String k : overhead.names()) {
            if (which.equals("requests")) sum.merge(k, overhead.get(k), Quantity::plus);
            else sum.computeIfPresent(k, (n, v) -> v.plus(overhead.get(n)));
        }
        return sum;
    }

    private static Map<String, Quantity> containerList(JsonNode container, String which) {
        return ResourceList.of(container.path("resources").path(which)).toMap();
    }

    @Override
    public boolean matchesScopes(JsonNode quota, JsonNode pod) {
        for (JsonNode scope : quota.path("spec").path("scopes")) {
            if (!inScope(scope.asText(), pod)) return false;
        }
        for (JsonNode requirement : quota.path("spec").path("scopeSelector").path("matchExpressions")) {
            String scope = requirement.path("scopeName").asText();
            if (scope.equals("PriorityClass") ? !priorityClassMatches(requirement, pod) : !inScope(scope, pod)) return false;
        }
        return true;
    }

    /** A PriorityClass scope requirement (In, NotIn, Exists, DoesNotExist) against the pod's priorityClassName. */
    private static boolean priorityClassMatches(JsonNode requirement, JsonNode pod) {
        String className = pod.path("spec").path("priorityClassName").asText("");
        Set<String> values = new TreeSet<>();
        requirement.path("values").forEach(v -> values.add(v.asText()));
        return switch (requirement.path("operator").asText()) {
            case "In" -> values.contains(className);
            case "NotIn" -> !values.contains(className);
            case "Exists" -> !className.isEmpty();
            case "DoesNotExist" -> className.isEmpty();
            default -> false;
        };
    }

    private static boolean inScope(String scope, JsonNode pod) {
        JsonNode deadline = pod.path("spec").path("activeDeadlineSeconds");
        boolean terminating = deadline.isNumber() && deadline.asLong() >= 0;
        return switch (scope) {
            case "Terminating" -> terminating;
            case "NotTerminating" -> !terminating;
            case "BestEffort" -> bestEffort(pod);
            case "NotBestEffort" -> !bestEffort(pod);
            default -> false; // CrossNamespacePodAffinity is not evaluated yet
        };
    }

    /** No container states a cpu or memory request or limit (the BestEffort QoS class). */
    private static boolean bestEffort(JsonNode pod) {
        List<JsonNode> all = new ArrayList<>();
        pod.path("spec").path("containers").forEach(all::add);
        pod.path("spec").path("initContainers").forEach(all::add);
        for (JsonNode c : all) {
            for (String which : List.of("requests", "limits")) {
                JsonNode list = c.path("resources").path(which);
                if (list.has("cpu") || list.has("memory")) return false;
            }
        }
        return true;
    }

    /** {@code must specify limits.cpu for: c; limits.memory for: c,d} when a container leaves out what the quota limits. */
    @Override
    public String constraintViolation(Set<String> required, JsonNode pod) {
        Set<String> enforced = new TreeSet<>(required);
        enforced.retainAll(REQUIRED_PER_CONTAINER);
        if (enforced.isEmpty()) return null;
        Map<String, Set<String>> missing = new TreeMap<>();
        List<JsonNode> all = new ArrayList<>();
        pod.path("spec").path("containers").forEach(all::add);
        pod.path("spec").path("initContainers").forEach(all::add);
        for (JsonNode c : all) {
            Set<String> stated = new TreeSet<>();
            c.path("resources").path("requests").fieldNames().forEachRemaining(n -> {
                if (COMPUTE.contains(n)) {
                    stated.add(n);
                    stated.add("requests." + n);
                }
            });
            c.path("resources").path("limits").fieldNames().forEachRemaining(n -> {
                if (COMPUTE.contains(n)) stated.add("limits." + n);
            });
            for (String n : enforced) {
                if (!stated.contains(n)) missing.computeIfAbsent(n, k -> new TreeSet<>()).add(c.path("name").asText());
            }
        }
        if (missing.isEmpty()) return null;
        List<String> parts = new ArrayList<>();
        missing.forEach((n, containers) -> parts.add(n + " for: " + String.join(",", containers)));
        return "must specify " + String.join("; ", parts);
    }
}
