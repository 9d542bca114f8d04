package kubefake.store.mvcc;

/**
 * A read or compaction asked for a revision the store has not reached yet (etcd's "required revision is a future
 * revision"; Kubernetes answers such a resourceVersion with "Too large resource version").
 */
public class FutureRevisionException extends IllegalArgumentException {
    private final long requestedRevision;
    private final long currentRevision;

    public FutureRevisionException(long requestedRevision, long currentRevision) {
        super("required revision " + requestedRevision + " is a future revision (current revision " + currentRevision + ")");
        this.requestedRevision = requestedRevision;
        this.currentRevision = currentRevision;
    }

    public long requestedRevision() { return requestedRevision; }

    public long currentRevision() { return currentRevision; }
}
