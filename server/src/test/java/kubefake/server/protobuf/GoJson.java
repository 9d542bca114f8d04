package kubefake.server.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: brings JSON written by Go into the form ProtobufDecoder produces. */
final class GoJson {

    private GoJson() {
    }

    /**
     * A copy of {@code json} without the object members that are {@code null}. Go writes {@code null} for nil
     * pointers and slices without omitempty and for zero times ({@code "creationTimestamp": null}); the decoder
     * leaves those members out, which means the same to every reader.
     */
    static JsonNode withoutNulls(JsonNode json) {
        JsonNode copy = json.deepCopy();
        dropNulls(copy);
        return copy;
    }

    private static void dropNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                if (member.getValue().isNull()) {
                    nulls.add(member.getKey());
                } else {
                    dropNulls(member.getValue());
                }
            }
            object.remove(nulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(GoJson::dropNulls);
        }
    }
}
