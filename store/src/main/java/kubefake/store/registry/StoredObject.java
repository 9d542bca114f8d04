package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.KeyValue;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * One object as stored: its JSON without kind and apiVersion (how list items are written), with
 * metadata.resourceVersion already set. Bytes are shared and never mutated.
 *
 * <p>The registry hands every reader of a stored revision the same instance (gets, lists, watch events, informers), and
 * most of them read it as a tree: {@link #tree()} is the one tree of the revision, parsed by its first reader and
 * shared by the others, which must not change it; {@link #toNode()} gives a private copy to change. The tree is kept
 * weakly: it costs no memory once its readers are through. Equality is the record's it was: the same type, the same
 * byte array (not equal contents) or store revision, the same revision.
 *
 * <p>A revision read from the store keeps its bytes there, in its {@link KeyValue}, not here: when the store packs a
 * value nobody reads any more ({@code HistoryPacker}), the bytes go for every holder of the revision (informers keep
 * one per object), and {@link #json()} inflates them for a reader that still asks.
 */
public final class StoredObject {
    private final ResourceType type;
    /** The bytes, or null when they are read from {@link #stored}. */
    private final byte[] json;
    private final KeyValue stored;
    private final long resourceVersion;
    /** Never mutated once published: only copied. */
    private volatile WeakReference<ObjectNode> parsed;
    /** The wire forms encoded so far, as {form, bytes} pairs; kept weakly, as the tree. */
    private volatile WeakReference<Object[]> encodings;

    public StoredObject(ResourceType type, byte[] json, long resourceVersion) {
        this.type = type;
        this.json = json;
        this.stored = null;
        this.resourceVersion = resourceVersion;
    }

    /** The revision as the store holds it, its bytes read from there at each use. */
    StoredObject(ResourceType type, KeyValue stored) {
        this.type = type;
        this.json = null;
        this.stored = stored;
        this.resourceVersion = stored.modRevision();
    }

    /**
     * The revision a write just stored, with the tree the writer built: {@code canonical} is the stored object as
     * {@link ObjectCodec} encoded it (no kind or apiVersion), in its parsed form, and nobody changes it from now on.
     * Its readers then share that tree instead of parsing the bytes (while it lives: it is kept weakly, as a parsed one).
     */
    static StoredObject written(ResourceType type, KeyValue stored, ObjectNode canonical) {
        StoredObject s = new StoredObject(type, stored);
        ObjectNode tree = Json.MAPPER.createObjectNode();
        tree.put("kind", type.kind()).put("apiVersion", type.groupVersion());
        tree.setAll(canonical);
        if (FrozenTree.ENABLED) {
            // in the tests: the handed tree must stand for a parse of the bytes, and its readers may not change it
            if (!tree.equals(s.parse())) throw new IllegalStateException("the tree written for " + s.describe() + " is not what its bytes parse to");
            tree = FrozenTree.of(tree, s::describe);
        }
        s.parsed = new WeakReference<>(tree);
        return s;
    }

    public ResourceType type() {
        return type;
    }

    public byte[] json() {
        return json != null ? json : stored.readValue();
    }

    public long resourceVersion() {
        return resourceVersion;
    }

    /**
     * The object as a tree with kind and apiVersion first, shared by every reader of this revision: read it, never
     * change it (or anything taken from it); {@link #toNode()} is the copy to change.
     */
    public ObjectNode tree() {
        WeakReference<ObjectNode> ref = parsed;
        ObjectNode tree = ref == null ? null : ref.get();
        if (tree == null) {
            tree = parse();
            // in the tests, frozen: a reader that tries to change what the others read fails in the act
            if (FrozenTree.ENABLED) tree = FrozenTree.of(tree, this::describe);
            parsed = new WeakReference<>(tree);
        }
        return tree;
    }

    /** Which object and revision this is, for the failure of a reader that changed the shared tree. */
    private String describe() {
        ObjectNode meta = Json.metadata(Json.parseObject(json()));
        String namespace = Json.text(meta, "namespace");
        return type.resource() + (type.group().isEmpty() ? "" : "." + type.group()) + " "
                + (namespace.isEmpty() ? "" : namespace + "/") + Json.text(meta, "name") + " at resourceVersion "
                + resourceVersion;
    }

    private ObjectNode parse() {
        ObjectNode tree = Json.MAPPER.createObjectNode();
        tree.put("kind", type.kind()).put("apiVersion", type.groupVersion());
        tree.setAll(Json.parseObject(json()));
        return tree;
    }

    /**
     * The object in a wire form other than its JSON (protobuf), encoded by the first reader that asks and shared by
     * the others, as kube-apiserver's {@code cachingObject} shares an event's serialization among its watchers: a
     * revision is encoded once per form however many watches send it. {@code form} identifies the encoding (equal
     * forms, equal bytes); the bytes are shared: never change them.
     */
    public byte[] encoded(Object form, Function<StoredObject, byte[]> encoder) {
        WeakReference<Object[]> ref = encodings;
        Object[] known = ref == null ? null : ref.get();
        if (known != null) {
            for (int i = 0; i < known.length; i += 2) {
                if (known[i].equals(form)) return (byte[]) known[i + 1];
            }
        }
        byte[] bytes = encoder.apply(this);
        Object[] more = known == null ? new Object[2] : java.util.Arrays.copyOf(known, known.length + 2);
        more[more.length - 2] = form;
        more[more.length - 1] = bytes;
        encodings = new WeakReference<>(more); // a racing reader's form may be lost: it is encoded again, no harm
        return bytes;
    }

    /** The object as a fresh tree with kind and apiVersion first, the caller's to change. */
    public ObjectNode toNode() {
        return tree().deepCopy();
    }

    /** The JSON of the object with kind and apiVersion, as GET returns it. */
    public byte[] withTypeMeta() {
        return withTypeMeta(false);
    }

    /** The same, with the newline Go's JSON encoder ends a reply with when asked (one copy for the reply). */
    public byte[] withTypeMeta(boolean newline) {
        byte[] json = json();
        byte[] prefix = ("{\"kind\":\"" + type.kind() + "\",\"apiVersion\":\"" + type.groupVersion() + "\""
                + (json.length > 2 ? "," : "")).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + json.length - 1 + (newline ? 1 : 0)];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 1, out, prefix.length, json.length - 1);
        if (newline) out[out.length - 1] = '\n';
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredObject s && type.equals(s.type) && json == s.json && stored == s.stored
                && resourceVersion == s.resourceVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, System.identityHashCode(json != null ? json : stored), resourceVersion);
    }

    @Override
    public String toString() {
        return "StoredObject[type=" + type + ", " + json().length + " bytes, resourceVersion=" + resourceVersion + "]";
    }
}
