package kubefake.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.Fnv32;
import kubefake.controllers.common.Trees;
import kubefake.store.registry.Json;
import kubefake.store.registry.fieldvalidation.GoJson;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The ControllerRevisions of StatefulSets and DaemonSets ({@code pkg/controller/history}): snapshots of a
 * controller's template, named {@code <parent>-<hash of the data>}, labelled with {@code controller.kubernetes.io/hash},
 * numbered by {@code revision}, owned by the parent. A revision whose data already exists under another number is
 * renumbered rather than created again.
 */
public final class ControllerHistory {
    public static final String HASH_LABEL = "controller.kubernetes.io/hash";
    /**
     * The label DaemonSet and StatefulSet pods (and a DaemonSet's revisions) carry with the hash of the revision they
     * were made from ({@code apps.ControllerRevisionHashLabelKey}).
     */
    public static final String POD_REVISION_LABEL = "controller-revision-hash";

    private final ResourceClient revisions;

    public ControllerHistory(Client client) {
        this.revisions = client.resource("apps", "controllerrevisions");
    }

    /** {@code ControllerRevisionName}: the parent's name (at most 223 characters) and the hash. */
    public static String revisionName(String parentName, String hash) {
        String prefix = parentName.length() > 223 ? parentName.substring(0, 223) : parentName;
        return prefix + "-" + hash;
    }

    /**
     * The exact bytes a revision stores for this data: as Go's {@code json.Marshal} writes a decoded
     * {@code map[string]interface{}}, keys sorted at every level.
     */
    public static String encode(JsonNode data) {
        StringBuilder out = new StringBuilder();
        GoJson.value(out, Trees.sortedKeys(data));
        return out.toString();
    }


    /** {@code HashControllerRevision}: FNV-1 (32 bits) over the data's bytes, then the collision count's digits when given. */
    public static String hash(String rawData, Integer collisionCount) {
        Fnv32 h = Fnv32.fnv1().write(rawData.getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) h.write(Integer.toString(collisionCount).getBytes(StandardCharsets.UTF_8));
        return h.safeEncoded();
    }

    /**
     * A revision of the parent ({@code NewControllerRevision}): the template's labels plus the hash label, a controller
     * reference, the data and the number.
     */
    public static ObjectNode newRevision(JsonNode parent, String parentApiVersion, String parentKind, Map<String, String> templateLabels,
                                         JsonNode data, long revision, Integer collisionCount) {
        String raw = encode(data);
        String hash = hash(raw, collisionCount);
        ObjectNode cr = Json.MAPPER.createObjectNode();
        cr.put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
        ObjectNode meta = cr.putObject("metadata");
        meta.put("name", revisionName(Meta.name(parent), hash)).put("namespace", Meta.namespace(parent));
        ObjectNode labels = meta.putObject("labels");
        templateLabels.forEach(labels::put);
        labels.put(HASH_LABEL, hash);
        meta.putArray("ownerReferences").add(OwnerReference.controllerRef(parent, parentApiVersion, parentKind).toJson());
        cr.set("data", Json.parseObject(raw.getBytes(StandardCharsets.UTF_8)));
        Trees.putNumber(cr, "revision", revision);
        return cr;
    }

    /** The parent's revisions and the orphans its selector matches ({@code ListControllerRevisions}). */
    public List<ObjectNode> list(JsonNode parent, java.util.function.Predicate<JsonNode> selector, List<StoredObject> cached) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : cached) {
            ObjectNode cr = o.toNode();
            if (!selector.test(cr)) continue;
            OwnerReference ref = OwnerReference.controllerOf(cr);
            if (ref == null || ref.uid().equals(Meta.uid(parent))) out.add(cr);
        }
        return out;
    }

    public static long revisionNumber(JsonNode cr) {
        return cr.path("revision").asLong(0);
    }

    /** By revision number, then creation time, then name ({@code SortControllerRevisions}). */
    public static void sort(List<ObjectNode> revisions) {
        revisions.sort(Comparator.<ObjectNode>comparingLong(ControllerHistory::revisionNumber)
                .thenComparing((ObjectNode r) -> {
                    Instant t = Meta.creationTimestamp(r);
                    return t == null ? Instant.MIN : t;
                })
                .thenComparing(Meta::name));
    }

    /** {@code EqualRevision}: the same hash label and the same data. */
    public static boolean equal(JsonNode a, JsonNode b) {
        String ha = Meta.labels(a).get(HASH_LABEL);
        String hb = Meta.labels(b).get(HASH_LABEL);
        if (ha == null || !ha.equals(hb)) return false;
        return encode(a.path("data")).equals(encode(b.path("data")));
    }

    /**
     * Creates the revision, or finds it created already with the same data; on a name taken by other data the
     * collision count goes up and the name is computed again ({@code CreateControllerRevision}).
     *
     * @param collisionCount one element (the parent's status.collisionCount, 0 when unset), raised in place on a collision
     */
    public ObjectNode create(JsonNode parent, ObjectNode revision, int[] collisionCount) {
        String raw = encode(revision.path("data"));
        while (true) {
            ObjectNode clone = revision.deepCopy();
            String hash = hash(raw, collisionCount[0]);
            String name = revisionName(Meta.name(parent), hash);
            Json.metadata(clone).put("name", name);
            Meta.labelsNode(clone).put(HASH_LABEL, hash);
            try {
                return revisions.create(clone).toNode();
            } catch (StatusException e) {
                if (e.code() != 409 || !"AlreadyExists".equals(e.reason())) throw e;
                ObjectNode exists = revisions.get(Meta.namespace(parent), name).toNode();
                if (encode(exists.path("data")).equals(raw)) return exists;
                collisionCount[0]++;
            }
        }
    }

    /** Gives the revision a new number ({@code UpdateControllerRevision}). */
    public ObjectNode renumber(ObjectNode revision, long number) {
        if (revisionNumber(revision) == number) return revision;
        return revisions.patch(Meta.namespace(revision), Meta.name(revision), cr -> {
            Trees.putNumber(cr, "revision", number);
            return cr;
        }).toNode();
    }

    public void delete(ObjectNode revision) {
        try {
            revisions.delete(Meta.namespace(revision), Meta.name(revision));
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }
}
