package kubefake.store.mvcc;

/**
 * The outcome of a conditional write.
 *
 * @param succeeded false when the modRevision condition did not hold; nothing was written then
 * @param revision  the revision of this write when it succeeded, else the store's current revision
 * @param current   on success the key's new value (null after a delete); on failure the key's current value (null when absent)
 * @param previous  on success the value the write replaced (null when the key was absent)
 */
public record WriteResult(boolean succeeded, long revision, KeyValue current, KeyValue previous) {
}
