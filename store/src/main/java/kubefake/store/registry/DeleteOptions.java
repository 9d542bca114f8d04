package kubefake.store.registry;

/**
 * metav1.DeleteOptions.
 *
 * @param gracePeriodSeconds                    null = the resource's default
 * @param preconditionUid, preconditionResourceVersion null when not given
 * @param propagationPolicy                     Orphan, Background, Foreground or null
 */
public record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
                            String propagationPolicy, boolean dryRun) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);
}
