package kubefake.store.mvcc;

/** A read or watch asked for a revision that compaction has already removed. */
public class CompactedException extends RuntimeException {
    private final long requestedRevision;
    private final long compactedRevision;

    public CompactedException(long requestedRevision, long compactedRevision) {
        super("required revision " + requestedRevision + " has been compacted (compacted revision " + compactedRevision + ")");
        this.requestedRevision = requestedRevision;
        this.compactedRevision = compactedRevision;
    }

    public long requestedRevision() { return requestedRevision; }

    public long compactedRevision() { return compactedRevision; }
}
