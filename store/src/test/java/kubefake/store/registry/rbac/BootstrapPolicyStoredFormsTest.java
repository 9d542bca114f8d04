package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A first start stores the bootstrap policy from the forms computed at build time: each object must be what the create
 * path stores for it now, but for its own uid, and with this start's time.
 */
class BootstrapPolicyStoredFormsTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:15:30Z");

    @Test
    void eachObjectIsWhatTheCreatePathStoresWithItsOwnUidAndTheStartsTime() {
        Registry fromForms = registry();
        BootstrapPolicy.ensure(fromForms);
        Registry created = registry();
        Set<String> uids = new HashSet<>();
        for (BootstrapPolicy.Entry e : BootstrapPolicy.entries()) {
            created.resource(RbacPolicy.GROUP, e.resource()).create(e.namespace(), e.object().deepCopy(), RequestContext.LOOPBACK);
            ObjectNode expected = stored(created, e);
            ObjectNode actual = stored(fromForms, e);
            JsonNode meta = actual.get("metadata");
            assertEquals("2026-12-07T10:15:30Z", meta.path("creationTimestamp").asText(), e.name());
            assertEquals("2026-12-07T10:15:30Z", meta.path("managedFields").path(0).path("time").asText(), e.name());
            uids.add(meta.path("uid").asText());
            assertNotEquals(expected.path("metadata").path("uid"), meta.path("uid"), e.name());
            for (ObjectNode o : List.of(expected, actual)) ((ObjectNode) o.get("metadata")).remove(List.of("uid", "resourceVersion"));
            assertEquals(expected, actual, e.name());
        }
        assertEquals(BootstrapPolicy.entries().size(), uids.size(), "a uid of its own each");
    }

    @Test
    void whatExistsIsLeftAsItIs() {
        Registry registry = registry();
        ObjectNode view = (ObjectNode) Json.parseObject(("{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\","
                + "\"metadata\":{\"name\":\"view\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}").getBytes());
        registry.resource(RbacPolicy.GROUP, "clusterroles").create("", view, RequestContext.LOOPBACK);
        BootstrapPolicy.ensure(registry);
        StoredObject kept = registry.resource(RbacPolicy.GROUP, "clusterroles").get("", "view");
        assertEquals(1, Json.parseObject(kept.json()).path("rules").size());
        assertNotNull(registry.resource(RbacPolicy.GROUP, "clusterroles").find("", "edit"));
    }

    private static ObjectNode stored(Registry registry, BootstrapPolicy.Entry e) {
        return Json.parseObject(registry.resource(RbacPolicy.GROUP, e.resource()).get(e.namespace(), e.name()).json());
    }

    private static Registry registry() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(NOW, ZoneOffset.UTC), ResourceCatalogue.builtIn());
        for (String ns : List.of("default", "kube-system", "kube-public")) {
            registry.resource("", "namespaces").create("", Json.parseObject(
                    ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}").getBytes()),
                    RequestContext.LOOPBACK);
        }
        return registry;
    }
}
