package kubefake.store.mvcc;

/** Conditional single-key writes; each successful one takes the next global revision. */
public interface WriteView {
    /** Condition: write whatever the key's state. */
    long ANY = -1;
    /** Condition: the key must not exist (create). */
    long ABSENT = 0;

    /**
     * Stores the value the encoder makes for this write's revision, if the key's current modRevision matches
     * {@code expectedModRevision} ({@link #ANY}, {@link #ABSENT}, or the exact modRevision: compare-and-swap).
     */
    WriteResult put(String key, ValueEncoder encoder, long expectedModRevision);

    /**
     * Deletes the key (leaving a tombstone at the new revision) if it exists and the condition holds; deleting an
     * absent key fails and writes nothing, whatever the condition.
     */
    WriteResult delete(String key, long expectedModRevision);
}
