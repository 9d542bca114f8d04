package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Converts a core v1 Event to its events.k8s.io/v1 form, as the API server does for that group. */
final class EventsV1 {

    /** events.k8s.io/v1 field name for each core field that is renamed. */
    private static final Map<String, String> RENAMED = Map.of(
            "involvedObject", "regarding",
            "message", "note",
            "source", "deprecatedSource",
            "firstTimestamp", "deprecatedFirstTimestamp",
            "lastTimestamp", "deprecatedLastTimestamp",
            "count", "deprecatedCount",
            "reportingComponent", "reportingController");

    private EventsV1() {
    }

    static ObjectNode fromCoreEvent(ObjectNode core) {
        ObjectNode converted = Reference.JSON.createObjectNode();
        core.fields().forEachRemaining(field -> {
            String name = RENAMED.getOrDefault(field.getKey(), field.getKey());
            JsonNode value = field.getValue();
            converted.set(name, value.deepCopy());
        });
        converted.put("apiVersion", "events.k8s.io/v1");
        return converted;
    }
}
