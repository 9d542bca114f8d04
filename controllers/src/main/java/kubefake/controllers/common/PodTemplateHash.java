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
    private PodTemplateHash() {
    }

    /** The hash of a pod template (a tree as stored), and of the collision count when not null. */
    public static String compute(JsonNode template, Integer collisionCount) {
        Fnv32 h = Fnv32.fnv1a().write(TemplateText.of(template).getBytes(StandardCharsets.UTF_8));
        if (collisionCount != null) {
            byte[] bytes = new byte[8];
            int c = collisionCount;
            for (int i = 0; i < 4; i++) bytes[i] = (byte) (c >>> (8 * i));
            h.write(bytes);
        }
        return h.safeEncoded();
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
