package kubefake.server.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Turns objects of one resource into rows of a {@code meta.k8s.io/v1} Table, the way the real API
 * server does for {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}.
 *
 * <p>The server always prints the wide form: {@link #cells} returns one value per column of
 * {@link #columns}, priority-1 columns included, and kubectl hides those unless {@code -o wide}.
 * Cell values are {@link String}, {@link Long}, {@link Integer}, {@link Boolean} (and, for custom
 * resources, {@link Double} or {@code null}), as the server
 * sends them in JSON (e.g. a pod's Restarts is the string {@code "1 (5m ago)"}, a ReplicaSet's
 * Desired is the number {@code 3}). Ages are computed against {@code now}.
 */
public interface TablePrinter {

    List<Column> columns();

    List<Object> cells(ObjectNode object, Instant now);

    /**
     * The fields {@link #cells}, {@link #rowOrder} and {@link #rowConditions} read: a list's Table may hand them a
     * tree of only these. The whole object unless a printer says otherwise.
     */
    default FieldSet reads() {
        return FieldSet.WHOLE;
    }

    /**
     * The objects in the order the server prints them: the listing order, except for the few
     * resources the server sorts itself (flow schemas, by matching precedence then name).
     */
    default List<ObjectNode> rowOrder(List<ObjectNode> objects) {
        return objects;
    }

    /** The row's {@code conditions}; empty for almost every resource. */
    default List<RowCondition> rowConditions(ObjectNode object) {
        return List.of();
    }
}
