package kubefake.store.registry;

/**
 * The query of a list or watch (metav1.ListOptions).
 *
 * @param resourceVersion      "" (most recent), "0" (any), or a revision
 * @param resourceVersionMatch "", "NotOlderThan" or "Exact"
 * @param limit                0 = everything
 * @param continueToken        the token of a previous page, or null
 * @param timeoutSeconds       watch only: end the watch after this long (0 = the server's default)
 * @param allowBookmarks       watch only: the client accepts BOOKMARK events
 * @param sendInitialEvents    watch only: null when not given
 */
public record ListOptions(String labelSelector, String fieldSelector, String resourceVersion,
                          String resourceVersionMatch, long limit, String continueToken, long timeoutSeconds,
                          boolean allowBookmarks, Boolean sendInitialEvents) {

    public static final ListOptions ALL = new ListOptions("", "", "", "", 0, null, 0, false, null);

    public static ListOptions labelSelector(String selector) {
        return new ListOptions(selector, "", "", "", 0, null, 0, false, null);
    }

    public static ListOptions fieldSelector(String selector) {
        return new ListOptions("", selector, "", "", 0, null, 0, false, null);
    }
}
