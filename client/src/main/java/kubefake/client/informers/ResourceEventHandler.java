package kubefake.client.informers;

import kubefake.store.registry.StoredObject;

/**
 * What an informer tells its handlers, in the order things happened, one call at a time per informer, on the
 * cluster's executor and after its cache reflects the change. Handlers should be quick (typically: queue a key).
 */
public interface ResourceEventHandler {
    default void onAdd(StoredObject object) {
    }

    default void onUpdate(StoredObject old, StoredObject current) {
    }

    /** {@code last} is the last state the informer knew (for a watched deletion: the object at its deletion). */
    default void onDelete(StoredObject last) {
    }
}
