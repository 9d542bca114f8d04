package kubefake.client.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.time.Instant;

/** A core/v1 Event on its way through the correlator to the registry (the fields client-go's recorder sets). */
final class CoreEvent {
    String name;
    String namespace;
    ObjectReference involvedObject;
    String reason;
    String message;
    String sourceComponent;
    String sourceHost;
    Instant firstTimestamp;
    Instant lastTimestamp;
    int count;
    String type;
    String reportingController;
    String reportingInstance;

    CoreEvent copy() {
        CoreEvent c = new CoreEvent();
        c.name = name;
        c.namespace = namespace;
        c.involvedObject = involvedObject;
        c.reason = reason;
        c.message = message;
        c.sourceComponent = sourceComponent;
        c.sourceHost = sourceHost;
        c.firstTimestamp = firstTimestamp;
        c.lastTimestamp = lastTimestamp;
        c.count = count;
        c.type = type;
        c.reportingController = reportingController;
        c.reportingInstance = reportingInstance;
        return c;
    }

    /** The event as Go's client sends it: zero times as null, empty reporting fields as "" (they are not omitempty). */
    ObjectNode toJson() {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("kind", "Event").put("apiVersion", "v1");
        ObjectNode meta = e.putObject("metadata");
        meta.put("name", name).put("namespace", namespace);
        e.set("involvedObject", involvedObject.toJson());
        e.put("reason", reason).put("message", message);
        ObjectNode source = e.putObject("source");
        if (sourceComponent != null && !sourceComponent.isEmpty()) source.put("component", sourceComponent);
        if (sourceHost != null && !sourceHost.isEmpty()) source.put("host", sourceHost);
        e.put("firstTimestamp", EventTimes.time(firstTimestamp)).put("lastTimestamp", EventTimes.time(lastTimestamp));
        e.put("count", count).put("type", type);
        e.putNull("eventTime");
        e.put("reportingComponent", reportingController == null ? "" : reportingController);
        e.put("reportingInstance", reportingInstance == null ? "" : reportingInstance);
        return e;
    }
}
