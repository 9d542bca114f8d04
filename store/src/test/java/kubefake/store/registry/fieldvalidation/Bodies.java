package kubefake.store.registry.fieldvalidation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Test helpers: request bodies written with single quotes for readability. */
final class Bodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Bodies() {
    }

    static String text(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static byte[] bytes(String singleQuoted) {
        return text(singleQuoted).getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode object(String singleQuoted) {
        return (ObjectNode) tree(singleQuoted);
    }

    static JsonNode tree(String singleQuoted) {
        try {
            return MAPPER.readTree(text(singleQuoted));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + singleQuoted, e);
        }
    }
}
