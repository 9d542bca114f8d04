package kubefake.store.registry.resources;

import kubefake.store.registry.ResourceStrategy;

/** Events: a PUT of a missing event creates it (recorders update-or-create). */
public class EventStrategy implements ResourceStrategy {
    @Override
    public boolean allowCreateOnUpdate() { return true; }
}
