package kubefake.store.registry;

/**
 * The outcome of a delete.
 *
 * @param object  the object as last stored: gone when {@code deleted}, else marked with a deletionTimestamp
 * @param deleted true when the object is gone now, false when its deletion waits (grace period, finalizers)
 */
public record DeleteResult(StoredObject object, boolean deleted) {
}
