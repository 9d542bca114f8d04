package kubefake.store.mvcc;

/**
 * Reads of the revisioned key space. Every write (put or delete) advances one global revision by exactly one;
 * revision 0 never holds data, the first write is revision 1 (Kubernetes resourceVersions are these numbers).
 */
public interface ReadView {
    /** The revision of the last write (0 for an empty store). */
    long currentRevision();

    /** Revisions at or below this one can no longer be read or watched (0 when nothing was compacted). */
    long compactedRevision();

    /** The key's latest value, or null when absent or deleted. */
    KeyValue get(String key);

    /**
     * The key's value as of {@code revision} (0 = current), or null; throws {@link CompactedException} when
     * revision ≤ compactedRevision() and {@link FutureRevisionException} when revision &gt; currentRevision().
     */
    KeyValue get(String key, long revision);

    /**
     * Live keys k with {@code fromKey <= k < endKey} as of {@code revision} (0 = current), in key order.
     *
     * @param endKey exclusive upper bound; null for no bound
     * @param limit at most this many keys (0 = no limit)
     * @throws CompactedException when revision > 0 and revision ≤ compactedRevision()
     * @throws FutureRevisionException when revision > currentRevision()
     */
    RangeResult range(String fromKey, String endKey, long revision, int limit);

    /** The smallest key greater than every key starting with {@code prefix}: range(prefix, prefixEnd(prefix)) lists the prefix. */
    static String prefixEnd(String prefix) {
        return prefix + Character.MAX_VALUE;
    }
}
