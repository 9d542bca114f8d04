package kubefake.store.registry;

/**
 * One event of a resource watch, as the API sends it.
 *
 * @param object the object (for DELETED its last state, at the deletion's resourceVersion; for BOOKMARK only its
 *               resourceVersion); null for ERROR
 * @param error  for ERROR events, the failure
 */
public record WatchEvent(Type type, StoredObject object, kubefake.store.registry.errors.StatusException error) {
    public enum Type { ADDED, MODIFIED, DELETED, BOOKMARK, ERROR }
}
