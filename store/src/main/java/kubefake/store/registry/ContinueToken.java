package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.GoJsonSyntax;
import kubefake.store.registry.errors.StatusException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque continue token of a paginated list, shaped like the real API server's: base64url (no padding) of
 * {"v":"meta.k8s.io/v1","rv":REVISION,"start":"KEY-after-the-resource-prefix\u0000"}.
 */
record ContinueToken(long revision, String startKey) {
    /** Go's decoder takes duplicate keys (the last wins). */
    private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT = new com.fasterxml.jackson.databind.ObjectMapper();

    String encode() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("v", "meta.k8s.io/v1").put("rv", revision).put("start", startKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(n));
    }

    /**
     * The token of a request, checked as storage's {@code DecodeContinue}: a bad one is a 400 {@code invalid continue
     * token: continue key is not valid...}. A negative revision means "the latest" (0 here).
     */
    static ContinueToken decode(String token) {
        byte[] raw;
        try {
            if (token.indexOf('=') >= 0) throw new IllegalArgumentException("padding");
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid("continue key is not valid: illegal base64 data at input byte " + badBase64Offset(token));
        }
        String syntax = GoJsonSyntax.error(raw);
        if (syntax != null) throw invalid("continue key is not valid: " + syntax);
        JsonNode n;
        try {
            n = LENIENT.readTree(raw);
        } catch (java.io.IOException e) {
            throw invalid("continue key is not valid: " + e.getMessage());
        }
        if (!n.isObject() && !n.isNull()) {
            throw invalid("continue key is not valid: json: cannot unmarshal " + (n.isArray() ? "array"
                    : n.isTextual() ? "string" : n.isNumber() ? "number" : "bool") + " into Go value of type storage.continueToken");
        }
        for (var e : n.properties()) {
            JsonNode v = e.getValue();
            boolean ok = switch (e.getKey()) {
                case "v", "start" -> v.isTextual() || v.isNull();
                case "rv" -> v.isNull() || v.isIntegralNumber() && v.canConvertToLong();
                default -> true;
            };
            if (!ok) {
                String kind = v.isObject() ? "object" : v.isArray() ? "array" : v.isTextual() ? "string" : v.isBoolean() ? "bool"
                        : e.getKey().equals("rv") ? "number " + v.asText() : "number";
                throw invalid("continue key is not valid: json: cannot unmarshal " + kind + " into Go struct field continueToken."
                        + e.getKey() + " of type " + (e.getKey().equals("rv") ? "int64" : "string"));
            }
        }
        String version = n.path("v").isTextual() ? n.path("v").textValue() : "";
        long rv = n.path("rv").canConvertToLong() ? n.path("rv").longValue() : 0;
        String start = n.path("start").isTextual() ? n.path("start").textValue() : "";
        if (!version.equals("meta.k8s.io/v1")) {
            throw invalid("continue key is not valid: server does not recognize this encoded version " + version);
        }
        if (rv == 0) throw invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        if (start.isEmpty()) throw invalid("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        // path.Clean must leave the key alone: no climbing out of the resource's prefix
        String key = start.startsWith("/") ? start : "/" + start;
        if (!cleanPath(key).equals(key)) throw invalid("continue key is not valid: " + start);
        return new ContinueToken(rv, key);
    }

    private static StatusException invalid(String why) {
        return StatusException.badRequest("invalid continue token: " + why);
    }

    /** Where Go's base64.RawURLEncoding stops: the first byte outside the alphabet, or the dangling last one. */
    private static int badBase64Offset(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) return i;
        }
        return Math.max(token.length() - 1, 0);
    }

    /** Go's {@code path.Clean} of an absolute path. */
    static String cleanPath(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
