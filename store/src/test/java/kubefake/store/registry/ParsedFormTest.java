package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A writer's tree brought to what parsing its own JSON gives, so that it can stand for that parse. */
class ParsedFormTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void integersTakeTheNodeTypesParsingGivesAndTheJsonStaysTheSame() {
        ObjectNode tree = NODES.objectNode();
        tree.put("grace", 30L).put("big", 1L << 40).put("short", (short) 7).put("integral", new BigInteger("12"))
                .put("huge", new BigInteger("123456789012345678901234567890")).put("text", "x").put("flag", true)
                .putNull("none");
        ArrayNode items = tree.putArray("items");
        items.add(5L).add("a").addObject().put("deep", 3L);
        byte[] before = Json.bytes(tree);
        assertNotEquals(Json.parseObject(before), tree);

        assertTrue(ParsedForm.normalize(tree));

        assertEquals(Json.parseObject(before), tree);
        assertArrayEquals(before, Json.bytes(tree));
        assertTrue(tree.get("grace").isInt());
        assertTrue(tree.get("big").isLong());
    }

    @Test
    void aFloatingPointNumberCannotStandForItsParse() {
        // the registry's mapper reads 2.0 as the BigDecimal 2, whose JSON is "2": no node of the same JSON equals it
        ObjectNode tree = NODES.objectNode();
        tree.putObject("spec").put("ratio", 2.0);
        assertNotEquals(Json.parseObject(Json.bytes(tree)), tree);
        assertFalse(ParsedForm.normalize(tree));
        assertFalse(ParsedForm.normalize(NODES.objectNode().put("d", new BigDecimal("2.50"))));
    }

    @Test
    void aValueWithoutAJsonFormOfItsOwnCannotStandForAParse() {
        ObjectNode tree = NODES.objectNode();
        tree.putObject("spec").putPOJO("pojo", new Object());
        assertFalse(ParsedForm.normalize(tree));
        assertFalse(ParsedForm.normalize(NODES.objectNode().put("bytes", new byte[] {1, 2})));
    }
}
