package kubefake.store.registry.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test helpers: JSON from text (single quotes allowed for readability) and tree comparison. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses JSON written with single quotes instead of double quotes. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    /** Asserts two trees are equal, showing both as JSON when they are not. */
    static void assertJson(String expected, JsonNode actual) {
        JsonNode expectedTree = json(expected);
        if (!JsonValues.same(expectedTree, actual)) {
            assertEquals(expectedTree.toPrettyString(), actual.toPrettyString());
        }
    }
}
