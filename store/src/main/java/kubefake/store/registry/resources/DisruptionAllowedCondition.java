package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A PodDisruptionBudget's {@code DisruptionAllowed} condition ({@code pdbhelper.UpdateDisruptionAllowedCondition},
 * set with {@code apimeta.SetStatusCondition}): True/SufficientPods while disruptions are allowed, else
 * False/InsufficientPods, or False/SyncFailed with the error when the controller could not compute the status. The
 * transition time moves only when the status does.
 */
public final class DisruptionAllowedCondition {
    public static final String TYPE = "DisruptionAllowed";

    private DisruptionAllowedCondition() {
    }

    /** Sets the condition from the status's {@code disruptionsAllowed}. */
    public static void update(ObjectNode budgetStatus, Instant now) {
        boolean allowed = budgetStatus.path("disruptionsAllowed").asLong() > 0;
        set(budgetStatus, allowed ? "True" : "False", allowed ? "SufficientPods" : "InsufficientPods", "", now);
    }

    /** {@code SetStatusCondition} of a DisruptionAllowed condition with this status, reason and message. */
    public static void set(ObjectNode budgetStatus, String status, String reason, String message, Instant now) {
        ArrayNode conditions = budgetStatus.get("conditions") instanceof ArrayNode a ? a : budgetStatus.putArray("conditions");
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if (TYPE.equals(Json.text(c, "type")) && c instanceof ObjectNode o) condition = o;
        }
        String transition = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        if (condition != null && status.equals(Json.text(condition, "status")) && condition.hasNonNull("lastTransitionTime")) {
            transition = condition.get("lastTransitionTime").asText();
        }
        ObjectNode fresh = Json.MAPPER.createObjectNode();
        fresh.put("type", TYPE).put("status", status);
        long observed = budgetStatus.path("observedGeneration").asLong();
        if (observed != 0) fresh.put("observedGeneration", (int) observed);
        fresh.put("lastTransitionTime", transition).put("reason", reason).put("message", message);
        if (condition == null) {
            conditions.add(fresh);
        } else {
            condition.removeAll();
            condition.setAll(fresh);
        }
    }
}
