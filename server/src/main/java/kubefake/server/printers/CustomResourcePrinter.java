package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Custom resources: {@code Name}, then one column per {@code additionalPrinterColumns} entry of
 * the served CRD version (or {@code Age} when there are none), each cell the first JSONPath
 * match converted to the column's type; {@code null} (kubectl shows {@code <none>}) when nothing
 * matches.
 */
final class CustomResourcePrinter implements TablePrinter {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private record PrinterColumn(Column column, JsonPath path) {
    }

    private final List<Column> columns = new ArrayList<>();
    private final List<PrinterColumn> printerColumns = new ArrayList<>();

    /**
     * @param additionalPrinterColumns the CRD version's {@code additionalPrinterColumns}, possibly
     *                                 missing; a column whose JSONPath cannot be parsed ends the list,
     *                                 as in the API server
     */
    CustomResourcePrinter(JsonNode additionalPrinterColumns) {
        columns.add(Columns.NAME);
        List<JsonNode> definitions = Fields.list(additionalPrinterColumns);
        if (definitions.isEmpty()) {
            add(new Column("Age", "date", "", Columns.CREATION_TIMESTAMP_DESCRIPTION, 0), ".metadata.creationTimestamp");
            return;
        }
        for (JsonNode definition : definitions) {
            String jsonPath = Fields.text(definition, "jsonPath");
            String description = Fields.text(definition, "description");
            Column column = new Column(Fields.text(definition, "name"), Fields.text(definition, "type"),
                    Fields.text(definition, "format"),
                    description.isEmpty() ? "Custom resource definition column (in JSONPath format): " + jsonPath
                            : description,
                    (int) Fields.number(definition, "priority"));
            try {
                add(column, jsonPath);
            } catch (IllegalArgumentException e) {
                return;
            }
        }
    }

    private void add(Column column, String jsonPath) {
        JsonPath path = JsonPath.compile(jsonPath);
        columns.add(column);
        printerColumns.add(new PrinterColumn(column, path));
    }

    @Override
    public List<Column> columns() {
        return List.copyOf(columns);
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        List<Object> cells = new ArrayList<>();
        cells.add(Fields.name(object));
        for (PrinterColumn printerColumn : printerColumns) {
            List<JsonNode> found = printerColumn.path().find(object);
            cells.add(found.isEmpty() ? null : cell(printerColumn.column().type(), found.get(0), now));
        }
        return cells;
    }

    /** The value as the column's type says; null when it does not fit the type. */
    private static Object cell(String type, JsonNode value, Instant now) {
        if (value.isNull()) {
            return null;
        }
        return switch (type) {
            case "string" -> text(value);
            case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
            case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
            case "date" -> value.isTextual() ? age(value.asText(), now) : null;
            default -> null;
        };
    }

    /** How JSONPath prints a value: strings raw, numbers and booleans as Go does, the rest as JSON. */
    private static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return goFloat(value.asDouble());
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.asBoolean());
        }
        try {
            return JSON.writeValueAsString(JSON.treeToValue(value, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Go's {@code %v} of a float64: the shortest digits, in exponent form when the exponent is
     * below -4 or at least 6 ({@code 1e+06}, {@code 1.5e-05}, {@code 123456}, {@code 0.25}).
     */
    static String goFloat(double d) {
        if (d == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = Integer.toString(Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + exact.abs().toPlainString();
    }

    private static String age(String timestamp, Instant now) {
        try {
            return Formats.since(Instant.parse(timestamp), now);
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }
}
