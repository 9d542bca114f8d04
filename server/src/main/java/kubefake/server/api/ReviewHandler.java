package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.http.ApiRequest;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.authorization.Authorizer;
import kubefake.store.registry.authorization.Decision;
import kubefake.store.registry.request.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The reviews kubectl asks for (`auth can-i`, `auth can-i --list`, `auth whoami`): access reviews are answered by
 * the same {@link Authorizer} that decides the front end's requests, for the caller (SelfSubjectAccessReview) or
 * for the review's subject (SubjectAccessReview, LocalSubjectAccessReview in the URL's namespace).
 */
final class ReviewHandler {
    private ReviewHandler() {
    }

    /** The review with its status filled in; {@code namespace} is the URL's (LocalSubjectAccessReview). */
    static ObjectNode create(ResourceType type, ApiRequest req, String namespace, Authorizer authorizer) {
        ObjectNode review = BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), type);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", type.kind()).put("apiVersion", type.groupVersion());
        ObjectNode metadata = review.get("metadata") instanceof ObjectNode m ? m : Json.MAPPER.createObjectNode();
        metadata.remove("creationTimestamp");
        out.set("metadata", metadata);
        if (review.has("spec")) out.set("spec", review.get("spec"));
        ObjectNode status = out.putObject("status");
        UserInfo user = req.user();
        switch (type.kind()) {
            case "SelfSubjectReview" -> {
                ObjectNode info = status.putObject("userInfo");
                info.put("username", user.name());
                if (!user.uid().isEmpty()) info.put("uid", user.uid());
                ArrayNode groups = info.putArray("groups");
                user.groups().forEach(groups::add);
            }
            case "SelfSubjectRulesReview" -> {
                // until RBAC the authorizer allows every authenticated user everything: one rule says so
                ObjectNode rule = status.putArray("resourceRules").addObject();
                rule.putArray("verbs").add("*");
                rule.putArray("apiGroups").add("*");
                rule.putArray("resources").add("*");
                ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
                nonResource.putArray("verbs").add("*");
                nonResource.putArray("nonResourceURLs").add("*");
                status.put("incomplete", false);
            }
            default -> {
                JsonNode spec = out.path("spec");
                UserInfo subject = type.kind().equals("SelfSubjectAccessReview") ? user : subject(spec);
                String scope = type.kind().equals("LocalSubjectAccessReview") ? namespace : null;
                Decision decision = authorizer.authorize(attributes(subject, spec, scope));
                status.put("allowed", decision.allowed());
                if (!decision.allowed() || !decision.reason().isEmpty()) status.put("reason", decision.reason());
            }
        }
        return out;
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
