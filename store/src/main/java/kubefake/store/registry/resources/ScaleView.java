package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.List;

/**
 * The autoscaling/v1 Scale of a replicated workload (Deployments, ReplicaSets, StatefulSets,
 * ReplicationControllers): spec.replicas, status.replicas and status.selector as text; a Scale written back changes
 * only the parent's spec.replicas.
 */
public final class ScaleView {
    private ScaleView() {
    }

    /** The Scale of a parent object. */
    public static ObjectNode of(ObjectNode parent) {
        return of(parent, parent.path("spec").path("replicas").asInt(1), parent.path("status").path("replicas").asInt(0),
                selectorString(parent.path("spec").path("selector")));
    }

    /** The Scale of a parent whose replicas and selector its kind reads in its own place (custom resources). */
    public static ObjectNode of(ObjectNode parent, long specReplicas, long statusReplicas, String selector) {
        ObjectNode scale = Json.MAPPER.createObjectNode();
        scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        JsonNode pm = parent.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (pm.has(f)) meta.set(f, pm.get(f));
        }
        scale.putObject("spec").put("replicas", specReplicas);
        ObjectNode status = scale.putObject("status");
        status.put("replicas", statusReplicas);
        if (selector != null && !selector.isEmpty()) status.put("selector", selector);
        return scale;
    }

    /**
     * The parent with the desired Scale applied: its resourceVersion, when it names one, must be the parent's (409),
     * and its replicas may not be negative (422).
     */
    public static ObjectNode apply(ObjectNode parent, ObjectNode desired, String group, String resource) {
        String name = Json.text(parent.path("metadata"), "name");
        String rv = Json.text(desired.path("metadata"), "resourceVersion");
        if (!rv.isEmpty() && !rv.equals(Json.text(parent.path("metadata"), "resourceVersion"))) {
            throw StatusException.conflict(group, resource, name,
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        JsonNode replicas = desired.path("spec").path("replicas");
        if (!replicas.isMissingNode() && !replicas.isNull() && replicas.asInt() < 0) {
            throw StatusException.invalid("autoscaling", "Scale", name, List.of(new Cause(
                    "FieldValueInvalid", "Invalid value: " + replicas.asInt() + ": must be greater than or equal to 0",
                    "spec.replicas")));
        }
        ObjectNode spec = parent.get("spec") instanceof ObjectNode s ? s : parent.putObject("spec");
        spec.put("replicas", replicas.isMissingNode() || replicas.isNull() ? 0 : replicas.asInt());
        return parent;
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
