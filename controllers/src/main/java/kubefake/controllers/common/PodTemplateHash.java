package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.nio.charset.StandardCharsets;

/**
 * The hash that names a Deployment's ReplicaSets and a DaemonSet's or StatefulSet's revisions
 * ({@code controller.ComputeHash}): FNV-32a over the pod template, then over the collision count (4 bytes little
 * endian, padded to 8) when there is one, the 32-bit value's decimal digits encoded with
 * {@code rand.SafeEncodeString}.
 */
public final class PodTemplateHash {
    /** apimachinery's {@code rand} alphabet: no vowels, no confusable characters. */
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private PodTemplateHash() {
    }

    /** The hash of a pod template (a tree as stored), and of the collision count when not null. */
    public static String compute(JsonNode template, Integer collisionCount) {
        int h = fnv1a(FNV_OFFSET, TemplateText.of(template).getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            byte[] bytes = new byte[8];
            int c = collisionCount;
            for (int i = 0; i < 4; i++) bytes[i] = (byte) (c >>> (8 * i));
            h = fnv1a(h, bytes);
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    static int fnv1a(int hash, byte[] data) {
        for (byte b : data) {
            hash ^= (b & 0xff);
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** {@code rand.SafeEncodeString}: each byte mapped onto the alphabet. */
    static String safeEncode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) b.append(ALPHANUMS.charAt((s.charAt(i) & 0xff) % ALPHANUMS.length()));
        return b.toString();
    }

    /** The text the hash is taken over. */
    static final class TemplateText {
        private TemplateText() {
        }

        static String of(JsonNode template) {
            return new String(Json.bytes(sorted(template)), StandardCharsets.UTF_8);
        }

        private static JsonNode sorted(JsonNode n) {
            if (n.isObject()) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                n.properties().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> o.set(e.getKey(), sorted(e.getValue())));
                return o;
            }
            if (n.isArray()) {
                var a = Json.MAPPER.createArrayNode();
                n.forEach(e -> a.add(sorted(e)));
                return a;
            }
            return n;
        }
    }
}
