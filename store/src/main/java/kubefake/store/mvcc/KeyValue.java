package kubefake.store.mvcc;

/**
 * One key's value as of one revision, like etcd's {@code mvccpb.KeyValue}.
 *
 * @param createRevision the revision that created this incarnation of the key (a delete ends an incarnation)
 * @param modRevision    the revision of the last write to the key
 * @param version        writes since creation: 1 after create, +1 per update
 * @param value          the stored bytes; never mutated once stored
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
}
