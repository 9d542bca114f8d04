package kubefake.store.registry;

import kubefake.store.mvcc.KeyValue;
import kubefake.store.mvcc.RevisionStamper;
import kubefake.store.mvcc.ValueEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Turns an object tree into the bytes the store keeps: kind and apiVersion dropped (the resource type knows them),
 * metadata first with its fields in the order the real API server writes them, status last, and the write's
 * revision as metadata.resourceVersion.
 */
final class ObjectCodec {
    /** Gives stored objects their resourceVersion on read, for stores that commit before they know it (etcd). */
    static final RevisionStamper STAMPER = (stored, revision) -> encode(Json.parseObject(stored), revision);

    private static final List<String> METADATA_ORDER = List.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

    private ObjectCodec() {
    }

    /** A copy of the object in storage order, without kind/apiVersion; resourceVersion is filled by {@link #encode}. */
    static ObjectNode canonical(ObjectNode object) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode meta = Json.MAPPER.createObjectNode();
        JsonNode oldMeta = object.get("metadata");
        if (oldMeta instanceof ObjectNode om) {
            for (String f : METADATA_ORDER) {
                JsonNode v = om.get(f);
                if (v != null && !v.isNull()) meta.set(f, v);
            }
            om.fields().forEachRemaining(e -> {
                if (!meta.has(e.getKey()) && !e.getValue().isNull() && !METADATA_ORDER.contains(e.getKey())) {
                    meta.set(e.getKey(), e.getValue());
                }
            });
        }
        out.set("metadata", meta);
        object.fields().forEachRemaining(e -> {
            String k = e.getKey();
            if (!k.equals("kind") && !k.equals("apiVersion") && !k.equals("metadata") && !k.equals("status")) {
                out.set(k, e.getValue());
            }
        });
        JsonNode status = object.get("status");
        if (status != null && !status.isNull()) out.set("status", status);
        return out;
    }

    /**
     * The encoder of a write of {@code canonical} (which the writer no longer changes) as a {@code type} object: its
     * stored bytes at the write's revision, and the revision's {@link StoredObject} with {@code canonical} as its
     * shared tree, so that the revision's readers (informers, watch triggers, the writer's own caller) read the tree
     * the writer built instead of parsing its bytes. The tree is put in its parsed form first, outside the store's
     * lock; one that cannot stand for its bytes' parse is not handed over.
     */
    static ValueEncoder encoder(ResourceType type, ObjectNode canonical) {
        boolean shareable = ParsedForm.normalize(canonical);
        return new ValueEncoder() {
            private long revision;

            @Override
            public byte[] encode(long revision) {
                this.revision = revision;
                return ObjectCodec.encode(canonical, revision);
            }

            @Override
            public Object decoded(KeyValue stored) {
                return shareable && revision != 0 ? StoredObject.written(type, stored, canonical) : null;
            }
        };
    }

    /**
     * The stored bytes of a canonical object at a revision (mutates its resourceVersion). Revision 0 (a store that
     * learns the revision only when the write commits: etcd) stores it without one, as Kubernetes does.
     */
    static byte[] encode(ObjectNode canonical, long revision) {
        ObjectNode meta = (ObjectNode) canonical.get("metadata");
        if (revision == 0) {
            meta.remove("resourceVersion");
            return Json.bytes(canonical);
        }
        // resourceVersion keeps its place in the canonical order: rebuild only when it is new
        if (meta.has("resourceVersion")) {
            meta.put("resourceVersion", Long.toString(revision));
        } else {
            ObjectNode ordered = Json.MAPPER.createObjectNode();
            boolean placed = false;
            for (var it = meta.fields(); it.hasNext(); ) {
                var e = it.next();
                int idx = METADATA_ORDER.indexOf(e.getKey());
                if (!placed && (idx < 0 || idx > METADATA_ORDER.indexOf("resourceVersion"))) {
                    ordered.put("resourceVersion", Long.toString(revision));
                    placed = true;
                }
                ordered.set(e.getKey(), e.getValue());
            }
            if (!placed) ordered.put("resourceVersion", Long.toString(revision));
            canonical.set("metadata", ordered);
        }
        return Json.bytes(canonical);
    }
}
