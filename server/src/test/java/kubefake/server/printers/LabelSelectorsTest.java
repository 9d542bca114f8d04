package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    @Test
    void requirementsAreSortedByKeyWithValuesSorted() {
        String selector = "{'matchLabels': {'tier': 'front', 'app': 'web'}, 'matchExpressions': ["
                + "{'key': 'env', 'operator': 'In', 'values': ['prod', 'dev']},"
                + "{'key': 'zone', 'operator': 'NotIn', 'values': ['b']},"
                + "{'key': 'canary', 'operator': 'DoesNotExist'},"
                + "{'key': 'owner', 'operator': 'Exists'}]}";
        assertEquals("app=web,!canary,env in (dev,prod),owner,tier=front,zone notin (b)",
                LabelSelectors.formatOrNone(json(selector)));
    }

    @Test
    void emptyOrMissingSelectorsPrintNone() {
        assertEquals("<none>", LabelSelectors.formatOrNone(json("{}")));
        assertEquals("<none>", LabelSelectors.formatOrNone(MissingNode.getInstance()));
        assertEquals("", LabelSelectors.formatOrInvalid(json("{}")));
    }

    @Test
    void invalidSelectors() {
        String badOperator = "{'matchExpressions': [{'key': 'a', 'operator': 'Near', 'values': ['x']}]}";
        assertEquals("<error>", LabelSelectors.formatOrNone(json(badOperator)));
        assertEquals("<invalid>", LabelSelectors.formatOrInvalid(json(badOperator)));
        assertEquals("<error>", LabelSelectors.formatOrNone(json("{'matchExpressions': [{'key': 'a', 'operator': 'In'}]}")));
    }
}
