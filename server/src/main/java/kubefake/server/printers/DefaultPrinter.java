package kubefake.server.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The API server's table for resources without a printer of their own (roles, limit ranges,
 * custom resource definitions...): {@code Name} and {@code Created At} as an RFC 3339 date.
 */
final class DefaultPrinter implements TablePrinter {

    static final DefaultPrinter INSTANCE = new DefaultPrinter();

    private static final List<Column> COLUMNS = List.of(Columns.NAME, Columns.CREATED_AT);

    private DefaultPrinter() {
    }

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return List.of(Fields.name(object), Formats.createdAt(object));
    }
}
