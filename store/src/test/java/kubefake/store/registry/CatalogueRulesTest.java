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
import java.util.TreeSet;

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

    /**
     * The resources whose DELETE answers with the object, not a Status: those whose 200 the recorded 1.33 OpenAPI
     * (reference/k8s-1.33/openapi-v2.json) gives as the kind (their stores set ReturnDeletedObject), and namespaces
     * (their store's own Delete, which the OpenAPI does not say). The typed clients generated from the OpenAPI
     * (Python's) parse one or the other.
     */
    private static final Set<String> DELETE_ANSWERS_WITH_THE_OBJECT = Set.of("/namespaces", "/persistentvolumeclaims",
            "/persistentvolumes", "/pods", "/podtemplates", "/resourcequotas", "/serviceaccounts", "/services",
            "storage.k8s.io/csidrivers", "storage.k8s.io/csinodes", "storage.k8s.io/storageclasses",
            "storage.k8s.io/volumeattachments");

    @Test
    void deletesAnswerWithTheObjectWhereTheRealServerDoes() {
        Set<String> declared = new TreeSet<>();
        for (ResourceStore rs : registry.resources()) {
            if (rs.strategy().returnsDeletedObject()) declared.add(rs.type().group() + "/" + rs.type().resource());
        }
        assertEquals(new TreeSet<>(DELETE_ANSWERS_WITH_THE_OBJECT), declared);
    }

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
            // RBAC objects may have any path segment as name (system:foo, Not_A_Name), just no slash
            String badName = type.group().equals("rbac.authorization.k8s.io") ? "not/a/name" : "Not_A_Name";
            StatusException invalid = org.junit.jupiter.api.Assertions.assertThrows(StatusException.class,
                    () -> rs.create(namespace, object(type.groupVersion(), type.kind(), badName), RequestContext.LOOPBACK),
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
