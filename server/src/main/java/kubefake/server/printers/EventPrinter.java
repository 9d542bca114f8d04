package kubefake.server.printers;

import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Events, of both {@code v1} and {@code events.k8s.io/v1} (one storage, one printer in the API
 * server; only the field names differ): Last Seen, Type, Reason, Object ({@code pod/web-1}),
 * Message; wide: Subobject, Source, First Seen, Count, Name.
 */
final class EventPrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(
            string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            string("Reason", "This should be a short, machine understandable string that gives the reason for the"
                    + " transition into the object's current status."),
            string("Object", "The object that this event is about."),
            wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should"
                    + " contain a valid JSON/Go field access statement, such as"
                    + " desiredState.manifest.containers[2]. For example, if the object reference is to a container"
                    + " within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\""
                    + " refers to the name of the container that triggered the event) or if no container name is"
                    + " specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen"
                    + " only to have some well-defined way of referencing a part of an object."),
            wide("Source", "The component reporting this event. Should be a short machine understandable string."),
            string("Message", "A human-readable description of the status of this operation."),
            wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in"
                    + " TypeMeta.)"),
            wide("Count", "The number of times this event has occurred."),
            new Column(NAME.name(), NAME.type(), NAME.format(), NAME.description(), 1));

    /** Where each printed field lives in one API version of Event. */
    private record Shape(String regarding, String message, String source, String reportingController,
                         String firstTimestamp, String lastTimestamp, String count) {
    }

    static final EventPrinter CORE = new EventPrinter(new Shape("involvedObject", "message", "source",
            "reportingComponent", "firstTimestamp", "lastTimestamp", "count"));
    static final EventPrinter EVENTS_V1 = new EventPrinter(new Shape("regarding", "note", "deprecatedSource",
            "reportingController", "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount"));

    private final Shape shape;

    private EventPrinter(Shape shape) {
        this.shape = shape;
    }

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode event, Instant now) {
        Instant first = Fields.time(event, shape.firstTimestamp);
        // Events of the new API have no firstTimestamp: their eventTime stands in.
        String firstSeen = Formats.since(first != null ? first : Fields.time(event, "eventTime"), now);
        Instant last = Fields.time(event, shape.lastTimestamp);
        String lastSeen = last != null ? Formats.since(last, now) : firstSeen;
        long count = Fields.number(event, shape.count);
        if (Fields.has(event, "series")) {
            lastSeen = Formats.since(Fields.time(event, "series", "lastObservedTime"), now);
            count = Fields.number(event, "series", "count");
        } else if (count == 0) {
            count = 1; // singleton events of the new API carry no count
        }

        JsonNode regarding = Fields.at(event, shape.regarding);
        String kind = Fields.text(regarding, "kind").toLowerCase(Locale.ROOT);
        String name = Fields.text(regarding, "name");
        return List.of(
                lastSeen,
                Fields.text(event, "type"),
                Fields.text(event, "reason"),
                name.isEmpty() ? kind : kind + "/" + name,
                Fields.text(regarding, "fieldPath"),
                source(event),
                Fields.text(event, shape.message).strip(),
                firstSeen,
                count,
                Fields.name(event));
    }

    /** {@code component, host}, falling back to the reporting controller and instance. */
    private String source(JsonNode event) {
        String component = firstNonEmpty(Fields.text(event, shape.source, "component"),
                Fields.text(event, shape.reportingController));
        String instance = firstNonEmpty(Fields.text(event, shape.source, "host"),
                Fields.text(event, "reportingInstance"));
        return instance.isEmpty() ? component : component + ", " + instance;
    }

    private static String firstNonEmpty(String first, String second) {
        return first.isEmpty() ? second : first;
    }
}
