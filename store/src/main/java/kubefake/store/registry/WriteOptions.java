package kubefake.store.registry;

/**
 * Options of a create, update or patch.
 *
 * @param fieldManager the writer's name (kept for managedFields later), may be null
 * @param subresource  null for the main resource, or "status"
 */
public record WriteOptions(boolean dryRun, String fieldManager, String subresource) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, null, null);

    public static WriteOptions status() {
        return new WriteOptions(false, null, "status");
    }
}
