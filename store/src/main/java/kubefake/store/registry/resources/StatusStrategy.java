package kubefake.store.registry.resources;

import kubefake.store.registry.ResourceStrategy;

/** A resource whose status is written only through its status subresource. */
public class StatusStrategy implements ResourceStrategy {
    @Override
    public boolean hasStatusSubresource() { return true; }
}
