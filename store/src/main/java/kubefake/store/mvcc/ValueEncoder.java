package kubefake.store.mvcc;

/**
 * Produces the bytes to store once the revision of the write is known, so that a value may carry its own
 * revision (Kubernetes objects carry it as metadata.resourceVersion). Called under the store's write lock:
 * keep it short and never call back into the store.
 */
@FunctionalInterface
public interface ValueEncoder {
    byte[] encode(long revision);

    /**
     * What the writer already holds decoded of the value {@link #encode} just made, left on the new revision as
     * {@link KeyValue#decoded()} before any reader or watcher sees it, so that none of them decodes what the writer
     * had. Called right after {@code encode}, under the same lock, with the revision that holds the bytes; null (the
     * default) leaves the decoding to the revision's first reader. A store that hands out other bytes than those
     * encoded (etcd's) does not call it.
     */
    default Object decoded(KeyValue stored) {
        return null;
    }
}
