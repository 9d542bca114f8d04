package kubefake.store.mvcc;

import java.util.Objects;

/**
 * One key's value as of one revision, like etcd's {@code mvccpb.KeyValue}. The store keeps one instance per revision
 * and hands that same instance to every reader (gets, ranges, watch events), so the layer above keeps what it decodes
 * from the value on it ({@link #decoded()}): a revision is decoded once however many readers it has.
 *
 * <p>Equality is a record's: the same key, the same byte array (not equal contents), the same revisions and version.
 */
public final class KeyValue {
    private final String key;
    private final byte[] value;
    private final long createRevision;
    private final long modRevision;
    private final long version;
    /** What the layer above decoded from value (it is immutable, so the decoding is too), or null. */
    private volatile Object decoded;

    /**
     * @param createRevision the revision that created this incarnation of the key (a delete ends an incarnation)
     * @param modRevision    the revision of the last write to the key
     * @param version        writes since creation: 1 after create, +1 per update
     * @param value          the stored bytes; never mutated once stored
     */
    public KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {
        this.key = key;
        this.value = value;
        this.createRevision = createRevision;
        this.modRevision = modRevision;
        this.version = version;
    }

    public String key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    public long createRevision() {
        return createRevision;
    }

    public long modRevision() {
        return modRevision;
    }

    public long version() {
        return version;
    }

    /** What a reader decoded from the value and left for the next ones, or null. */
    public Object decoded() {
        return decoded;
    }

    /** Leaves the decoded value for the next readers (racing readers may each set theirs: any one is right). */
    public void decoded(Object value) {
        this.decoded = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue k && key.equals(k.key) && value == k.value && createRevision == k.createRevision
                && modRevision == k.modRevision && version == k.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, System.identityHashCode(value), createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        return "KeyValue[key=" + key + ", value=" + (value == null ? "null" : value.length + " bytes") + ", createRevision="
                + createRevision + ", modRevision=" + modRevision + ", version=" + version + "]";
    }
}
