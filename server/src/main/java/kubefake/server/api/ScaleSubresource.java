package kubefake.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.http.ApiRequest;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.List;

/**
 * The scale subresource of Deployments, ReplicaSets, StatefulSets and ReplicationControllers: an autoscaling/v1
 * Scale view (spec.replicas, status.replicas, status.selector) whose writes change the parent's spec.replicas.
 */
final class ScaleSubresource {
    private static final ResourceType SCALE = new ResourceType("autoscaling", "v1", "scale", "scale", "Scale",
            "ScaleList", true, List.of(), List.of(), List.of(), List.of(), null);

    private ScaleSubresource() {
    }

    /** The Scale the request reads or writes. */
    static ObjectNode handle(RequestInfo info, ResourceStore store, ApiRequest req) {
        String ns = info.namespace();
        String name = info.name();
        switch (info.verb()) {
            case "get" -> {
                RequestOptions.checkGet(req);
                return scaleOf(store.get(ns, name).toNode());
            }
            case "update", "patch" -> {
                if (info.verb().equals("patch")) PatchEngines.checkSupported(req.header("Content-Type"));
                RequestContext options = (info.verb().equals("update") ? RequestOptions.update(req, "scale")
                        : RequestOptions.patch(req, "scale")).context().mainResource();
                StoredObject updated = store.patch(ns, name, parent -> {
                    ObjectNode current = scaleOf(parent);
                    ObjectNode desired = info.verb().equals("update")
                            ? BodyDecoder.decodeObject(req.header("Content-Type"), req.body(), SCALE)
                            : PatchEngines.apply(req.header("Content-Type"), current.deepCopy(), req.body(), SCALE);
                    String rv = Json.text(desired.path("metadata"), "resourceVersion");
                    if (!rv.isEmpty() && !rv.equals(Json.text(parent.path("metadata"), "resourceVersion"))) {
                        throw StatusException.conflict(store.type().group(), store.type().resource(), name,
                                "the object has been modified; please apply your changes to the latest version and try again");
                    }
                    JsonNode replicas = desired.path("spec").path("replicas");
                    if (!replicas.isMissingNode() && !replicas.isNull() && replicas.asInt() < 0) {
                        throw StatusException.invalid("autoscaling", "Scale", name, List.of(new Cause(
                                "FieldValueInvalid", "Invalid value: " + replicas.asInt() + ": must be greater than or equal to 0",
                                "spec.replicas")));
                    }
                    ObjectNode spec = parent.has("spec") ? (ObjectNode) parent.get("spec") : parent.putObject("spec");
                    spec.put("replicas", replicas.isMissingNode() || replicas.isNull() ? 0 : replicas.asInt());
                    return parent;
                }, options);
                return scaleOf(updated.toNode());
            }
            default -> throw ResourceHandler.methodNotAllowed();
        }
    }

    static ObjectNode scaleOf(ObjectNode parent) {
        ObjectNode scale = Json.MAPPER.createObjectNode();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        JsonNode pm = parent.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (pm.has(f)) meta.set(f, pm.get(f));
        }
        scale.putObject("spec").put("replicas", parent.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", parent.path("status").path("replicas").asInt(0));
        String selector = selectorString(parent.path("spec").path("selector"));
        if (!selector.isEmpty()) status.put("selector", selector);
        return scale;
    }

    /** A label selector (matchLabels/matchExpressions, or a ReplicationController's plain map) as selector text. */
    static String selectorString(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        boolean structured = selector.has("matchLabels") || selector.has("matchExpressions");
        JsonNode labels = structured ? selector.path("matchLabels") : selector;
        labels.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            switch (expr.path("operator").asText()) {
                case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> parts.add(key);
                case "DoesNotExist" -> parts.add("!" + key);
                default -> { }
            }
        }
        parts.sort(null);
        return String.join(",", parts);
    }
}
