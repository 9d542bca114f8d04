package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.quota.ResourceList;
import kubefake.store.registry.quota.UsageEvaluator;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.validation.Quantity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ResourceQuota (plugin/pkg/admission/resourcequota): a write is charged to every quota of its namespace that limits
 * what it uses, against the quota's {@code status} (what the quota controller counted, plus what admission charged
 * since): one that would go over is refused with {@code exceeded quota: q, requested: pods=1, used: pods=2, limited:
 * pods=2}; otherwise the quotas' {@code status.used} is raised before the object is stored, so that concurrent writes
 * cannot both take the last unit. A quota whose status the controller has not filled yet limits nothing.
 */
final class ResourceQuotaAdmission implements ValidatingPlugin {
    /** How often a charge is tried again when a quota changed under it (the real evaluator's retries). */
    private static final int ATTEMPTS = 3;

    private final AdmissionLookups lookups;
    /** The evaluator of each resource written so far, by group and resource: they hold no state, every write needs one. */
    private final Map<String, Map<String, UsageEvaluator>> evaluators = new ConcurrentHashMap<>();

    ResourceQuotaAdmission(AdmissionLookups lookups) {
        this.lookups = lookups;
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public void validate(AdmissionAttributes a) {
        if (!a.subresource().isEmpty() || a.object() == null || !a.type().namespaced()
                || a.namespace() == null || a.namespace().isEmpty()) return;
        String group = a.type().group();
        UsageEvaluator evaluator = evaluators.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(a.type().resource(), r -> UsageEvaluator.of(group, r));
        boolean update = a.operation() == Operation.UPDATE && a.oldObject() != null;
        if (a.operation() != Operation.CREATE && !(update && evaluator.chargesUpdates())) return;
        for (int attempt = 1; ; attempt++) {
            List<ObjectNode> charged = charge(a, evaluator, update);
            if (a.context().dryRun() || charged.isEmpty()) return;
            if (store(charged)) return;
            if (attempt == ATTEMPTS) {
                throw StatusException.conflictModified("", "resourcequotas", Json.text(Json.metadata(charged.get(0)), "name"));
            }
        }
    }

    /** The namespace's quotas that this write raises, with their new status; refuses the write if one would go over. */
    private List<ObjectNode> charge(AdmissionAttributes a, UsageEvaluator evaluator, boolean update) {
        List<ObjectNode> quotas = lookups.resourceQuotas(a.namespace());
        if (quotas.isEmpty()) return List.of();
        List<ObjectNode> pertinent = new ArrayList<>();
        for (ObjectNode quota : quotas) {
            if (!evaluator.matchesScopes(quota, a.object())) continue;
            ResourceList hard = ResourceList.of(quota.path("status").path("hard"));
            Set<String> restricted = evaluator.matchingResources(hard.names());
            if (restricted.isEmpty()) continue;
            String violation = evaluator.constraintViolation(restricted, a.object());
            if (violation != null) throw a.forbiddenAsStored("failed quota: " + name(quota) + ": " + violation);
            ResourceList used = ResourceList.of(quota.path("status").path("used"));
            if (!used.names().containsAll(restricted)) {
                throw a.forbiddenAsStored("status unknown for quota: " + name(quota) + ", resource: " + String.join(",", new TreeSet<>(restricted)));
            }
            pertinent.add(quota);
        }
        if (pertinent.isEmpty()) return List.of();
        ResourceList delta = evaluator.usage(a.object(), lookups.clock().instant());
        List<String> negative = new ArrayList<>();
        for (String n : delta.names()) if (delta.get(n).signum() < 0) negative.add(n);
        if (!negative.isEmpty()) throw a.forbiddenAsStored("quota usage is negative for resource(s): " + String.join(",", negative));
        if (update && !Json.text(Json.metadata(a.oldObject()), "resourceVersion").isEmpty()) {
            delta = delta.minus(evaluator.usage(a.oldObject(), lookups.clock().instant()));
        }
        delta = positive(delta);
        if (delta.isEmpty()) return List.of();
        List<ObjectNode> charged = new ArrayList<>();
        for (ObjectNode quota : pertinent) {
            ResourceList hard = ResourceList.of(quota.path("status").path("hard"));
            ResourceList used = ResourceList.of(quota.path("status").path("used"));
            ResourceList requested = delta.mask(hard.names());
            ResourceList newUsage = used.plus(requested);
            List<String> exceeded = newUsage.mask(requested.names()).exceeding(hard);
            if (!exceeded.isEmpty()) {
                throw a.forbiddenAsStored("exceeded quota: " + name(quota) + ", requested: " + requested.mask(exceeded)
                        + ", used: " + used.mask(exceeded) + ", limited: " + hard.mask(exceeded));
            }
            if (requested.isEmpty()) continue;
            ObjectNode updated = quota.deepCopy();
            ((ObjectNode) updated.path("status")).set("used", newUsage.toJson());
            charged.add(updated);
        }
        return charged;
    }

    /** The entries above zero (SubtractWithNonNegativeResult and RemoveZeros). */
    private static ResourceList positive(ResourceList list) {
        ResourceList r = new ResourceList();
        for (String n : list.names()) {
            Quantity q = list.get(n);
            if (q.signum() > 0) r.put(n, q);
        }
        return r;
    }

    /** Stores the charged quotas; false when one changed since it was read (the charge is then worked out again). */
    private boolean store(List<ObjectNode> charged) {
        for (ObjectNode quota : charged) {
            if (!lookups.updateQuotaStatus(quota)) return false;
        }
        return true;
    }

    private static String name(JsonNode quota) {
        return quota.path("metadata").path("name").asText();
    }
}
