package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A pod's status conditions as {@code podutil.UpdatePodCondition} changes them (the scheduler, the node lifecycle and
 * taint eviction controllers, pod GC): a condition replaces the one of its type, keeping its lastTransitionTime when
 * the status did not change; {@code lastProbeTime} stays null. Written in the API's field order.
 */
public final class PodConditions {
    private PodConditions() {
    }

    /** The pod's condition of that type, or null. */
    public static JsonNode get(JsonNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (type.equals(Json.text(c, "type"))) return c;
        }
        return null;
    }

    /**
     * Sets the condition in the pod's status (created when missing).
     *
     * @param reason  or null for none
     * @param message or null for none
     * @return whether anything changed
     */
    public static boolean update(ObjectNode pod, String type, String status, String reason, String message, Instant now) {
        ObjectNode podStatus = pod.with("status");
        ArrayNode conditions = conditions(podStatus);
        ObjectNode condition = Json.MAPPER.createObjectNode();
        condition.put("type", type).put("status", status).putNull("lastProbeTime")
                .put("lastTransitionTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        if (reason != null && !reason.isEmpty()) condition.put("reason", reason);
        if (message != null && !message.isEmpty()) condition.put("message", message);
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode old = conditions.get(i);
            if (!type.equals(Json.text(old, "type"))) continue;
            if (status.equals(Json.text(old, "status")) && old.hasNonNull("lastTransitionTime")) {
                condition.set("lastTransitionTime", old.get("lastTransitionTime"));
            }
            boolean same = status.equals(Json.text(old, "status")) && Json.text(old, "reason").equals(reason == null ? "" : reason)
                    && Json.text(old, "message").equals(message == null ? "" : message)
                    && Json.text(old, "lastProbeTime").isEmpty()
                    && Json.text(old, "lastTransitionTime").equals(Json.text(condition, "lastTransitionTime"));
            conditions.set(i, condition);
            return !same;
        }
        conditions.add(condition);
        return true;
    }

    /** The status's conditions, created right after the phase when absent (the API's field order). */
    private static ArrayNode conditions(ObjectNode status) {
        if (status.get("conditions") instanceof ArrayNode a) return a;
        ObjectNode rest = status.deepCopy();
        status.removeAll();
        if (rest.has("observedGeneration")) status.set("observedGeneration", rest.remove("observedGeneration"));
        if (rest.has("phase")) status.set("phase", rest.remove("phase"));
        ArrayNode conditions = status.putArray("conditions");
        status.setAll(rest);
        return conditions;
    }
}
