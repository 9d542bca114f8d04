package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;

/**
 * policy/v1 PodDisruptionBudgets ({@code pkg/registry/policy/poddisruptionbudget}): status only through its
 * subresource (the disruption controller's and the eviction subresource's), generation moved by spec changes so
 * evictions wait until the controller has observed the current spec.
 */
public final class PodDisruptionBudgetStrategy extends StatusStrategy {

    public PodDisruptionBudgetStrategy() {
        super(new KindRules(Defaulter.NONE, Validators.POD_DISRUPTION_BUDGET, FieldLabels.METADATA));
    }

    @Override
    public boolean tracksGeneration() { return true; }
}
