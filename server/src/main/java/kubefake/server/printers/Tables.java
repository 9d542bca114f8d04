package kubefake.server.printers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

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
                                   Function<ObjectNode, JsonNode> metadataOf) {
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
                                  Function<ObjectNode, JsonNode> metadataOf) {
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

    /**
     * The same Table written as compact JSON to {@code g} (made by {@code Json.MAPPER}'s factory), without building
     * its tree: the bytes of {@link #table}'s tree with {@code listMetadata} as its metadata and {@code apiVersion} as
     * its apiVersion. For a list's page of hundreds of rows, where a node for every cell, row and condition cost more
     * than writing them.
     */
    public static void write(JsonGenerator g, TablePrinter printer, List<ObjectNode> objects, Instant now,
                             IncludeObject include, JsonNode listMetadata, String apiVersion,
                             Function<ObjectNode, JsonNode> metadataOf) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "Table");
        g.writeStringField("apiVersion", apiVersion);
        g.writeFieldName("metadata");
        g.writeTree(listMetadata);
        g.writeFieldName("columnDefinitions");
        g.writeTree(columnDefinitions(printer.columns()));
        g.writeArrayFieldStart("rows");
        for (ObjectNode object : printer.rowOrder(objects)) {
            g.writeStartObject();
            g.writeArrayFieldStart("cells");
            for (Object cell : printer.cells(object, now)) {
                writeCell(g, cell);
            }
            g.writeEndArray();
            List<RowCondition> conditions = printer.rowConditions(object);
            if (!conditions.isEmpty()) {
                g.writeArrayFieldStart("conditions");
                for (RowCondition condition : conditions) {
                    g.writeStartObject();
                    g.writeStringField("type", condition.type());
                    g.writeStringField("status", condition.status());
                    g.writeStringField("reason", condition.reason());
                    g.writeStringField("message", condition.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeFieldName("object");
            switch (include) {
                case NONE -> g.writeNull();
                case METADATA -> {
                    JsonNode metadata = metadataOf.apply(object);
                    g.writeStartObject();
                    g.writeStringField("kind", "PartialObjectMetadata");
                    g.writeStringField("apiVersion", "meta.k8s.io/v1");
                    g.writeFieldName("metadata");
                    if (metadata.isObject() || metadata.isPojo()) {
                        g.writeTree(metadata);
                    } else {
                        g.writeStartObject();
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                case OBJECT -> g.writeTree(object);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
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
            return isWhole(d) ? NODES.numberNode(d.longValue()) : NODES.numberNode(d);
        }
        if (cell instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.textNode(cell.toString());
    }

    /** What {@link #cellNode} makes of a cell, written as its node would be. */
    private static void writeCell(JsonGenerator g, Object cell) throws IOException {
        if (cell == null) {
            g.writeNull();
        } else if (cell instanceof Long l) {
            g.writeNumber(l);
        } else if (cell instanceof Integer i) {
            g.writeNumber(i);
        } else if (cell instanceof Double d) {
            if (isWhole(d)) {
                g.writeNumber(d.longValue());
            } else {
                g.writeNumber(d);
            }
        } else if (cell instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(cell.toString());
        }
    }

    /** Go's encoding/json writes whole floats without a fraction. */
    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15;
    }
}
