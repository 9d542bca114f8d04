package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Writing numbers into trees as parsing would make them: a long field holding a small value becomes an int node,
 * so that a tree a controller builds equals the stored one it is compared with (Jackson's LongNode(1) is not equal to
 * the IntNode(1) a parse gives, and an "unchanged" status would be written again and again).
 */
public final class Trees {
    private Trees() {
    }

    public static void putNumber(ObjectNode o, String field, long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) o.put(field, (int) value);
        else o.put(field, value);
    }

    /** Puts the number unless it is zero (Go's omitempty). */
    public static void putNonZero(ObjectNode o, String field, long value) {
        if (value != 0) putNumber(o, field, value);
    }

    /** A copy with the members of every object sorted by key (how Go writes maps). */
    public static JsonNode sortedKeys(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.stream().sorted().forEach(k -> o.set(k, sortedKeys(n.get(k))));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            n.forEach(e -> a.add(sortedKeys(e)));
            return a;
        }
        return n;
    }
}
