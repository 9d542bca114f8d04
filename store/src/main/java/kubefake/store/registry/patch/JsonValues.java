package kubefake.store.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small operations on Jackson trees shared by the patch engines. */
public final class JsonValues {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    /**
     * Equality of decoded JSON values as Go compares them: numbers by value, but an integer never equals a
     * float (Go decodes them to int64 and float64); objects and arrays structurally. Jackson's own
     * {@code equals} would tell an {@code IntNode} from a {@code LongNode} of the same value.
     */
    static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() != b.isIntegralNumber()) {
                return false;
            }
            return a.isIntegralNumber()
                    ? a.bigIntegerValue().equals(b.bigIntegerValue())
                    : a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> entry : a.properties()) {
                if (!b.has(entry.getKey()) || !same(entry.getValue(), b.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.getNodeType() == b.getNodeType() && a.equals(b);
    }

    /** The field names of an object, copied so the object can be changed while they are walked. */
    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The elements of an array as a mutable list. */
    static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.elements().forEachRemaining(list::add);
        return list;
    }

    static ArrayNode arrayOf(List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode(elements.size());
        array.addAll(elements);
        return array;
    }

    static boolean isNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** JSON type names as Go's decoder words them in "cannot unmarshal X into ...". */
    public static String jsonKind(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isNumber()) {
            return "number";
        }
        return "null";
    }

    /**
     * Drops null-valued fields of objects, at every depth (nulls as array elements stay). A merge patch or
     * strategic merge patch that brings in a new subtree keeps no nulls: they mean "absent".
     */
    static JsonNode withoutNullFields(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String name : fieldNames(object)) {
                JsonNode value = object.get(name);
                if (value.isNull()) {
                    object.remove(name);
                } else {
                    withoutNullFields(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                withoutNullFields(element);
            }
        }
        return node;
    }
}
