package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.patch.PatchSchema;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The comparison that skips a write's reset fields as it walks gives what comparing everything and then dropping
 * those fields gives.
 */
class ComparisonPropertyTest {
    private static final TypeRef DEPLOYMENT = TypeRef.root(PatchSchema.forGroupVersionKind("apps", "v1", "Deployment"));
    private static final List<FieldSet> IGNORED = List.of(
            new FieldSet(),
            new FieldSet().insert(List.of(PathElement.field("status"))),
            new FieldSet().insert(List.of(PathElement.field("spec"))),
            new FieldSet().insert(List.of(PathElement.field("spec"), PathElement.field("template"))),
            new FieldSet().insert(List.of(PathElement.field("metadata"), PathElement.field("labels")))
                    .insert(List.of(PathElement.field("status"), PathElement.field("replicas"))));

    @Provide
    Arbitrary<Map<String, String>> entries() {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), Arbitraries.of("1", "2")).ofMaxSize(4).map(TreeMap::new);
    }

    private static ObjectNode deployment(Map<String, String> images, Map<String, String> labels, int replicas) {
        ObjectNode d = ApplyPropertyTest.deployment(images);
        if (!labels.isEmpty()) labels.forEach(((ObjectNode) d.get("metadata")).putObject("labels")::put);
        if (replicas > 0) d.putObject("status").put("replicas", replicas).put("readyReplicas", replicas - 1);
        return d;
    }

    @Property(tries = 300, seed = "20261206")
    void skippingIgnoredFieldsWhileComparingEqualsDroppingThemAfter(
            @ForAll("entries") Map<String, String> images1, @ForAll("entries") Map<String, String> labels1,
            @ForAll("entries") Map<String, String> images2, @ForAll("entries") Map<String, String> labels2) {
        ObjectNode a = deployment(images1, labels1, images1.size());
        ObjectNode b = deployment(images2, labels2, images2.size());
        for (FieldSet ignored : IGNORED) {
            Comparison whole = Comparison.of(a, b, DEPLOYMENT).excluding(ignored);
            Comparison skipping = Comparison.of(a, b, DEPLOYMENT, ignored);
            assertEquals(whole.added(), skipping.added(), "added, ignoring " + ignored);
            assertEquals(whole.modified(), skipping.modified(), "modified, ignoring " + ignored);
            assertEquals(whole.removed(), skipping.removed(), "removed, ignoring " + ignored);
        }
    }

    @Test
    void aStatusChangeIsNoChangeWhenStatusIsIgnored() {
        ObjectNode a = deployment(Map.of("web", "1"), Map.of(), 2);
        ObjectNode b = deployment(Map.of("web", "1"), Map.of(), 3);
        assertFalse(Comparison.of(a, b, DEPLOYMENT).isSame());
        assertTrue(Comparison.of(a, b, DEPLOYMENT, IGNORED.get(1)).isSame());
    }
}
