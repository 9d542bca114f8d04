package kubefake.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import kubefake.certs.ServiceAccountKey;
import kubefake.controllers.serviceaccount.TokensController;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.UserInfo;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Service account tokens as kube-apiserver issues and checks them: TokenRequest ({@code kubectl create token SA
 * [--duration D] [--bound-object-kind Pod --bound-object-name P]}) gives a JWT signed with the cluster's
 * {@code sa.key}, issuer and audience {@code https://kubernetes.default.svc.cluster.local} (kubeadm's
 * --service-account-issuer, which --api-audiences defaults to); a request bearing one is the user
 * {@code system:serviceaccount:NS:NAME} in {@code system:serviceaccounts} and {@code system:serviceaccounts:NS} while
 * the token has not expired and its service account (and bound pod or secret) still exists with the same uid.
 */
public final class ServiceAccountTokens implements TokenAuthenticator {
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    private static final String CREDENTIAL_ID = "authentication.kubernetes.io/credential-id";

    private final Registry registry;
    private final Clock clock;
    private final ServiceAccountKey key;

    public ServiceAccountTokens(Registry registry, KeyPair serviceAccountKey, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.key = new ServiceAccountKey(serviceAccountKey);
    }

    /**
     * Answers a TokenRequest for service account {@code name} in {@code namespace}: the request with
     * {@code spec} defaulted and {@code status.token} and {@code status.expirationTimestamp} filled in.
     */
    public ObjectNode request(String namespace, String name, ObjectNode tokenRequest) {
        StoredObject sa = registry.resource("", "serviceaccounts").find(namespace, name);
        if (sa == null) throw StatusException.notFound("", "serviceaccounts", name);
        ObjectNode spec = tokenRequest.get("spec") instanceof ObjectNode s ? s.deepCopy() : Json.MAPPER.createObjectNode();
        if (spec.path("audiences").size() == 0) spec.putArray("audiences").add(ISSUER);
        long seconds = spec.path("expirationSeconds").isNumber() ? spec.path("expirationSeconds").asLong() : DEFAULT_EXPIRATION_SECONDS;
        spec.put("expirationSeconds", seconds);
        if (seconds < 600 || seconds > (1L << 32)) {
            String detail = seconds < 600 ? "may not specify a duration less than 10 minutes" : "may not specify a duration larger than 2^32 seconds";
            throw StatusException.invalid("authentication.k8s.io", "TokenRequest", name,
                    List.of(FieldError.invalid(FieldPath.of("spec", "expirationSeconds"), seconds, detail).toCause()));
        }
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("namespace", namespace);
        Map<String, Object> extraClaims = bound(namespace, spec.path("boundObjectRef"));
        kubernetes.putAll(extraClaims);
        kubernetes.put("serviceaccount", Map.of("name", name, "uid", uid(sa)));
        if (!spec.has("boundObjectRef")) spec.putNull("boundObjectRef");
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(seconds);
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .audience(audiences).expirationTime(Date.from(expires)).issueTime(Date.from(now)).issuer(ISSUER)
                .jwtID(UUID.randomUUID().toString()).claim("kubernetes.io", kubernetes).notBeforeTime(Date.from(now))
                .subject("system:serviceaccount:" + namespace + ":" + name).build();
        String token;
        try {
            token = key.sign(claims);
        } catch (IllegalStateException e) {
            throw StatusException.internal(e.getMessage());
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", "TokenRequest").put("apiVersion", "authentication.k8s.io/v1");
        out.putObject("metadata").put("name", name).put("namespace", namespace).putNull("creationTimestamp");
        out.set("spec", spec);
        out.putObject("status").put("token", token)
                .put("expirationTimestamp", DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        return out;
    }

    /** The pod or secret a token is bound to (it is valid only while that object exists), as claims. */
    private Map<String, Object> bound(String namespace, JsonNode ref) {
        if (!ref.isObject()) return Map.of();
        String kind = ref.path("kind").asText("");
        String name = ref.path("name").asText("");
        String resource = switch (kind) {
            case "Pod" -> "pods";
            case "Secret" -> "secrets";
            default -> throw StatusException.badRequest("cannot bind token for object of type " + kind);
        };
        StoredObject o = registry.resource("", resource).find(namespace, name);
        if (o == null) throw StatusException.notFound("", resource, name);
        String uid = uid(o);
        if (!ref.path("uid").asText("").isEmpty() && !ref.path("uid").asText().equals(uid)) {
            throw StatusException.conflict("", resource, name, "the UID in the bound object reference (" + ref.path("uid").asText()
                    + ") does not match the UID in record. The object might have been deleted and then recreated");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        if (kind.equals("Pod")) {
            String node = o.toNode().path("spec").path("nodeName").asText("");
            if (!node.isEmpty()) {
                StoredObject n = registry.resource("", "nodes").find("", node);
                if (n != null) claims.put("node", Map.of("name", node, "uid", uid(n)));
            }
            claims.put("pod", Map.of("name", name, "uid", uid));
        } else {
            claims.put("secret", Map.of("name", name, "uid", uid));
        }
        return claims;
    }

    @Override
    public UserInfo user(String token) {
        return review(token, List.of(ISSUER)).user();
    }

    /**
     * Who the token is when presented for one of {@code audiences}, and which of them it names. Legacy Secret tokens
     * name no audience: they are good for the API's only, as kube-apiserver wraps their validator.
     */
    public TokenReviewer.Review review(String token, List<String> audiences) {
        TokenReviewer.Review none = new TokenReviewer.Review(null, List.of());
        JWTClaimsSet claims = key.verified(token);
        if (claims == null) return none;
        try {
            if (TokensController.LEGACY_ISSUER.equals(claims.getIssuer())) {
                if (!audiences.contains(ISSUER)) return none;
                UserInfo legacy = legacyUser(token, claims);
                return legacy == null ? none : new TokenReviewer.Review(legacy, List.of(ISSUER));
            }
            if (!ISSUER.equals(claims.getIssuer())) return none;
            Date exp = claims.getExpirationTime();
            if (exp == null || !exp.toInstant().isAfter(clock.instant())) return none;
            List<String> named = claims.getAudience() == null ? List.of()
                    : audiences.stream().filter(claims.getAudience()::contains).toList();
            if (named.isEmpty()) return none;
            UserInfo user = boundUser(claims);
            return user == null ? none : new TokenReviewer.Review(user, named);
        } catch (java.text.ParseException | RuntimeException e) {
            return none;
        }
    }

    /** The service account a current token stands for, while what it is bound to exists; null otherwise. */
    private UserInfo boundUser(JWTClaimsSet claims) throws java.text.ParseException {
        Map<String, Object> k8s = claims.getJSONObjectClaim("kubernetes.io");
        if (k8s == null) return null;
        String namespace = String.valueOf(k8s.get("namespace"));
        if (!(k8s.get("serviceaccount") instanceof Map<?, ?> sa)) return null;
        String name = String.valueOf(sa.get("name"));
        StoredObject stored = registry.resource("", "serviceaccounts").find(namespace, name);
        if (stored == null || !uid(stored).equals(sa.get("uid"))) return null;
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put(CREDENTIAL_ID, List.of("JTI=" + claims.getJWTID()));
        if (!stillBound(namespace, k8s, "pod", "pods", extra) || !stillBound(namespace, k8s, "secret", "secrets", extra)) return null;
        if (k8s.get("node") instanceof Map<?, ?> node) {
            extra.put("authentication.kubernetes.io/node-name", List.of(String.valueOf(node.get("name"))));
            extra.put("authentication.kubernetes.io/node-uid", List.of(String.valueOf(node.get("uid"))));
        }
        return accountUser(namespace, name, uid(stored), extra);
    }

    private static UserInfo accountUser(String namespace, String name, String uid, Map<String, List<String>> extra) {
        return new UserInfo("system:serviceaccount:" + namespace + ":" + name, uid,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, UserInfo.AUTHENTICATED), extra);
    }

    /**
     * A token from a {@code kubernetes.io/service-account-token} Secret (the legacy validator): good while the Secret
     * exists, not being deleted, still holds exactly this token, and its account exists with the uid in the token.
     */
    private UserInfo legacyUser(String token, JWTClaimsSet claims) throws java.text.ParseException {
        String namespace = claims.getStringClaim(TokensController.CLAIM_NAMESPACE);
        String secretName = claims.getStringClaim(TokensController.CLAIM_SECRET_NAME);
        String name = claims.getStringClaim(TokensController.CLAIM_ACCOUNT_NAME);
        String uid = claims.getStringClaim(TokensController.CLAIM_ACCOUNT_UID);
        if (namespace == null || secretName == null || name == null || uid == null) return null;
        StoredObject secret = registry.resource("", "secrets").find(namespace, secretName);
        if (secret == null || secret.tree().path("metadata").has("deletionTimestamp")) return null;
        String held = secret.tree().path("data").path("token").asText("");
        if (held.isEmpty() || !new String(Base64.getDecoder().decode(held), java.nio.charset.StandardCharsets.UTF_8).equals(token)) return null;
        StoredObject account = registry.resource("", "serviceaccounts").find(namespace, name);
        if (account == null || !uid(account).equals(uid) || account.tree().path("metadata").has("deletionTimestamp")) return null;
        return accountUser(namespace, name, uid, Map.of());
    }

    /** A token bound to a pod or secret is good only while that object exists with the uid it was issued for. */
    private boolean stillBound(String namespace, Map<String, Object> k8s, String claim, String resource, Map<String, List<String>> extra) {
        if (!(k8s.get(claim) instanceof Map<?, ?> ref)) return true;
        StoredObject o = registry.resource("", resource).find(namespace, String.valueOf(ref.get("name")));
        if (o == null || !uid(o).equals(ref.get("uid"))) return false;
        if (claim.equals("pod")) {
            extra.put("authentication.kubernetes.io/pod-name", List.of(String.valueOf(ref.get("name"))));
            extra.put("authentication.kubernetes.io/pod-uid", List.of(String.valueOf(ref.get("uid"))));
        }
        return true;
    }

    private static String uid(StoredObject o) {
        return Json.metadata(o.toNode()).path("uid").asText("");
    }
}
