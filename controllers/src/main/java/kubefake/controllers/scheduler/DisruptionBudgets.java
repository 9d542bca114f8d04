package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.informers.Informer;
import kubefake.client.informers.SharedInformers;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.resources.BudgetSelector;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PodDisruptionBudgets preemption tries to respect: which victims would take a budget below what its status
 * allows ({@code filterPodsWithPDBViolation}). Preemption still evicts them when nothing else makes room, but prefers
 * victims and nodes that violate fewer budgets.
 */
final class DisruptionBudgets {
    private final Informer informer;

    DisruptionBudgets(SharedInformers informers) {
        this.informer = informers.informer("policy", "poddisruptionbudgets");
    }

    Informer informer() {
        return informer;
    }

    /** One budget's state for a dry run: how many more pods it lets go. */
    private record Budget(String namespace, LabelSelector selector, Set<String> disrupted, int[] allowed) {
    }

    /** Splits {@code pods} (order kept) into those whose eviction would violate a budget and the others. */
    Split split(List<PodInfo> pods) {
        List<Budget> budgets = new ArrayList<>();
        for (StoredObject stored : informer.list()) {
            JsonNode pdb = stored.tree();
            LabelSelector selector = BudgetSelector.of(pdb);
            if (selector.isNothing()) continue;
            Set<String> disrupted = new HashSet<>();
            pdb.path("status").path("disruptedPods").fieldNames().forEachRemaining(disrupted::add);
            budgets.add(new Budget(Json.text(pdb.path("metadata"), "namespace"), selector, disrupted,
                    new int[] {pdb.path("status").path("disruptionsAllowed").asInt(0)}));
        }
        Split split = new Split(new ArrayList<>(), new ArrayList<>());
        for (PodInfo pod : pods) {
            boolean violated = false;
            if (!pod.labels().isEmpty()) {
                for (Budget b : budgets) {
                    if (!b.namespace().equals(pod.namespace()) || !b.selector().matches(pod.labels())) continue;
                    if (b.disrupted().contains(pod.name())) continue; // its eviction was already counted
                    if (--b.allowed()[0] < 0) violated = true;
                }
            }
            (violated ? split.violating() : split.nonViolating()).add(pod);
        }
        return split;
    }

    record Split(List<PodInfo> violating, List<PodInfo> nonViolating) {
    }
}
