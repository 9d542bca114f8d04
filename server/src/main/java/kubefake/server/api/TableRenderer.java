package kubefake.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.server.printers.TablePrinter;
import kubefake.server.printers.TablePrinters;
import kubefake.server.printers.Tables;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
     * A list's Table as compact JSON (with the encoder's newline when asked): the bytes of {@link #table}'s tree, with
     * {@code apiVersion} (meta.k8s.io/v1 or v1beta1), written row by row without building that tree. With
     * includeObject=Metadata (kubectl's {@code get} asks for it, 500 rows a page) each item is read as a
     * {@link RowInput} (what the printer needs, and the stored metadata written as it is) instead of its whole tree;
     * a custom resource's printer columns may name any field, so its rows are read whole.
     */
    static byte[] jsonTable(ResourceType type, List<StoredObject> items, ObjectNode listMeta, Tables.IncludeObject include,
                            String apiVersion, Instant now, boolean newline) {
        TablePrinter printer = printer(type);
        List<ObjectNode> objects = new ArrayList<>(items.size());
        Function<ObjectNode, JsonNode> metadataOf = o -> o.path("metadata");
        int size = 4096;
        if (include != Tables.IncludeObject.METADATA || type.custom()) {
            for (StoredObject o : items) {
                objects.add(o.tree());
                size += o.json().length + 256;
            }
        } else {
            Map<ObjectNode, JsonNode> metadata = new IdentityHashMap<>(items.size());
            for (StoredObject o : items) {
                RowInput row = RowInput.of(o, printer.reads());
                objects.add(row.tree());
                metadata.put(row.tree(), row.metadata());
                size += row.metadataLength() + 384;
            }
            metadataOf = o -> {
                JsonNode m = metadata.get(o);
                return m != null ? m : o.path("metadata");
            };
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            Tables.write(g, printer, objects, now, include, listMeta, apiVersion, metadataOf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (newline) out.write('\n');
        return out.toByteArray();
    }

    private static TablePrinter printer(ResourceType type) {
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
