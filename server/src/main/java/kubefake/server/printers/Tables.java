package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Renders objects as a {@code meta.k8s.io/v1} Table, in the field order the API server uses:
 * {@code kind}, {@code apiVersion}, {@code metadata}, {@code columnDefinitions}, {@code rows}
 * (each with {@code cells}, {@code conditions} when any, {@code object}). The caller fills
 * {@code metadata} (resourceVersion, continue, remainingItemCount). Rows follow
 * {@link TablePrinter#rowOrder}.
 */
public final class Tables {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The {@code includeObject} query parameter: what each row's {@code object} holds. */
    public enum IncludeObject {
        /** {@code "object": null}. */
        NONE("None"),
        /** A PartialObjectMetadata with the object's full metadata; the default. */
        METADATA("Metadata"),
        /** The whole object, e.g. for {@code kubectl get --sort-by}. */
        OBJECT("Object");

        private final String value;

        IncludeObject(String value) {
            this.value = value;
        }

        /**
         * The mode a query parameter asks for; none or empty means {@link #METADATA}.
         *
         * @throws IllegalArgumentException with the API server's BadRequest message for an unknown value
         */
        public static IncludeObject parse(String value) {
            if (value == null || value.isEmpty()) {
                return METADATA;
            }
            for (IncludeObject mode : values()) {
                if (mode.value.equals(value)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unrecognized includeObject value: \"" + value + "\"");
        }
    }

    private Tables() {
    }

    /**
     * A Table of these objects.
     *
     * @param withColumnDefinitions false for the watch events after the first, which send
     *                              {@code "columnDefinitions": []}
     */
    public static ObjectNode table(TablePrinter printer, List<ObjectNode> objects, Instant now,
                                   IncludeObject include, boolean withColumnDefinitions) {
        return table(printer, objects, now, include, withColumnDefinitions, object -> object.path("metadata"));
    }

    /**
     * The same, with each row's metadata (includeObject=Metadata) taken from {@code metadataOf} rather than from the
     * object the printer reads: the caller may hand the printer trees without the fields no printer reads.
     */
    public static ObjectNode table(TablePrinter printer, List<ObjectNode> objects, Instant now,
                                   IncludeObject include, boolean withColumnDefinitions,
                                   java.util.function.Function<ObjectNode, JsonNode> metadataOf) {
        ObjectNode table = NODES.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        table.set("columnDefinitions", withColumnDefinitions ? columnDefinitions(printer.columns()) : NODES.arrayNode());
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : printer.rowOrder(objects)) {
            rows.add(row(printer, object, now, include, metadataOf));
        }
        return table;
    }

    public static ArrayNode columnDefinitions(List<Column> columns) {
        ArrayNode definitions = NODES.arrayNode();
        for (Column column : columns) {
            definitions.addObject()
                    .put("name", column.name())
                    .put("type", column.type())
                    .put("format", column.format())
                    .put("description", column.description())
                    .put("priority", column.priority());
        }
        return definitions;
    }

    public static ObjectNode row(TablePrinter printer, ObjectNode object, Instant now, IncludeObject include) {
        return row(printer, object, now, include, o -> o.path("metadata"));
    }

    private static ObjectNode row(TablePrinter printer, ObjectNode object, Instant now, IncludeObject include,
                                  java.util.function.Function<ObjectNode, JsonNode> metadataOf) {
        ObjectNode row = NODES.objectNode();
        ArrayNode cells = row.putArray("cells");
        for (Object cell : printer.cells(object, now)) {
            cells.add(cellNode(cell));
        }
        List<RowCondition> conditions = printer.rowConditions(object);
        if (!conditions.isEmpty()) {
            ArrayNode array = row.putArray("conditions");
            for (RowCondition condition : conditions) {
                array.addObject()
                        .put("type", condition.type())
                        .put("status", condition.status())
                        .put("reason", condition.reason())
                        .put("message", condition.message());
            }
        }
        row.set("object", switch (include) {
            case NONE -> NODES.nullNode();
            case METADATA -> partialObjectMetadata(metadataOf.apply(object));
            case OBJECT -> object;
        });
        return row;
    }

    /** The object reduced to its metadata, as {@code meta.k8s.io/v1} PartialObjectMetadata. */
    public static ObjectNode partialObjectMetadata(ObjectNode object) {
        return partialObjectMetadata(object.path("metadata"));
    }

    /** A PartialObjectMetadata of this metadata (an object, or a raw JSON object written as it is). */
    private static ObjectNode partialObjectMetadata(JsonNode metadata) {
        ObjectNode partial = NODES.objectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", metadata.isObject() || metadata.isPojo() ? metadata : NODES.objectNode());
        return partial;
    }

    private static JsonNode cellNode(Object cell) {
        if (cell == null) {
            return NODES.nullNode();
        }
        if (cell instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (cell instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (cell instanceof Double d) {
            // Go's encoding/json writes whole floats without a fraction
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? NODES.numberNode(d.longValue()) : NODES.numberNode(d);
        }
        if (cell instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.textNode(cell.toString());
    }
}
