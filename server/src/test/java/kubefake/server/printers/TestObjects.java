package kubefake.server.printers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Objects for the printer tests, written as JSON (single quotes allowed). */
final class TestObjects {

    /** The instant the tests print at. */
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private TestObjects() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Reference.JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An RFC 3339 timestamp this long before {@link #NOW}. */
    static String ago(String isoDuration) {
        return NOW.minus(java.time.Duration.parse(isoDuration)).toString();
    }
}
