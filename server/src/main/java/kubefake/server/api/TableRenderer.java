package kubefake.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.printers.Column;
import kubefake.server.printers.TablePrinter;
import kubefake.server.printers.TablePrinters;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * meta.k8s.io/v1 Table and PartialObjectMetadata(List) renderings of objects, as `kubectl get` asks for them.
 * Each row carries the object as PartialObjectMetadata by default (includeObject=Metadata), the full object with
 * includeObject=Object, or nothing with None.
 */
public final class TableRenderer {
    public enum IncludeObject { NONE, METADATA, OBJECT }

    private TableRenderer() {
    }

    public static IncludeObject includeObject(String param) {
        if (param == null || param.isEmpty()) return IncludeObject.METADATA;
        return switch (param.toLowerCase(Locale.ROOT)) {
            case "none" -> IncludeObject.NONE;
            case "object" -> IncludeObject.OBJECT;
            default -> IncludeObject.METADATA;
        };
    }

    public static ObjectNode table(ResourceType type, List<StoredObject> items, ObjectNode listMeta,
                                   IncludeObject include, boolean withHeaders, Instant now) {
        TablePrinter printer = TablePrinters.forResource(type.group(), type.resource());
        ObjectNode table = Json.MAPPER.createObjectNode();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.set("metadata", listMeta);
        ArrayNode cols = table.putArray("columnDefinitions");
        if (withHeaders) {
            for (Column c : printer.columns()) {
                cols.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                        .put("description", c.description()).put("priority", c.priority());
            }
        }
        ArrayNode rows = table.putArray("rows");
        for (StoredObject o : items) {
            ObjectNode node = o.toNode();
            ObjectNode row = rows.addObject();
            row.set("cells", Json.MAPPER.valueToTree(printer.cells(node, now)));
            switch (include) {
                case OBJECT -> row.set("object", node);
                case METADATA -> row.set("object", partialMetadata(node));
                case NONE -> { }
            }
        }
        return table;
    }

    public static ObjectNode partialMetadata(ObjectNode object) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        p.set("metadata", object.get("metadata"));
        return p;
    }

    public static ObjectNode partialMetadataList(ListResult list, ObjectNode listMeta) {
        ObjectNode l = Json.MAPPER.createObjectNode();
        l.put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/v1");
        l.set("metadata", listMeta);
        ArrayNode items = l.putArray("items");
        for (StoredObject o : list.items()) items.add(partialMetadata(o.toNode()));
        return l;
    }

    /** The list metadata of a list result: resourceVersion, continue, remainingItemCount. */
    public static ObjectNode listMeta(ListResult list) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("resourceVersion", Long.toString(list.resourceVersion()));
        if (list.continueToken() != null) m.put("continue", list.continueToken());
        if (list.remainingItemCount() != null) m.put("remainingItemCount", list.remainingItemCount());
        return m;
    }
}
