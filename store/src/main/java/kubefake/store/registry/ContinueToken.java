package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque continue token of a paginated list, shaped like the real API server's: base64url (no padding) of
 * {"v":"meta.k8s.io/v1","rv":REVISION,"start":"KEY-after-the-resource-prefix\u0000"}.
 */
record ContinueToken(long revision, String startKey) {

    String encode() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("v", "meta.k8s.io/v1").put("rv", revision).put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
    }

    static ContinueToken decode(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token.replace("=", ""));
            JsonNode n = Json.MAPPER.readTree(new String(raw, StandardCharsets.UTF_8));
            if (!"meta.k8s.io/v1".equals(n.path("v").asText())) throw new IllegalArgumentException("version");
            long rv = n.path("rv").asLong(0);
            String start = n.path("start").asText("");
            if (rv <= 0 || start.isEmpty()) throw new IllegalArgumentException("fields");
            return new ContinueToken(rv, start);
        } catch (Exception e) {
            throw StatusException.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
