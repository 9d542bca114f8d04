package kubefake.store.registry.resources;

import kubefake.store.registry.ResourceStrategy;

/** Events: a PUT of a missing event creates it (recorders update-or-create); no garbage-collection finalizers. */
public class EventStrategy implements ResourceStrategy {
    @Override
    public boolean allowCreateOnUpdate() { return true; }

    @Override
    public GarbageCollectionPolicy defaultGarbageCollectionPolicy() { return GarbageCollectionPolicy.UNSUPPORTED; }
}
