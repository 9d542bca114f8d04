package kubefake.server.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/** TEMPORARY stub until the printers branch lands. */
public interface TablePrinter {
    List<Column> columns();

    List<Object> cells(ObjectNode object, Instant now);
}
