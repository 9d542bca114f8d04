package kubefake.server.printers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every column definition equals the one the real 1.33 API server sent, field by field. */
class RecordedColumnDefinitionsTest {

    static List<Reference.RecordedTable> tables() {
        return Reference.tables();
    }

    @Test
    void theRecordingHasTheTablesOfEveryListableResource() {
        assertTrue(tables().size() >= 55, "recorded tables: " + tables().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void columnsAreTheRealServers(Reference.RecordedTable recorded) {
        List<Column> columns = TablePrinters.forResource(recorded.group(), recorded.resource()).columns();
        JsonNode expected = recorded.table().path("columnDefinitions");
        assertEquals(expected.size(), columns.size(), () -> "number of columns of " + recorded.resource()
                + ": expected " + names(expected) + " but printing " + columns.stream().map(Column::name).toList());
        for (int i = 0; i < columns.size(); i++) {
            JsonNode want = expected.get(i);
            Column got = columns.get(i);
            String where = recorded.resource() + " column " + i + " (" + want.path("name").asText() + ")";
            assertEquals(want.path("name").asText(), got.name(), where + " name");
            assertEquals(want.path("type").asText(), got.type(), where + " type");
            assertEquals(want.path("format").asText(), got.format(), where + " format");
            assertEquals(want.path("description").asText(), got.description(), where + " description");
            assertEquals(want.path("priority").asInt(), got.priority(), where + " priority");
        }
    }

    private static List<String> names(JsonNode columns) {
        return java.util.stream.StreamSupport.stream(columns.spliterator(), false)
                .map(c -> c.path("name").asText()).toList();
    }
}
