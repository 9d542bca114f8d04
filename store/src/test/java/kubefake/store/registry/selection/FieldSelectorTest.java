package kubefake.store.registry.selection;

import kubefake.store.registry.Kinds;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSelectorTest {

    private static final Map<String, String> POD = Map.of("metadata.name", "web-1", "status.phase", "Running",
            "spec.nodeName", "w1-k8s");

    @Test
    void parsesAndMatches() {
        FieldSelector s = FieldSelector.parse("status.phase!=Pending,spec.nodeName=w1-k8s");
        assertEquals(List.of(new FieldSelector.Requirement("spec.nodeName", true, "w1-k8s"),
                new FieldSelector.Requirement("status.phase", false, "Pending")), s.requirements());
        assertTrue(s.matches(POD::get));
        assertFalse(FieldSelector.parse("metadata.name==web-2").matches(POD::get));
        assertTrue(FieldSelector.parse("spec.schedulerName=").matches(POD::get), "absent fields compare as empty");
        assertTrue(FieldSelector.parse("").isEverything());
        assertEquals("w1-k8s", s.requiresExactMatch("spec.nodeName"));
    }

    @Test
    void escapedValues() {
        FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d");
        assertEquals("a,b=c\\d", s.requirements().get(0).value());
        assertEquals("metadata.name=a\\,b\\=c\\\\d", s.toString());
    }

    private static String error(String selector) {
        StatusException e = assertThrows(StatusException.class, () -> FieldSelector.parse(selector));
        assertEquals(400, e.code());
        return e.message();
    }

    @Test
    void errors() {
        assertEquals("invalid selector: 'foo'; can't understand 'foo'", error("foo"));
        assertEquals("invalid field selector: invalid escape sequence: \\x", error("a=\\x"));
        assertEquals("invalid field selector: unescaped character in value: 61", error("a=b=c"));
        assertEquals("invalid field selector: invalid escape sequence: \\", error("a=b\\"));
    }

    @Test
    void fieldValuesOfAnObject() throws Exception {
        com.fasterxml.jackson.databind.JsonNode pod = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ref\"},\"spec\":{\"nodeName\":\"w1-k8s\"},"
                        + "\"status\":{\"phase\":\"Running\",\"podIPs\":[{\"ip\":\"10.0.0.1\"}]}}");
        assertTrue(FieldSelector.parse("spec.nodeName=w1-k8s,metadata.namespace=ref,status.phase!=Failed")
                .matches(FieldLabels.values(pod)));
        assertTrue(FieldSelector.parse("spec.hostNetwork=false,status.podIPs=10.0.0.1")
                .matches(FieldLabels.values(pod)));
        assertFalse(FieldSelector.parse("metadata.name=q").matches(FieldLabels.values(pod)));
    }

    @Test
    void supportedFieldLabels() {
        FieldLabels pods = Kinds.rules("", "Pod").fieldLabels();
        FieldSelector converted = pods.check(FieldSelector.parse("spec.host=w1-k8s"));
        assertEquals("spec.nodeName", converted.requirements().get(0).field());
        assertEquals("field label not supported: foo",
                assertThrows(StatusException.class, () -> pods.check(FieldSelector.parse("foo=bar"))).message());
        FieldLabels configMaps = Kinds.rules("", "ConfigMap").fieldLabels();
        configMaps.check(FieldSelector.parse("metadata.name=cfg"));
        assertEquals("\"data.a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                assertThrows(StatusException.class,
                        () -> configMaps.check(FieldSelector.parse("data.a=b"))).message());
        assertTrue(Kinds.rules("apps", "ReplicaSet").fieldLabels().supports("status.replicas"));
        assertTrue(Kinds.rules("", "Event").fieldLabels().supports("involvedObject.name"));
    }
}
