package kubefake.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.Map;
import java.util.TreeMap;

/**
 * ControllerRevisions as the DaemonSet and StatefulSet controllers keep their history ({@code pkg/controller/history}
 * and {@code controller.ComputeHash}): a revision is an apps/v1 ControllerRevision owned by its controller, named
 * {@code <owner>-<hash>}, labelled with {@code controller-revision-hash}, holding a patch of the owner as data and a
 * revision number.
 *
 * <p>The hash has the real one's form (FNV-1a 32 of the pod template and the collision count, as a decimal string
 * spelled in {@code rand.SafeEncodeString}'s alphabet) but is computed over the template's JSON, not Go's memory dump
 * of the struct, so its value differs from a real cluster's for the same template.
 */
public final class ControllerRevisions {
    public static final String HASH_LABEL = "controller-revision-hash";
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private ControllerRevisions() {
    }

    /** A pod template's hash with the owner's collision count (null when it has none). */
    public static String templateHash(JsonNode template, Integer collisionCount) {
        int h = 0x811c9dc5;
        for (byte b : Json.bytes(sortedKeys(template))) h = (h ^ (b & 0xff)) * 0x01000193;
        if (collisionCount != null) {
            byte[] count = new byte[8]; // binary.LittleEndian.PutUint32 into an 8-byte buffer
            for (int i = 0; i < 4; i++) count[i] = (byte) (collisionCount >>> (8 * i));
            for (byte b : count) h = (h ^ (b & 0xff)) * 0x01000193;
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    /** {@code rand.SafeEncodeString}: each character mapped into an alphabet without vowels or look-alikes. */
    public static String safeEncode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) b.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        return b.toString();
    }

    /** A copy with every object's keys in order, as Go's encoder writes a generic map. */
    public static JsonNode sortedKeys(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), sortedKeys(e.getValue())));
            ObjectNode out = Json.MAPPER.createObjectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(e -> out.add(sortedKeys(e)));
            return out;
        }
        return node;
    }

    /**
     * A new revision of {@code owner} ({@code apiVersion}, {@code kind}, metadata) holding {@code data}: labels are
     * {@code labels} with the hash, annotations the owner's, and the owner its controller.
     */
    public static ObjectNode revision(ObjectNode owner, String hash, JsonNode labels, JsonNode data, long revision) {
        JsonNode meta = owner.path("metadata");
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
        ObjectNode m = r.putObject("metadata");
        m.put("name", Json.text(meta, "name") + "-" + hash).put("namespace", Json.text(meta, "namespace"));
        ObjectNode l = m.putObject("labels");
        if (labels != null && labels.isObject()) l.setAll((ObjectNode) labels.deepCopy());
        l.put(HASH_LABEL, hash);
        if (meta.path("annotations").isObject() && !meta.path("annotations").isEmpty()) m.set("annotations", meta.path("annotations").deepCopy());
        m.putArray("ownerReferences").addObject().put("apiVersion", Json.text(owner, "apiVersion")).put("kind", Json.text(owner, "kind"))
                .put("name", Json.text(meta, "name")).put("uid", Json.text(meta, "uid")).put("controller", true).put("blockOwnerDeletion", true);
        r.set("data", data);
        r.put("revision", revision);
        return r;
    }

    /** The revision number of a ControllerRevision. */
    public static long number(JsonNode revision) {
        return revision.path("revision").asLong(0);
    }
}
