package kubefake.store.registry;

import java.util.List;

/**
 * One page of a list.
 *
 * @param resourceVersion    the revision the list was read at (the list's metadata.resourceVersion)
 * @param continueToken      the token for the next page, or null on the last page
 * @param remainingItemCount how many items remain after this page when known (no selector), else null
 */
public record ListResult(ResourceType type, List<StoredObject> items, long resourceVersion, String continueToken,
                         Long remainingItemCount) {
}
