package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.StatusException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side apply's promises over random objects: a ConfigMap's data and labels (granular maps) and a Deployment's
 * containers (a map-list keyed by name), applied by several managers.
 */
class ApplyPropertyTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final FieldManager CONFIGMAPS = FieldManager.of("", "v1", "ConfigMap", false);
    private static final FieldManager DEPLOYMENTS = FieldManager.of("apps", "v1", "Deployment", true);

    /** Some keys (of a small alphabet, so that sets overlap) with values. */
    @Provide
    Arbitrary<Map<String, String>> entries() {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d", "e", "f"), Arbitraries.of("1", "2", "3")).ofMaxSize(5)
                .map(TreeMap::new);
    }

    static ObjectNode configMap(Map<String, String> data, Map<String, String> labels) {
        ObjectNode cm = JsonNodeFactory.instance.objectNode();
        cm.put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = cm.putObject("metadata").put("name", "cm").put("namespace", "default");
        if (!labels.isEmpty()) labels.forEach(meta.putObject("labels")::put);
        if (!data.isEmpty()) data.forEach(cm.putObject("data")::put);
        return cm;
    }

    static ObjectNode deployment(Map<String, String> images) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", "web").put("namespace", "default");
        if (!images.isEmpty()) {
            var containers = d.putObject("spec").putObject("template").putObject("spec").putArray("containers");
            images.forEach((name, tag) -> containers.addObject().put("name", name).put("image", "img:" + tag));
        }
        return d;
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> m = new TreeMap<>();
        if (node != null) node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static Map<String, String> images(JsonNode deployment) {
        Map<String, String> m = new TreeMap<>();
        deployment.at("/spec/template/spec/containers").forEach(c -> m.put(c.path("name").asText(),
                c.has("image") ? c.path("image").asText().substring("img:".length()) : "(no image)"));
        return m;
    }

    /** The object created by another client (an Update entry owning what it set), then stored with a uid. */
    private static ObjectNode createdByOther(FieldManager fm, ObjectNode object) {
        fm.update(null, object, null, "other", null, NOW);
        ((ObjectNode) object.get("metadata")).put("uid", "u");
        return object;
    }

    /**
     * B, plus what the other manager still owns and B does not set: the other manager keeps a field unless A (forced)
     * changed its value; a field A applied with the same value is shared, and stays when the applier drops it.
     */
    private static Map<String, String> expected(Map<String, String> other, Map<String, String> a, Map<String, String> b) {
        Map<String, String> expected = new TreeMap<>(b);
        other.forEach((k, v) -> {
            boolean stillOwned = !a.containsKey(k) || a.get(k).equals(v);
            if (stillOwned && !b.containsKey(k)) expected.put(k, v);
        });
        return expected;
    }

    @Property(tries = 300, seed = "140")
    void applyingAThenBYieldsBPlusWhatOthersOwn(@ForAll("entries") Map<String, String> other,
                                                 @ForAll("entries") Map<String, String> a,
                                                 @ForAll("entries") Map<String, String> b,
                                                 @ForAll("entries") Map<String, String> labelsA,
                                                 @ForAll("entries") Map<String, String> labelsB) {
        ObjectNode live = createdByOther(CONFIGMAPS, configMap(other, Map.of("other", "x")));
        live = CONFIGMAPS.apply(live, configMap(a, labelsA), "m", true, null, NOW);
        live = CONFIGMAPS.apply(live, configMap(b, labelsB), "m", true, null, NOW);

        assertEquals(expected(other, a, b), map(live.get("data")), live::toString);
        assertEquals(expected(Map.of("other", "x"), labelsA, labelsB), map(live.at("/metadata/labels")), live::toString);
    }

    @Property(tries = 200, seed = "141")
    void applyingAThenBToAMapListYieldsBPlusWhatOthersOwn(@ForAll("entries") Map<String, String> other,
                                                           @ForAll("entries") Map<String, String> a,
                                                           @ForAll("entries") Map<String, String> b) {
        ObjectNode live = createdByOther(DEPLOYMENTS, deployment(other));
        live = DEPLOYMENTS.apply(live, deployment(a), "m", true, null, NOW);
        live = DEPLOYMENTS.apply(live, deployment(b), "m", true, null, NOW);
        // ownership is per field: the other client keeps every container it created (item and name), and its
        // image unless A took the image over
        Map<String, String> expected = new TreeMap<>(expected(other, a, b));
        other.keySet().forEach(k -> expected.putIfAbsent(k, "(no image)"));
        assertEquals(expected, images(live), live::toString);
    }

    @Property(tries = 300, seed = "142")
    void managersApplyingDisjointFieldsNeverConflict(@ForAll("entries") Map<String, String> first,
                                                    @ForAll("entries") Map<String, String> second) {
        Map<String, String> disjoint = new TreeMap<>(second);
        disjoint.keySet().removeAll(first.keySet());
        ObjectNode live = CONFIGMAPS.apply(null, configMap(first, Map.of()), "first", false, null, NOW);
        live.with("metadata").put("uid", "u");
        live = CONFIGMAPS.apply(live, configMap(disjoint, Map.of()), "second", false, null, NOW);
        Map<String, String> both = new TreeMap<>(first);
        both.putAll(disjoint);
        assertEquals(both, map(live.get("data")));
        // and the first manager applying again changes nothing of the second's
        live = CONFIGMAPS.apply(live, configMap(first, Map.of()), "first", false, null, NOW);
        assertEquals(both, map(live.get("data")));
    }

    @Property(tries = 300, seed = "143")
    void overlappingFieldsConflictUnlessForced(@ForAll("entries") Map<String, String> first,
                                               @ForAll("entries") Map<String, String> second) {
        ObjectNode created = CONFIGMAPS.apply(null, configMap(first, Map.of()), "first", false, null, NOW);
        created.with("metadata").put("uid", "u");
        TreeSet<String> differing = new TreeSet<>();
        second.forEach((k, v) -> {
            if (first.containsKey(k) && !first.get(k).equals(v)) differing.add(k);
        });
        if (differing.isEmpty()) {
            // the same values (or other keys) are shared, never a conflict
            ObjectNode live = CONFIGMAPS.apply(created, configMap(second, Map.of()), "second", false, null, NOW);
            Map<String, String> merged = new TreeMap<>(first);
            merged.putAll(second);
            assertEquals(merged, map(live.get("data")));
            return;
        }
        StatusException e = assertThrows(StatusException.class,
                () -> CONFIGMAPS.apply(created, configMap(second, Map.of()), "second", false, null, NOW));
        assertEquals(409, e.code());
        List<String> fields = new ArrayList<>();
        e.details().causes().forEach(c -> {
            assertEquals("FieldManagerConflict", c.reason());
            assertEquals("conflict with \"first\"", c.message());
            fields.add(c.field());
        });
        assertEquals(differing.stream().map(k -> ".data." + k).toList(), fields);
        if (differing.size() == 1) {
            assertEquals("Apply failed with 1 conflict: conflict with \"first\": .data." + differing.first(), e.getMessage());
        } else {
            assertTrue(e.getMessage().startsWith("Apply failed with " + differing.size() + " conflicts: conflicts with \"first\":\n- .data."),
                    e.getMessage());
        }

        ObjectNode forced = CONFIGMAPS.apply(created, configMap(second, Map.of()), "second", true, null, NOW);
        Map<String, String> expected = new TreeMap<>(first);
        expected.putAll(second);
        assertEquals(expected, map(forced.get("data")));
        // the forced fields moved: the first manager owns none of them any more
        Map<String, JsonNode> owners = new LinkedHashMap<>();
        forced.at("/metadata/managedFields").forEach(m -> owners.put(m.path("manager").asText(), m.get("fieldsV1")));
        for (String k : differing) {
            assertTrue(owners.get("second").at("/f:data/f:" + k).isObject());
            assertTrue(!owners.containsKey("first") || owners.get("first").at("/f:data/f:" + k).isMissingNode());
        }
    }
}
