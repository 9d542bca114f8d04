package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;

import java.nio.charset.StandardCharsets;

/**
 * The hash that names a Deployment's ReplicaSets ({@code controller.ComputeHash}): FNV-32a over the pod template as
 * go-spew prints it, then over the collision count (4 bytes little endian, padded to 8) when there is one, the 32-bit
 * value's decimal digits encoded with {@code rand.SafeEncodeString}. For the same template it is the hash a real 1.33
 * cluster computes.
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

    /**
     * The text the hash is taken over: the template as go-spew prints the Go value, as the real controller does; for a
     * template holding a value that printer does not reproduce (see {@link GoSpew}), its JSON with sorted keys (a
     * stable, well-formed hash, but not the one a real cluster computes).
     */
    static final class TemplateText {
        private TemplateText() {
        }

        static String of(JsonNode template) {
            try {
                return GoSpew.podTemplateSpec(template);
            } catch (GoSpew.UnsupportedValueException e) {
                return new String(Json.bytes(Trees.sortedKeys(template)), StandardCharsets.UTF_8);
            }
        }
    }
}
