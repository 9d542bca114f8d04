package kubefake.server.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** A printer given as its columns and one function from object to cells. */
final class SimplePrinter implements TablePrinter {

    /** Computes the cells of one row. */
    @FunctionalInterface
    interface Row {
        List<Object> cells(ObjectNode object, Instant now);
    }

    private final List<Column> columns;
    private final Row row;

    SimplePrinter(List<Column> columns, Row row) {
        this.columns = List.copyOf(columns);
        this.row = row;
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return row.cells(object, now);
    }
}
