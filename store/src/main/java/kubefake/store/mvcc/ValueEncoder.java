package kubefake.store.mvcc;

/**
 * Produces the bytes to store once the revision of the write is known, so that a value may carry its own
 * revision (Kubernetes objects carry it as metadata.resourceVersion). Called under the store's write lock:
 * keep it short and never call back into the store.
 */
@FunctionalInterface
public interface ValueEncoder {
    byte[] encode(long revision);
}
