package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomResourcePrinterTest {

    private static final ObjectNode CERTIFICATE = json("{'apiVersion': 'cert-manager.io/v1', 'kind': 'Certificate',"
            + " 'metadata': {'name': 'web-tls', 'creationTimestamp': '" + ago("PT3H") + "',"
            + " 'labels': {'app.kubernetes.io/name': 'web'}},"
            + " 'spec': {'secretName': 'web-tls', 'replicas': 3, 'ratio': 0.25, 'big': 1000000.0, 'paused': false,"
            + " 'issuerRef': {'name': 'letsencrypt', 'kind': 'ClusterIssuer'}, 'dnsNames': ['a.example.com',"
            + " 'b.example.com']},"
            + " 'status': {'conditions': [{'type': 'Issuing', 'status': 'False'}, {'type': 'Ready', 'status': 'True',"
            + " 'message': 'Certificate is up to date'}], 'notAfter': '" + ago("-P60D") + "'}}");

    @Test
    void withoutPrinterColumnsNameAndAge() {
        TablePrinter printer = TablePrinters.forCustomResource(null);
        assertEquals(List.of(Columns.NAME, new Column("Age", "date", "", Columns.CREATION_TIMESTAMP_DESCRIPTION, 0)),
                printer.columns());
        assertEquals(List.of("web-tls", "3h"), printer.cells(CERTIFICATE, NOW));
    }

    @Test
    void columnsAreTheCrdsWithADefaultDescription() {
        ObjectNode message = column("Message", "string", ".status.conditions[0].message").put("priority", 1)
                .put("description", "Why");
        TablePrinter printer = TablePrinters.forCustomResource(Reference.JSON.createArrayNode()
                .add(column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")).add(message));
        assertEquals(List.of(Columns.NAME,
                new Column("Ready", "string", "", "Custom resource definition column (in JSONPath format):"
                        + " .status.conditions[?(@.type==\"Ready\")].status", 0),
                new Column("Message", "string", "", "Why", 1)), printer.columns());
    }

    /** A printer column; built in code because its JSONPath may hold both kinds of quotes. */
    private static ObjectNode column(String name, String type, String jsonPath) {
        ObjectNode column = Reference.JSON.createObjectNode();
        return column.put("name", name).put("type", type).put("jsonPath", jsonPath);
    }

    private static List<Object> cells(ObjectNode... columns) {
        return TablePrinters.forCustomResource(Reference.JSON.createArrayNode().addAll(List.of(columns)))
                .cells(CERTIFICATE, NOW);
    }

    @Test
    void cellsFollowTheColumnTypes() {
        assertEquals(Arrays.asList("web-tls", "True", "web-tls", 3L, 0.25, false, "<invalid>", null, null),
                cells(column("Ready", "string", ".status.conditions[?(@.type=='Ready')].status"),
                        column("Secret", "string", ".spec.secretName"),
                        column("Replicas", "integer", ".spec.replicas"),
                        column("Ratio", "number", ".spec.ratio"),
                        column("Paused", "boolean", ".spec.paused"),
                        column("Expires", "date", ".status.conditions[0].type"),
                        column("Missing", "string", ".status.nothing"),
                        column("Wrong", "integer", ".spec.secretName")));
    }

    @Test
    void dateColumnsShowAnAgeAndInvalidForFutureOrUnreadableTimes() {
        assertEquals(List.of("web-tls", "3h", "<invalid>", "<invalid>"),
                cells(column("Age", "date", ".metadata.creationTimestamp"),
                        column("Expires", "date", ".status.notAfter"),
                        column("Bad", "date", ".spec.secretName")).subList(0, 4));
    }

    @Test
    void stringColumnsPrintValuesLikeJsonPath() {
        assertEquals(List.of("web-tls", "3", "1e+06", "{\"kind\":\"ClusterIssuer\",\"name\":\"letsencrypt\"}",
                        "[\"a.example.com\",\"b.example.com\"]", "a.example.com", "web", "false"),
                cells(column("A", "string", ".spec.replicas"),
                        column("B", "string", ".spec.big"),
                        column("C", "string", ".spec.issuerRef"),
                        column("D", "string", ".spec.dnsNames"),
                        column("E", "string", ".spec.dnsNames[*]"),
                        column("F", "string", ".metadata.labels['app.kubernetes.io/name']"),
                        column("G", "string", ".spec.paused")));
    }

    @Test
    void goFloatFormatting() {
        assertEquals(List.of("0.25", "123456", "1e+06", "1.5e-05", "-2.5", "0.0001", "0"),
                List.of(CustomResourcePrinter.goFloat(0.25), CustomResourcePrinter.goFloat(123456),
                        CustomResourcePrinter.goFloat(1e6), CustomResourcePrinter.goFloat(0.000015),
                        CustomResourcePrinter.goFloat(-2.5), CustomResourcePrinter.goFloat(0.0001),
                        CustomResourcePrinter.goFloat(0)));
    }

    @Test
    void anUnparsableJsonPathEndsTheColumns() {
        TablePrinter printer = TablePrinters.forCustomResource(json("{'c': [{'name': 'A', 'type': 'string',"
                + " 'jsonPath': '.spec.secretName'}, {'name': 'B', 'type': 'string', 'jsonPath': '.spec[oops'},"
                + " {'name': 'C', 'type': 'string', 'jsonPath': '.spec.replicas'}]}").get("c"));
        assertEquals(List.of("Name", "A"), printer.columns().stream().map(Column::name).toList());
    }
}
