package kubefake.store.registry.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "env", "prod");

    @Test
    void equalityAndSetOperators() {
        assertTrue(LabelSelector.parse("app=web").matches(WEB));
        assertTrue(LabelSelector.parse("app==web").matches(WEB));
        assertFalse(LabelSelector.parse("app!=web").matches(WEB));
        assertTrue(LabelSelector.parse("app!=db").matches(WEB));
        assertTrue(LabelSelector.parse("missing!=x").matches(WEB), "!= matches objects without the key");
        assertTrue(LabelSelector.parse("env in (prod, dev)").matches(WEB));
        assertFalse(LabelSelector.parse("env notin (prod)").matches(WEB));
        assertTrue(LabelSelector.parse("missing notin (prod)").matches(WEB));
        assertTrue(LabelSelector.parse("tier").matches(WEB));
        assertFalse(LabelSelector.parse("!tier").matches(WEB));
        assertTrue(LabelSelector.parse("  app = web ,  !canary ").matches(WEB));
        assertFalse(LabelSelector.parse("app=web,tier=back").matches(WEB));
        assertTrue(LabelSelector.parse("").isEverything());
        assertTrue(LabelSelector.parse("").matches(Map.of()));
    }

    @Test
    void emptyValuesAndKeywordsAsValues() {
        assertTrue(LabelSelector.parse("x in (foo,,baz),y,z notin ()")
                .matches(Map.of("x", "", "y", "1")));
        assertTrue(LabelSelector.parse("a=").matches(Map.of("a", "")));
        assertTrue(LabelSelector.parse("a in (in,notin)").matches(Map.of("a", "notin")));
    }

    @Test
    void canonicalStringSortsByKey() {
        assertEquals("a=1,b in (x,y),!c", LabelSelector.parse("!c, b in (y,x), a=1").toString());
    }

    private static String error(String selector) {
        StatusException e = assertThrows(StatusException.class, () -> LabelSelector.parse(selector));
        assertEquals(400, e.code());
        assertEquals("BadRequest", e.reason());
        return e.message();
    }

    @Test
    void parseErrorsCarryTheServerMessages() {
        assertEquals("found '', expected: identifier after ','", error("app=web,"));
        assertEquals("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt", error("a b"));
        assertEquals("unable to parse requirement: found 'b' expected: '('", error("x in b"));
        assertEquals("found ',', expected: !, identifier, or 'end of string'", error(",a"));
        assertEquals("unable to parse requirement: found ')', expected: identifier", error("a=)"));
        assertEquals("unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", error("-bad=1"));
        assertEquals("unable to parse requirement: values[0][app]: Invalid value: \"-x\": a valid label must be an "
                + "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                + "an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
                + "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", error("app=-x"));
    }

    @Test
    void fromJsonFollowsLabelSelectorAsSelector() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode sel = m.readTree("{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
                + "{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]},"
                + "{\"key\":\"canary\",\"operator\":\"DoesNotExist\"},"
                + "{\"key\":\"tier\",\"operator\":\"Exists\"},"
                + "{\"key\":\"zone\",\"operator\":\"NotIn\",\"values\":[\"a\"]}]}");
        LabelSelector s = LabelSelector.fromJson(sel);
        assertTrue(s.matches(WEB));
        assertFalse(s.matches(Map.of("app", "web", "env", "prod")));
        assertTrue(LabelSelector.fromJson(m.readTree("{}")).isEverything());
        assertTrue(LabelSelector.fromJson(null).isNothing());
        assertFalse(LabelSelector.fromJson(null).matches(WEB));
        assertTrue(s.matches(m.readTree("{\"app\":\"web\",\"env\":\"dev\",\"tier\":\"x\"}")));
        StatusException e = assertThrows(StatusException.class, () -> LabelSelector.fromJson(
                m.readTree("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Near\"}]}")));
        assertEquals("\"Near\" is not a valid label selector operator", e.message());
        e = assertThrows(StatusException.class, () -> LabelSelector.fromJson(
                m.readTree("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}")));
        assertEquals("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
                e.message());
    }
}
