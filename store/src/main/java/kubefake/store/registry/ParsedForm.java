package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Map;

/**
 * Puts a tree a writer built into the form {@link Json#parseObject} gives its JSON, so that it can stand for its
 * bytes' parse: readers compare trees with {@code equals}, which tells a {@code LongNode} 5 from the {@code IntNode} 5
 * parsing gives. Text, booleans, nulls and ints are already in that form, and an integer of another node type is
 * written with the same digits as the node parsing gives, so replacing it changes no byte. A floating-point number
 * is not: the registry's mapper reads it as a {@code BigDecimal} whose JSON may differ from the writer's (2.0 reads
 * back as 2), so a tree holding one (none of the built-in kinds has a float) is not brought to that form. Field order
 * needs nothing: the bytes are written in the tree's.
 */
final class ParsedForm {
    private ParsedForm() {
    }

    /**
     * Brings every integer of {@code tree} to the node type parsing gives, in place; the tree's JSON stays the same.
     *
     * @return false when a value has no parsed form this can give without changing the JSON (a floating-point
     * number, a POJO, binary or missing node): the tree cannot stand for a parse then
     */
    static boolean normalize(JsonNode tree) {
        if (tree instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                JsonNode v = e.getValue();
                if (v.isContainerNode()) {
                    if (!normalize(v)) return false;
                } else if (!isParsedForm(v)) {
                    JsonNode parsed = parsed(v);
                    if (parsed == null) return false;
                    e.setValue(parsed);
                }
            }
            return true;
        }
        if (tree instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isContainerNode()) {
                    if (!normalize(v)) return false;
                } else if (!isParsedForm(v)) {
                    JsonNode parsed = parsed(v);
                    if (parsed == null) return false;
                    a.set(i, parsed);
                }
            }
            return true;
        }
        return isParsedForm(tree);
    }

    private static boolean isParsedForm(JsonNode v) {
        return v instanceof TextNode || v instanceof IntNode || v instanceof BooleanNode || v instanceof NullNode
                || (v instanceof LongNode && !v.canConvertToInt())
                || (v instanceof BigIntegerNode && !v.canConvertToLong());
    }

    /** An integer as parsing its JSON gives it, or null for any other value. */
    private static JsonNode parsed(JsonNode v) {
        if (!v.isIntegralNumber()) return null;
        if (v.canConvertToInt()) return IntNode.valueOf(v.intValue());
        if (v.canConvertToLong()) return LongNode.valueOf(v.longValue());
        return BigIntegerNode.valueOf(v.bigIntegerValue());
    }
}
