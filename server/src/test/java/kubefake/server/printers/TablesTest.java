package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    private final TablePrinter pods = TablePrinters.forResource("", "pods");

    private final ObjectNode succeeded = json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'job-1',"
            + " 'namespace': 'ref', 'labels': {'app': 'job'}, 'creationTimestamp': '" + ago("PT1M") + "'},"
            + " 'spec': {'containers': [{'name': 'c'}]}, 'status': {'phase': 'Succeeded'}}");

    @Test
    void aTableInTheServersShapeWithPartialObjectMetadataByDefault() {
        ObjectNode table = Tables.table(pods, List.of(succeeded), NOW, Tables.IncludeObject.parse(null), true);
        assertEquals(List.of("kind", "apiVersion", "metadata", "columnDefinitions", "rows"), fieldNames(table));
        assertEquals("Table", table.path("kind").asText());
        assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
        assertEquals(9, table.path("columnDefinitions").size());
        assertEquals(List.of("name", "type", "format", "description", "priority"),
                fieldNames(table.path("columnDefinitions").get(0)));
        JsonNode row = table.path("rows").get(0);
        assertEquals(List.of("cells", "conditions", "object"), fieldNames(row));
        assertEquals(Reference.JSON.valueToTree(List.of("job-1", "0/1", "Succeeded", "0", "60s", "<none>", "<none>",
                "<none>", "<none>")), row.path("cells"));
        assertEquals(json("{'type': 'Completed', 'status': 'True', 'reason': 'Succeeded', 'message':"
                + " 'The pod has completed successfully.'}"), row.path("conditions").get(0));
        assertEquals(json("{'kind': 'PartialObjectMetadata', 'apiVersion': 'meta.k8s.io/v1', 'metadata': "
                + succeeded.get("metadata") + "}"), row.path("object"));
    }

    @Test
    void includeObjectModes() {
        assertEquals(succeeded, Tables.row(pods, succeeded, NOW, Tables.IncludeObject.parse("Object")).path("object"));
        assertEquals(true, Tables.row(pods, succeeded, NOW, Tables.IncludeObject.parse("None")).path("object").isNull());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tables.IncludeObject.parse("Everything"));
        assertEquals("unrecognized includeObject value: \"Everything\"", e.getMessage());
    }

    @Test
    void watchEventsAfterTheFirstHaveNoColumnDefinitions() {
        ObjectNode table = Tables.table(pods, List.of(succeeded), NOW, Tables.IncludeObject.METADATA, false);
        assertEquals(0, table.path("columnDefinitions").size());
        assertEquals(true, table.path("columnDefinitions").isArray());
    }

    @Test
    void numbersAndBooleansStayTyped() {
        ObjectNode sc = json("{'metadata': {'name': 'standard', 'creationTimestamp': '" + ago("PT1M") + "'},"
                + " 'provisioner': 'p', 'allowVolumeExpansion': true}");
        JsonNode cells = Tables.row(TablePrinters.forResource("storage.k8s.io", "storageclasses"), sc, NOW,
                Tables.IncludeObject.NONE).path("cells");
        assertEquals(true, cells.get(4).isBoolean());
        ObjectNode cm = json("{'metadata': {'name': 'cfg'}, 'data': {'a': 'b'}}");
        JsonNode cmCells = Tables.row(TablePrinters.forResource("", "configmaps"), cm, NOW,
                Tables.IncludeObject.NONE).path("cells");
        assertEquals(true, cmCells.get(1).isIntegralNumber());
        assertEquals("<unknown>", cmCells.get(2).asText());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
