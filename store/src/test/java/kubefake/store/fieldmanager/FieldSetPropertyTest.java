package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Field sets behave as sets of paths, and their FieldsV1 form reads back to the same set. */
class FieldSetPropertyTest {

    @Provide
    Arbitrary<PathElement> elements() {
        return Arbitraries.oneOf(
                Arbitraries.of("spec", "metadata", "labels", "app", "image", "name", "replicas").map(PathElement::field),
                Arbitraries.of("nginx", "web").map(n -> PathElement.key(List.of(Map.entry("name", TextNode.valueOf(n))))),
                Arbitraries.integers().between(1, 3).map(p -> PathElement.key(List.of(
                        Map.entry("protocol", TextNode.valueOf("TCP")), Map.entry("containerPort", IntNode.valueOf(p * 40))))),
                Arbitraries.of("a", "b").map(v -> PathElement.value(TextNode.valueOf(v))),
                Arbitraries.integers().between(0, 2).map(PathElement::index));
    }

    @Provide
    Arbitrary<List<List<PathElement>>> pathLists() {
        return elements().list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(8);
    }

    private static Set<List<PathElement>> asSet(List<List<PathElement>> paths) {
        return new HashSet<>(paths);
    }

    @Property(tries = 300, seed = "7")
    void operationsAreThoseOfSetsOfPaths(@ForAll("pathLists") List<List<PathElement>> a, @ForAll("pathLists") List<List<PathElement>> b) {
        FieldSet x = FieldSet.of(a), y = FieldSet.of(b);
        Set<List<PathElement>> union = asSet(a);
        union.addAll(b);
        Set<List<PathElement>> inter = asSet(a);
        inter.retainAll(asSet(b));
        Set<List<PathElement>> diff = asSet(a);
        diff.removeAll(asSet(b));
        assertEquals(union, asSet(x.union(y).paths()));
        assertEquals(inter, asSet(x.intersection(y).paths()));
        assertEquals(diff, asSet(x.difference(y).paths()));
        for (List<PathElement> p : a) assertTrue(x.has(p));
        for (List<PathElement> p : diff) assertFalse(y.has(p));
        assertEquals(x.isEmpty(), a.isEmpty());
        assertEquals(!inter.isEmpty(), x.intersects(y));
        assertEquals(asSet(a).equals(asSet(b)), x.sameAs(y));
    }

    @Property(tries = 300, seed = "7")
    void equalElementsHashAlike(@ForAll("elements") PathElement a, @ForAll("elements") PathElement b) {
        if (a.equals(b)) assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void keysEqualByValueHashAlikeAndDifferentKeysSpread() {
        PathElement port = PathElement.key(List.of(Map.entry("containerPort", IntNode.valueOf(80))));
        PathElement samePort = PathElement.key(List.of(Map.entry("containerPort",
                com.fasterxml.jackson.databind.node.DecimalNode.valueOf(new java.math.BigDecimal("80.0")))));
        assertEquals(port, samePort);
        assertEquals(port.hashCode(), samePort.hashCode());
        Set<Integer> hashes = new HashSet<>();
        for (String type : List.of("Ready", "Initialized", "PodScheduled", "ContainersReady")) {
            hashes.add(PathElement.key(List.of(Map.entry("type", TextNode.valueOf(type)))).hashCode());
        }
        assertEquals(4, hashes.size(), "a list's item keys should not share one hash");
    }

    @Property(tries = 300, seed = "9")
    void removingInPlaceWritesWhatTheDifferenceWrites(@ForAll("pathLists") List<List<PathElement>> a,
                                                      @ForAll("pathLists") List<List<PathElement>> b) {
        FieldSet y = FieldSet.of(b);
        FieldSet diff = FieldSet.of(a).difference(y);
        FieldSet removed = FieldSet.of(a).removeAll(y);
        assertEquals(asSet(diff.paths()), asSet(removed.paths()));
        assertEquals(diff.isEmpty(), removed.isEmpty());
        // no node left empty: an empty child would be written as an owned field ("f:x": {})
        assertEquals(FieldsV1.toJson(diff).toString(), FieldsV1.toJson(removed).toString());
    }

    @Property(tries = 300, seed = "8")
    void fieldsV1ReadsBackToTheSameSet(@ForAll("pathLists") List<List<PathElement>> a) throws Exception {
        FieldSet x = FieldSet.of(a);
        String json = new ObjectMapper().writeValueAsString(FieldsV1.toJson(x));
        assertEquals(asSet(a), asSet(FieldsV1.fromJson(new ObjectMapper().readTree(json)).paths()));
        // and writes the same bytes again (the order is the elements' order)
        assertEquals(json, FieldsV1.toJson(FieldsV1.fromJson(new ObjectMapper().readTree(json))).toString());
    }

    @Test
    void elementsSerializeAndPrintAsTheRealServerDoes() {
        PathElement port = PathElement.key(List.of(Map.entry("protocol", TextNode.valueOf("TCP")),
                Map.entry("containerPort", IntNode.valueOf(80))));
        assertEquals("k:{\"containerPort\":80,\"protocol\":\"TCP\"}", port.serialize());
        assertEquals("[containerPort=80,protocol=\"TCP\"]", port.toString());
        assertEquals("v:\"a\"", PathElement.value(TextNode.valueOf("a")).serialize());
        assertEquals("[=\"a\"]", PathElement.value(TextNode.valueOf("a")).toString());
        assertEquals("i:2", PathElement.index(2).serialize());
        assertEquals(port, PathElement.parse(port.serialize()));
        // names before keys before values before indexes
        assertTrue(PathElement.field("z").compareTo(port) < 0);
        assertTrue(port.compareTo(PathElement.value(TextNode.valueOf("a"))) < 0);
        assertTrue(PathElement.value(IntNode.valueOf(9)).compareTo(PathElement.index(0)) < 0);
        // numbers by value: 9 before 10
        assertTrue(PathElement.value(IntNode.valueOf(9)).compareTo(PathElement.value(IntNode.valueOf(10))) < 0);
    }

    /** A key or set value with any text, number or truth value serializes as JSON writes it, and reads back the same. */
    @Property
    void keysAndValuesSerializeAsJson(@ForAll String text, @ForAll long number, @ForAll boolean truth) throws Exception {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode[] values = {TextNode.valueOf(text), IntNode.valueOf((int) number),
                com.fasterxml.jackson.databind.node.LongNode.valueOf(number),
                com.fasterxml.jackson.databind.node.BooleanNode.valueOf(truth)};
        for (var v : values) {
            PathElement key = PathElement.key(List.of(Map.entry("name" + text, v), Map.entry("protocol", TextNode.valueOf(text))));
            var expected = json.createObjectNode();
            expected.set("name" + text, v);
            expected.set("protocol", TextNode.valueOf(text));
            if (("name" + text).compareTo("protocol") > 0) {
                expected.removeAll();
                expected.set("protocol", TextNode.valueOf(text));
                expected.set("name" + text, v);
            }
            assertEquals("k:" + json.writeValueAsString(expected), key.serialize());
            assertEquals(key, PathElement.parse(key.serialize()));
            PathElement value = PathElement.value(v);
            assertEquals("v:" + json.writeValueAsString(v), value.serialize());
            assertEquals(value, PathElement.parse(value.serialize()));
        }
    }
}
