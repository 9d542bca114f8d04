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
