package kubefake.store.registry.quota;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one resource's objects use of a quota (quota.Evaluator of {@code pkg/quota/v1}): the quota's resource names it
 * accounts for, an object's usage under those names, and the quota scopes it understands. Shared by the ResourceQuota
 * admission plugin, which charges a write, and the quota controller, which recounts.
 */
public interface UsageEvaluator {
    /** The API group of the resource evaluated. */
    String group();

    /** The resource evaluated (plural). */
    String resource();

    /** Which of {@code names} (a quota's hard limits) this resource's usage counts toward. */
    Set<String> matchingResources(Collection<String> names);

    /** What the object uses (zero for an object that no longer counts, such as a finished pod). */
    ResourceList usage(JsonNode object, Instant now);

    /** Whether the object falls within the quota's scopes ({@code spec.scopes}); a resource without scopes never does. */
    default boolean matchesScopes(JsonNode quota, JsonNode object) {
        return !quota.path("spec").path("scopes").elements().hasNext()
                && !quota.path("spec").path("scopeSelector").path("matchExpressions").elements().hasNext();
    }

    /** Why the object cannot be admitted under a quota limiting {@code required}, or null (only pods have such rules). */
    default String constraintViolation(Set<String> required, JsonNode object) {
        return null;
    }

    /** Whether an update is charged too (a create always is). */
    default boolean chargesUpdates() {
        return false;
    }

    /** The object count name {@code count/<resource>[.<group>]}. */
    static String countName(String group, String resource) {
        return "count/" + resource + (group.isEmpty() ? "" : "." + group);
    }

    /** The evaluator of a resource: pods, services and claims have their own, every other resource is counted. */
    static UsageEvaluator of(String group, String resource) {
        if (group.isEmpty()) {
            switch (resource) {
                case "pods" -> { return new PodUsage(); }
                case "services" -> { return new ServiceUsage(); }
                case "persistentvolumeclaims" -> { return new PersistentVolumeClaimUsage(); }
                default -> { }
            }
        }
        return new ObjectCount(group, resource);
    }

    /** The names of {@code names} that are in {@code known}. */
    static Set<String> intersect(Collection<String> names, Collection<String> known) {
        Set<String> r = new TreeSet<>(names);
        r.retainAll(known);
        return r;
    }

    /** The resources with an evaluator of their own, besides the counted ones. */
    List<String> CORE_LEGACY_COUNTED = List.of("configmaps", "secrets", "replicationcontrollers", "resourcequotas");
}
