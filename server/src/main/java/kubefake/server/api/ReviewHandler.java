package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.auth.TokenReviewer;
import kubefake.server.http.ApiRequest;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.authorization.RuleResolver;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The reviews kubectl asks for (`auth can-i`, `auth can-i --list`, `auth whoami`): access reviews are answered by
 * the same {@link Authorizer} that decides the front end's requests, for the caller (SelfSubjectAccessReview) or
 * for the review's subject (SubjectAccessReview, LocalSubjectAccessReview in the URL's namespace); TokenReviews by
 * the front end's own token authenticators ({@link TokenReviewer}).
 */
final class ReviewHandler {
    private ReviewHandler() {
    }

    /** The review with its status filled in; {@code namespace} is the URL's (LocalSubjectAccessReview). */
    static ObjectNode create(ResourceType type, ApiRequest req, String namespace, Authorizer authorizer,
                             TokenReviewer tokens) {
        ObjectNode review = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), type);
        if (type.kind().equals("TokenReview") && review.path("spec").path("token").asText("").isEmpty()) {
            throw StatusException.badRequest("token is required for TokenReview in authentication");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", type.kind()).put("apiVersion", type.groupVersion());
        ObjectNode metadata = review.get("metadata") instanceof ObjectNode m ? m : Json.MAPPER.createObjectNode();
        metadata.remove("creationTimestamp");
        out.set("metadata", metadata);
        if (review.has("spec")) out.set("spec", review.get("spec"));
        ObjectNode status = out.putObject("status");
        UserInfo user = req.user();
        switch (type.kind()) {
            case "SelfSubjectReview" -> userInfo(status.putObject("userInfo"), user);
            case "SelfSubjectRulesReview" -> rulesReview(status, user, out.path("spec").path("namespace").asText(""), authorizer);
            case "TokenReview" -> tokenReview(status, out.path("spec"), tokens);
            default -> {
                JsonNode spec = out.path("spec");
                UserInfo subject = type.kind().equals("SelfSubjectAccessReview") ? user : subject(spec);
                String scope = type.kind().equals("LocalSubjectAccessReview") ? namespace : null;
                Decision decision = authorizer.authorize(attributes(subject, spec, scope));
                status.put("allowed", decision.allowed());
                if (!decision.reason().isEmpty()) status.put("reason", decision.reason());
            }
        }
        return out;
    }

    /** authentication.k8s.io's UserInfo of a user. */
    private static void userInfo(ObjectNode info, UserInfo user) {
        info.put("username", user.name());
        if (!user.uid().isEmpty()) info.put("uid", user.uid());
        ArrayNode groups = info.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = info.putObject("extra");
            new java.util.TreeMap<>(user.extra()).forEach((k, v) -> {
                ArrayNode values = extra.putArray(k);
                v.forEach(values::add);
            });
        }
    }

    /**
     * TokenReview's status: who the token is for the audiences asked (the API's when none), and which of them it is
     * good for; a token nobody knows is simply not authenticated, with an empty user.
     */
    private static void tokenReview(ObjectNode status, JsonNode spec, TokenReviewer tokens) {
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        TokenReviewer.Review review = tokens == null ? new TokenReviewer.Review(null, List.of())
                : tokens.review(spec.path("token").asText(""), audiences);
        if (review.user() == null) {
            status.putObject("user");
            return;
        }
        status.put("authenticated", true);
        userInfo(status.putObject("user"), review.user());
        ArrayNode auds = status.putArray("audiences");
        review.audiences().forEach(auds::add);
    }

    /** SelfSubjectRulesReview's status: the rules the authorizer lists for the user in the namespace. */
    private static void rulesReview(ObjectNode status, UserInfo user, String namespace, Authorizer authorizer) {
        if (!(authorizer instanceof RuleResolver resolver)) {
            status.putArray("resourceRules");
            status.putArray("nonResourceRules");
            status.put("incomplete", true);
            return;
        }
        RuleResolver.Rules rules = resolver.rulesFor(user, namespace);
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (RuleResolver.ResourceRule r : rules.resourceRules()) {
            ObjectNode rule = resourceRules.addObject();
            strings(rule, "verbs", r.verbs(), true);
            strings(rule, "apiGroups", r.apiGroups(), false);
            strings(rule, "resources", r.resources(), false);
            strings(rule, "resourceNames", r.resourceNames(), false);
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (RuleResolver.NonResourceRule r : rules.nonResourceRules()) {
            ObjectNode rule = nonResourceRules.addObject();
            strings(rule, "verbs", r.verbs(), true);
            strings(rule, "nonResourceURLs", r.nonResourceURLs(), false);
        }
        status.put("incomplete", rules.incomplete());
        if (!rules.evaluationError().isEmpty()) status.put("evaluationError", rules.evaluationError());
    }

    private static void strings(ObjectNode node, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) return;
        ArrayNode a = node.putArray(field);
        values.forEach(a::add);
    }

    /** A SubjectAccessReview's subject: spec.user, spec.uid and spec.groups. */
    private static UserInfo subject(JsonNode spec) {
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        return new UserInfo(spec.path("user").asText(""), spec.path("uid").asText(""), groups);
    }

    /** What the review asks about: spec.resourceAttributes or spec.nonResourceAttributes. */
    private static AuthorizationAttributes attributes(UserInfo subject, JsonNode spec, String namespace) {
        JsonNode nonResource = spec.path("nonResourceAttributes");
        if (!spec.has("resourceAttributes") && nonResource.isObject()) {
            return AuthorizationAttributes.nonResource(subject, nonResource.path("verb").asText(""),
                    nonResource.path("path").asText(""));
        }
        JsonNode r = spec.path("resourceAttributes");
        return AuthorizationAttributes.resource(subject, r.path("verb").asText(""), r.path("group").asText(""),
                r.path("resource").asText(""), r.path("subresource").asText(""),
                namespace != null ? namespace : r.path("namespace").asText(""), r.path("name").asText(""));
    }
}
