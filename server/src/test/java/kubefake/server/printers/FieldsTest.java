package kubefake.server.printers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** Timestamps read as {@link Instant#parse} reads them, the API server's whole-second form without it. */
class FieldsTest {

    @Test
    void timestampsReadAsInstantParseReadsThem() {
        for (String text : new String[] {"2026-12-08T01:02:03Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "2026-04-31T00:00:00Z", "2026-12-08T24:00:00Z", "2026-12-08T23:60:00Z", "2016-12-31T23:59:60Z",
                "2026-12-08T01:02:03.123456Z", "2026-12-08T01:02:03+01:00", "2026-12-08 01:02:03Z",
                "2026-1a-08T01:02:03Z", "9999-12-31T23:59:59Z", "not a time", "2026-12-08T01:02:03z"}) {
            assertEquals(instantParse(text), Fields.time(JsonNodeFactory.instance.objectNode().put("t", text), "t"), text);
        }
    }

    private static Instant instantParse(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
