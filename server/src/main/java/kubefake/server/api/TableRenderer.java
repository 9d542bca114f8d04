package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.printers.TablePrinters;
import kubefake.server.printers.Tables;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored objects as meta.k8s.io/v1 Table and PartialObjectMetadata(List), with the list metadata of the request
 * (the printers in {@link kubefake.server.printers} make rows and columns).
 */
final class TableRenderer {
    private TableRenderer() {
    }

    static ObjectNode table(ResourceType type, List<StoredObject> items, ObjectNode listMeta,
                            Tables.IncludeObject include, boolean withHeaders, Instant now) {
        // the shared trees: the printers and the rows only read them (the rows' objects are written out, not changed)
        List<ObjectNode> objects = new ArrayList<>(items.size());
        for (StoredObject o : items) objects.add(o.tree());
        ObjectNode table = Tables.table(printer(type), objects, now, include, withHeaders);
        table.set("metadata", listMeta);
        return table;
    }

    /**
     * A list's Table to be written as JSON, its rows' objects their metadata (includeObject=Metadata): as
     * {@link #table}, each item read as a {@link RowInput} (what the printer needs, and the stored metadata written as
     * it is) instead of its whole tree. kubectl's {@code get} asks for this, 500 rows a page; a custom resource's
     * printer columns may name any field, so its rows are read whole.
     */
    static ObjectNode jsonTable(ResourceType type, List<StoredObject> items, ObjectNode listMeta,
                                Tables.IncludeObject include, Instant now) {
        if (include != Tables.IncludeObject.METADATA || type.custom()) return table(type, items, listMeta, include, true, now);
        kubefake.server.printers.TablePrinter printer = printer(type);
        List<ObjectNode> objects = new ArrayList<>(items.size());
        java.util.Map<ObjectNode, com.fasterxml.jackson.databind.JsonNode> metadata = new java.util.IdentityHashMap<>(items.size());
        for (StoredObject o : items) {
            RowInput row = RowInput.of(o, printer.reads());
            objects.add(row.tree());
            metadata.put(row.tree(), row.metadata());
        }
        ObjectNode table = Tables.table(printer, objects, now, include, true, o -> {
            com.fasterxml.jackson.databind.JsonNode m = metadata.get(o);
            return m != null ? m : o.path("metadata");
        });
        table.set("metadata", listMeta);
        return table;
    }

    private static kubefake.server.printers.TablePrinter printer(ResourceType type) {
        return type.custom() ? TablePrinters.forCustomResource(type.printerColumns()) : TablePrinters.forResource(type.group(), type.resource());
    }

    static ObjectNode partialMetadataList(ListResult list, ObjectNode listMeta) {
        ObjectNode l = Json.MAPPER.createObjectNode();
        l.put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/v1");
        l.set("metadata", listMeta);
        ArrayNode items = l.putArray("items");
        for (StoredObject o : list.items()) items.add(Tables.partialObjectMetadata(o.tree()));
        return l;
    }

    /** The list metadata of a list result: resourceVersion, continue, remainingItemCount. */
    static ObjectNode listMeta(ListResult list) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("resourceVersion", Long.toString(list.resourceVersion()));
        if (list.continueToken() != null) m.put("continue", list.continueToken());
        if (list.remainingItemCount() != null) m.put("remainingItemCount", list.remainingItemCount());
        return m;
    }
}
