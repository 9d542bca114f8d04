package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.ResourceStrategy;

/** Events: a PUT of a missing event creates it (recorders update-or-create); no garbage-collection finalizers. */
public class EventStrategy implements ResourceStrategy {
    private static final KindRules RULES = KindRules.metadataOnly(true).withFieldLabels(FieldLabels.EVENT);

    @Override
    public KindRules rules() { return RULES; }

    @Override
    public boolean allowCreateOnUpdate() { return true; }

    @Override
    public GarbageCollectionPolicy defaultGarbageCollectionPolicy() { return GarbageCollectionPolicy.UNSUPPORTED; }
}
