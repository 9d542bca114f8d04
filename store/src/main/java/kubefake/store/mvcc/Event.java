package kubefake.store.mvcc;

/**
 * One change at one revision, as a watcher sees it.
 *
 * @param kv     for PUT the new value; for DELETE the key with {@code modRevision} = the deletion's revision and a null value
 * @param prevKv the value before the change (null when a PUT created the key)
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
