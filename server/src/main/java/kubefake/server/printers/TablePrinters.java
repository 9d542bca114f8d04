package kubefake.server.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** TEMPORARY stub until the printers branch lands. */
public final class TablePrinters {
    public static TablePrinter forResource(String group, String resource) {
        return new TablePrinter() {
            public List<Column> columns() {
                return List.of(new Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
                        new Column("Created At", "date", "", "CreationTimestamp is a timestamp", 0));
            }

            public List<Object> cells(ObjectNode o, Instant now) {
                return List.of(o.path("metadata").path("name").asText(), o.path("metadata").path("creationTimestamp").asText());
            }
        };
    }
}
