package kubefake.store.mvcc;

import java.util.Objects;

/**
 * One key's value as of one revision, like etcd's {@code mvccpb.KeyValue}. The store keeps one instance per revision
 * and hands that same instance to every reader (gets, ranges, watch events), so the layer above keeps what it decodes
 * from the value on it ({@link #decoded()}): a revision is decoded once however many readers it has.
 *
 * <p>Once a newer revision superseded it, the store may {@linkplain HistoryPacker pack} the value: its bytes are then
 * kept deflated against the next revision's ({@link ValueDeltas}) and {@link #value()} inflates a copy for each reader.
 * The newest value of a key that is written and rarely read again (an event) may be packed too, against its
 * resource's {@link PresetDictionary}. Nothing is decoded and kept on a packed value: its readers are rare.
 *
 * <p>Equality is a record's: the same key, the same value (the same byte array, not equal contents; or the same packed
 * form), the same revisions and version.
 */
public final class KeyValue {
    private final String key;
    /** The bytes, or null for a tombstone or once packed. */
    private volatile byte[] value;
    /**
     * The value deflated against {@link #packedAgainst} ({@code byte[]}), or a {@link Repacked} (a newest value packed
     * against the dictionary, then superseded: packed again against its successor); null until packed.
     */
    private volatile Object packed;
    /** The {@code KeyValue} whose value it is packed against, or the preset dictionary ({@code byte[]}), or null: alone. */
    private Object packedAgainst;
    private int unpackedLength;
    /**
     * Whether a reader used the value ({@link #inUse()}) since the packer last looked: a newest value still in use is
     * not packed. Plain: a lost write only delays or hastens packing.
     */
    private boolean read;
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

    /** The stored bytes (a copy inflated for this reader when packed); null for a tombstone. Never change them. */
    public byte[] value() {
        byte[] v = value;
        if (v != null) return v;
        Object p = packed; // set before value was cleared: a reader that saw value cleared sees it
        if (p == null) return null;
        if (p instanceof Repacked r) return ValueDeltas.inflate(r.delta, r.against.value(), unpackedLength);
        Object against = packedAgainst;
        return ValueDeltas.inflate((byte[]) p, against instanceof KeyValue kv ? kv.value() : (byte[]) against, unpackedLength);
    }

    /**
     * A value packed again against its successor's (which superseded it after it was packed against its prefix's
     * dictionary): the delta and what it is against in one object, so that a reader sees the one form or the other
     * whole (the first form's fields are never changed once published).
     */
    private record Repacked(byte[] delta, KeyValue against) {
    }

    /**
     * Tells the packer that a reader of the objects the store holds (the registry's: a GET, a LIST, an update, a watch
     * event) uses this revision: the packer leaves a newest value that readers still use as it is (see
     * {@link HistoryPacker}), so that they do not inflate and parse it again and again.
     */
    public void inUse() {
        if (!read) read = true;
    }

    /** The value as {@link #value()}, for such a reader: it counts as a use ({@link #inUse()}). */
    public byte[] readValue() {
        inUse();
        return value();
    }

    /** The packer only: whether the value was {@linkplain #inUse() used} since the previous call. */
    boolean takeRead() {
        boolean was = read;
        if (was) read = false;
        return was;
    }

    /** A tombstone: the key's deletion, which has no value. */
    public boolean isTombstone() {
        return value == null && packed == null;
    }

    /** Whether the value is kept packed (see {@link HistoryPacker}). */
    boolean isPacked() {
        return packed != null;
    }

    /** The packed form's size (0 when not packed). */
    int packedLength() {
        Object p = packed;
        return p == null ? 0 : p instanceof Repacked r ? r.delta.length : ((byte[]) p).length;
    }

    /** Tests: packed without another value to inflate first. */
    boolean packedAlone() {
        Object p = packed;
        return p instanceof byte[] && !(packedAgainst instanceof KeyValue);
    }

    /** Packed against a preset dictionary (and not packed again since against its successor). */
    boolean packedWithDictionary() {
        return packed instanceof byte[] && packedAgainst instanceof byte[];
    }

    /**
     * The packer only: a value {@linkplain #packedWithDictionary() packed against the dictionary} is kept from now on as
     * {@code delta}, deflated against {@code against}'s value (its successor's), in one write.
     */
    void repack(byte[] delta, KeyValue against) {
        packed = new Repacked(delta, against);
    }

    /**
     * The packer only: keeps the value as {@code deflated} (against {@code against}'s value; when null, against
     * {@code dictionary}, or alone when that is null too) and lets the bytes and anything decoded from them go.
     */
    void pack(byte[] deflated, KeyValue against, byte[] dictionary, int length) {
        packedAgainst = against != null ? against : dictionary;
        unpackedLength = length;
        packed = deflated; // volatile: publishes the two fields above
        value = null;
        decoded = null;
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

    /**
     * Leaves the decoded value for the next readers (racing readers may each set theirs: any one is right); not kept
     * once the value is packed.
     */
    public void decoded(Object value) {
        this.decoded = value;
        if (packed != null) this.decoded = null; // packed meanwhile: the packer's clearing may have come first
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true; // also while the packer replaces the value
        return o instanceof KeyValue k && key.equals(k.key) && value == k.value && packed == k.packed
                && createRevision == k.createRevision && modRevision == k.modRevision && version == k.version;
    }

    /** Not of the value, which packing replaces (equal instances still hash alike: they have the same key and revisions). */
    @Override
    public int hashCode() {
        return Objects.hash(key, createRevision, modRevision, version);
    }

    @Override
    public String toString() {
        byte[] v = value;
        Object p = packed;
        return "KeyValue[key=" + key + ", value=" + (p != null ? unpackedLength + " bytes packed in " + packedLength()
                : v == null ? "null" : v.length + " bytes") + ", createRevision="
                + createRevision + ", modRevision=" + modRevision + ", version=" + version + "]";
    }
}
