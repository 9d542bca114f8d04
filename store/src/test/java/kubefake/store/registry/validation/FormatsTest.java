package kubefake.store.registry.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatsTest {

    @Test
    void names() {
        assertEquals(List.of(), Formats.isDNS1123Subdomain("example.com"));
        assertEquals(List.of("must not contain dots"), Formats.isDNS1123Label("a.b"));
        assertEquals(List.of(), Formats.nameIsDNSSubdomain("web-", true), "a generateName prefix may end in '-'");
        assertEquals(1, Formats.nameIsDNSSubdomain("web-", false).size());
        assertEquals("must be no more than 63 characters", Formats.isDNS1123Label("a".repeat(64)).get(0));
        assertEquals(List.of(), Formats.isQualifiedName("app.kubernetes.io/name"));
        assertEquals("prefix part must be non-empty", Formats.isQualifiedName("/name").get(0));
        assertTrue(Formats.isQualifiedName("a/b/c").get(0).startsWith("a qualified name must consist of"));
        assertEquals(List.of(), Formats.isValidLabelValue(""));
        assertEquals(List.of("must not start with '..'"), Formats.isConfigMapKey("..x"));
        assertEquals(List.of("must contain at least one letter (a-z)"), Formats.isValidPortName("8080"));
    }

    /** Every string of up to 4 characters of a small alphabet: the loops accept exactly what Kubernetes' regexes accept. */
    @Test
    void nameFormatsMatchTheirRegularExpressions() {
        String label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
        java.util.regex.Pattern dns1123Label = java.util.regex.Pattern.compile(label);
        java.util.regex.Pattern dns1123Subdomain = java.util.regex.Pattern.compile(label + "(\\." + label + ")*");
        java.util.regex.Pattern qualifiedName = java.util.regex.Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
        List<String> strings = new java.util.ArrayList<>(List.of(""));
        String alphabet = "aZ0-_./\u00e9";
        for (int length = 1, from = 0; length <= 4; length++) {
            int to = strings.size();
            for (int i = from; i < to; i++) for (char c : alphabet.toCharArray()) strings.add(strings.get(i) + c);
            from = to;
        }
        for (String s : strings) {
            assertEquals(dns1123Label.matcher(s).matches(), Formats.matchesDNS1123Label(s), "label '" + s + "'");
            assertEquals(dns1123Subdomain.matcher(s).matches(), Formats.matchesDNS1123Subdomain(s), "subdomain '" + s + "'");
            assertEquals(qualifiedName.matcher(s).matches(), Formats.matchesQualifiedName(s), "qualified name '" + s + "'");
            assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, Formats.byteLength(s), "bytes of '" + s + "'");
        }
    }

    @Test
    void quantitiesPrintCanonically() {
        assertEquals("1", Quantity.parse("1000m").toString());
        assertEquals("1500m", Quantity.parse("1.5").toString());
        assertEquals("1Gi", Quantity.parse("1024Mi").toString());
        assertEquals("1536Mi", Quantity.parse("1.5Gi").toString());
        assertEquals("100M", Quantity.parse("100M").toString());
        assertEquals("1k", Quantity.parse("1000").toString());
        assertEquals("1500", Quantity.parse("1500").toString());
        assertEquals("0", Quantity.parse("0").toString());
        assertTrue(Quantity.parse("1Gi").compareTo(Quantity.parse("1G")) > 0);
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parse("1Gb"));
    }
}
