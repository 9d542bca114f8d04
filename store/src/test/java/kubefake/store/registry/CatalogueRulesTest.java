package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.selection.FieldLabels;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every entry of the catalogue declares its kind's rules through its strategy, and the store applies them. */
class CatalogueRulesTest {
    /** The kinds whose conversion registers field labels of its own (the rest: metadata.name and metadata.namespace). */
    private static final Map<String, Set<String>> OWN_FIELD_LABELS = Map.of(
            "/pods", FieldLabels.POD.supported(),
            "/nodes", Set.of("metadata.name", "spec.unschedulable"),
            "/replicationcontrollers", Set.of("metadata.name", "metadata.namespace", "status.replicas"),
            "/persistentvolumes", Set.of("metadata.name"),
            "/events", FieldLabels.EVENT.supported(),
            "/namespaces", Set.of("metadata.name", "status.phase"),
            "/secrets", Set.of("metadata.name", "metadata.namespace", "type"),
            "apps/replicasets", Set.of("metadata.name", "metadata.namespace", "status.replicas"),
            "batch/jobs", Set.of("metadata.name", "metadata.namespace", "status.successful"));

    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());

    @Test
    void everyEntryDeclaresDefaultsValidationAndFieldLabels() {
        for (ResourceStore rs : registry.resources()) {
            KindRules rules = rs.strategy().rules();
            String what = rs.type().qualifiedResource();
            assertNotNull(rules, what);
            assertNotNull(rules.defaulter(), what);
            assertNotNull(rules.validator(), what);
            assertNotNull(rules.fieldLabels(), what);
            Set<String> expected = OWN_FIELD_LABELS.getOrDefault(rs.type().group() + "/" + rs.type().resource(),
                    Set.of("metadata.name", "metadata.namespace"));
            assertEquals(expected, rules.fieldLabels().supported(), what);
        }
    }

    @Test
    void everyStoredKindIsValidatedAndSelectedByItsRules() {
        registry.resource("", "namespaces").create("", object("v1", "Namespace", "lab"), RequestContext.LOOPBACK);
        for (ResourceStore rs : registry.resources()) {
            if (!rs.strategy().persisted()) continue;
            ResourceType type = rs.type();
            String namespace = type.namespaced() ? "lab" : "";
            StatusException invalid = org.junit.jupiter.api.Assertions.assertThrows(StatusException.class,
                    () -> rs.create(namespace, object(type.groupVersion(), type.kind(), "Not_A_Name"), RequestContext.LOOPBACK),
                    type.qualifiedResource());
            assertEquals(422, invalid.code(), type.qualifiedResource() + ": " + invalid.getMessage());
            assertTrue(invalid.details().causes().stream().map(Cause::field).anyMatch("metadata.name"::equals),
                    type.qualifiedResource() + ": " + invalid.getMessage());

            assertEquals(0, rs.list(namespace, new ListOptions("", "metadata.name=x", "", "", 0, null, 0, false, null)).items().size());
            StatusException unknown = org.junit.jupiter.api.Assertions.assertThrows(StatusException.class,
                    () -> rs.list(namespace, new ListOptions("", "no.such.field=x", "", "", 0, null, 0, false, null)), type.qualifiedResource());
            assertEquals(400, unknown.code(), type.qualifiedResource());
        }
    }

    private static ObjectNode object(String apiVersion, String kind, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        o.putObject("metadata").put("name", name);
        return o;
    }
}
