package kubefake.store.mvcc;

/**
 * How a value comes to carry the revision of its write in a store that learns that revision only once the write is
 * committed (etcd: the server picks it). Such a store writes {@code encoder.encode(0)} and, on every read, hands out
 * {@code stamp(storedBytes, modRevision)}, so that its values read as {@link ValueEncoder#encode} would have made them
 * at their revision: as Kubernetes' etcd3 storage stores objects without a resourceVersion and sets it from the mod
 * revision on decode. The in-memory store knows the revision beforehand and needs none.
 */
@FunctionalInterface
public interface RevisionStamper {
    /** Values that do not carry their revision. */
    RevisionStamper NONE = (stored, revision) -> stored;

    /** The value as it reads at {@code revision}, from the bytes stored for it (never mutate {@code stored}). */
    byte[] stamp(byte[] stored, long revision);
}
