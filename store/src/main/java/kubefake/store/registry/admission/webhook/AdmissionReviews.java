package kubefake.store.registry.admission.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.UserInfo;

import java.util.List;
import java.util.Map;

/**
 * The admission.k8s.io/v1 AdmissionReview the real server sends a webhook (fields in {@code AdmissionRequest}'s
 * order): the request's uid, the kind and resource written (a subresource's own kind, e.g. policy/v1 Eviction for
 * pods/eviction), name and namespace, operation, the user, the new and old objects, dryRun, and the operation's
 * options (CreateOptions, UpdateOptions or DeleteOptions).
 */
final class AdmissionReviews {
    private AdmissionReviews() {
    }

    static ObjectNode request(String uid, AdmissionAttributes a) {
        ResourceType type = a.type();
        String subresource = a.subresource();
        String group = type.group();
        String version = type.version();
        String kind = type.kind();
        for (ResourceType.Subresource s : type.subresources()) {
            if (s.name().equals(subresource)) {
                group = s.group();
                version = s.version();
                kind = s.kind();
            }
        }
        ObjectNode review = Json.MAPPER.createObjectNode();
        review.put("kind", "AdmissionReview").put("apiVersion", "admission.k8s.io/v1");
        ObjectNode request = review.putObject("request");
        request.put("uid", uid);
        request.set("kind", gvk(group, version, kind));
        ObjectNode resource = gvr(type);
        request.set("resource", resource);
        if (!subresource.isEmpty()) request.put("subResource", subresource);
        request.set("requestKind", gvk(group, version, kind));
        request.set("requestResource", resource.deepCopy());
        if (!subresource.isEmpty()) request.put("requestSubResource", subresource);
        if (a.name() != null && !a.name().isEmpty()) request.put("name", a.name());
        if (a.namespace() != null && !a.namespace().isEmpty()) request.put("namespace", a.namespace());
        request.put("operation", a.operation().name());
        request.set("userInfo", userInfo(a.context().user()));
        boolean connect = a.operation() == Operation.CONNECT;
        request.set("object", a.object() == null ? Json.MAPPER.nullNode() : typed(a.object(), group, version, kind));
        request.set("oldObject", a.oldObject() == null ? Json.MAPPER.nullNode()
                : typed(a.oldObject(), type.group(), type.version(), type.kind()));
        request.put("dryRun", a.context().dryRun());
        request.set("options", connect ? Json.MAPPER.nullNode() : options(a));
        return review;
    }

    private static ObjectNode gvk(String group, String version, String kind) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        return n.put("group", group).put("version", version).put("kind", kind);
    }

    private static ObjectNode gvr(ResourceType type) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        return n.put("group", type.group()).put("version", type.version()).put("resource", type.resource());
    }

    /** {@code authenticationv1.UserInfo}: username, uid, groups, extra (empty ones left out). */
    private static ObjectNode userInfo(UserInfo user) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("username", user.name());
        if (user.uid() != null && !user.uid().isEmpty()) n.put("uid", user.uid());
        if (!user.groups().isEmpty()) {
            ArrayNode groups = n.putArray("groups");
            user.groups().forEach(groups::add);
        }
        if (user.extra() != null && !user.extra().isEmpty()) {
            ObjectNode extra = n.putObject("extra");
            for (Map.Entry<String, List<String>> e : user.extra().entrySet()) {
                ArrayNode values = extra.putArray(e.getKey());
                e.getValue().forEach(values::add);
            }
        }
        return n;
    }

    /** The object with its apiVersion and kind first, as it is encoded to the webhook. */
    private static ObjectNode typed(ObjectNode object, String group, String version, String kind) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", object.path("kind").asText(kind));
        n.put("apiVersion", object.path("apiVersion").asText(group.isEmpty() ? version : group + "/" + version));
        object.properties().forEach(e -> {
            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) n.set(e.getKey(), e.getValue());
        });
        return n;
    }

    private static ObjectNode options(AdmissionAttributes a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        String kind = switch (a.operation()) {
            case CREATE -> "CreateOptions";
            case UPDATE -> "UpdateOptions";
            default -> "DeleteOptions";
        };
        n.put("kind", kind).put("apiVersion", "meta.k8s.io/v1");
        if (a.context().dryRun()) n.putArray("dryRun").add("All");
        String fieldManager = a.context().fieldManager();
        if (a.operation() != Operation.DELETE && fieldManager != null && !fieldManager.isEmpty()) {
            n.put("fieldManager", fieldManager);
        }
        return n;
    }
}
