package kubefake.store.registry.selection;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Label and field selectors built from pieces of their grammar in any order: parsing either succeeds or is a
 * Status error (400 with apimachinery's message), and a selector that parses matches any object without failing
 * and prints as text that parses to the same selector.
 */
class SelectorsPropertyTest {
    private static final List<String> LABEL_PIECES = List.of("app", "a.b/c", "x", "-", "_", "=", "==", "!=", "!", " ",
            ",", "in", "notin", "(", ")", " in (", " notin (", "a,b", ">", "<", "1", "99999999999999999999", "exists",
            "\\", "é", "\t", "", "k8s.io/", "/", "a".repeat(64));
    private static final List<String> FIELD_PIECES = List.of("metadata.name", "metadata.namespace", "spec.nodeName",
            "status.phase", "=", "==", "!=", ",", "\\", "\\,", "\\=", "\\\\", "x", " ", "", "!", "é");

    @Provide
    Arbitrary<String> labelSelectors() {
        return Arbitraries.of(LABEL_PIECES).list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> fieldSelectors() {
        return Arbitraries.of(FIELD_PIECES).list().ofMaxSize(10).map(parts -> String.join("", parts));
    }

    @Property(tries = 1500, seed = "21", edgeCases = EdgeCasesMode.NONE)
    void labelSelectorsParseOrFailWithAStatus(@ForAll("labelSelectors") String text) {
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(text);
        } catch (StatusException refused) {
            return;
        }
        ObjectNode labels = JsonNodeFactory.instance.objectNode().put("app", "x").put("a.b/c", "1").put("x", "");
        selector.matches(labels);
        selector.matches(JsonNodeFactory.instance.arrayNode().add(1));
        assertEquals(selector.toString(), LabelSelector.parse(selector.toString()).toString(), text);
    }

    @Property(tries = 1500, seed = "22", edgeCases = EdgeCasesMode.NONE)
    void fieldSelectorsParseOrFailWithAStatus(@ForAll("fieldSelectors") String text) {
        FieldSelector selector;
        try {
            selector = FieldSelector.parse(text);
        } catch (StatusException refused) {
            return;
        }
        selector.matches(field -> field.equals("metadata.name") ? "x" : null);
        assertEquals(selector.toString(), FieldSelector.parse(selector.toString()).toString(), text);
    }
}
