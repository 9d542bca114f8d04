package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.request.UserInfo;
import kubefake.server.http.ApiRequest;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;

/**
 * The reviews kubectl asks for (`auth can-i`, `auth can-i --list`, `auth whoami`), answered from the request's
 * identity and the authorizer's rule, which until RBAC exists is: every authenticated user may do everything.
 */
final class ReviewHandler {
    private ReviewHandler() {
    }

    /** The review with its status filled in. */
    static ObjectNode create(ResourceType type, ApiRequest req) {
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
                // SelfSubjectAccessReview answers for the caller; (Local)SubjectAccessReview for spec.user
                JsonNode spec = out.path("spec");
                String subject = type.kind().equals("SelfSubjectAccessReview") ? user.name() : spec.path("user").asText("");
                boolean allowed = !subject.isEmpty() && !subject.equals(UserInfo.ANONYMOUS.name());
                status.put("allowed", allowed);
                if (!allowed) status.put("reason", "");
            }
        }
        return out;
    }
}
