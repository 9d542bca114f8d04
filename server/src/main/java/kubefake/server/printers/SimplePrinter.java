package kubefake.server.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;
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
    private final Comparator<ObjectNode> order;

    SimplePrinter(List<Column> columns, Row row) {
        this(columns, row, null);
    }

    private SimplePrinter(List<Column> columns, Row row, Comparator<ObjectNode> order) {
        this.columns = List.copyOf(columns);
        this.row = row;
        this.order = order;
    }

    /** The same printer, sorting its rows. */
    SimplePrinter sortedBy(Comparator<ObjectNode> rowOrder) {
        return new SimplePrinter(columns, row, rowOrder);
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return row.cells(object, now);
    }

    @Override
    public List<ObjectNode> rowOrder(List<ObjectNode> objects) {
        return order == null ? objects : objects.stream().sorted(order).toList();
    }
}
