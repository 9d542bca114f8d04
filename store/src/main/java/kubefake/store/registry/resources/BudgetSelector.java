package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;

/**
 * The pods a PodDisruptionBudget guards when one is to be disrupted (the eviction subresource, the scheduler's
 * preemption): those its selector matches; a missing, empty or invalid selector guards none.
 */
public final class BudgetSelector {
    private BudgetSelector() {
    }

    public static LabelSelector of(JsonNode budget) {
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(budget.path("spec").get("selector"));
        } catch (StatusException invalid) {
            return LabelSelector.nothing();
        }
        return selector.isEverything() ? LabelSelector.nothing() : selector;
    }
}
