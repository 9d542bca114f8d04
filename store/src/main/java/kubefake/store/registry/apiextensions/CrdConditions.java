package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** A CRD's status conditions (NamesAccepted, Established, Terminating), set as apiextensions' SetCRDCondition does. */
public final class CrdConditions {
    private CrdConditions() {
    }

    /**
     * Sets a condition: its lastTransitionTime moves only when its status changes.
     *
     * @return whether anything changed
     */
    public static boolean set(ObjectNode crd, String type, String status, String reason, String message, Instant now) {
        ObjectNode st = crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
        ArrayNode conditions = st.get("conditions") instanceof ArrayNode a ? a : st.putArray("conditions");
        for (JsonNode c : conditions) {
            if (!c.path("type").asText().equals(type)) continue;
            ObjectNode existing = (ObjectNode) c;
            boolean same = existing.path("status").asText().equals(status) && existing.path("reason").asText().equals(reason)
                    && existing.path("message").asText().equals(message);
            if (same) return false;
            if (!existing.path("status").asText().equals(status)) existing.put("lastTransitionTime", timestamp(now));
            existing.put("status", status).put("reason", reason).put("message", message);
            return true;
        }
        conditions.addObject().put("type", type).put("status", status).put("lastTransitionTime", timestamp(now))
                .put("reason", reason).put("message", message);
        return true;
    }

    /** Whether the condition is there with status True. */
    public static boolean isTrue(JsonNode crd, String type) {
        for (JsonNode c : crd.path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) return c.path("status").asText().equals("True");
        }
        return false;
    }

    private static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
