package kubefake.store.registry;

import kubefake.store.registry.request.RequestContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delete's propagation policy as the real registry turns it into finalizers for the garbage collector
 * ({@code deletionFinalizersForGarbageCollection}): Foreground → {@code foregroundDeletion}, Orphan → {@code orphan},
 * Background → neither; without a policy, a finalizer the object carries or the resource's default decides.
 */
class GarbageCollectionFinalizersTest {
    private Registry registry;
    private ResourceStore deployments;
    private ResourceStore rcs;
    private ResourceStore events;

    @BeforeEach
    void setUp() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        registry = new Registry(new MemoryKeyValueStore(), clock, ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"), RequestContext.LOOPBACK);
        deployments = registry.resource("apps", "deployments");
        rcs = registry.resource("", "replicationcontrollers");
        events = registry.resource("", "events");
    }

    private static DeleteOptions policy(String p) {
        return new DeleteOptions(null, null, null, p, false);
    }

    private void createDeployment(String name, String... finalizers) {
        ObjectNode d = ResourceStoreTest.obj("apps/v1", "Deployment", name);
        if (finalizers.length > 0) {
            var array = ((ObjectNode) d.get("metadata")).putArray("finalizers");
            for (String f : finalizers) array.add(f);
        }
        ObjectNode spec = d.putObject("spec");
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "nginx");
        deployments.create("default", d, RequestContext.LOOPBACK);
    }

    private static List<String> finalizers(StoredObject o) {
        List<String> out = new ArrayList<>();
        o.toNode().path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
        return out;
    }

    @Test
    void foregroundMarksTheOwnerDeletingWithTheForegroundFinalizer() {
        createDeployment("web");
        DeleteResult r = deployments.delete("default", "web", policy("Foreground"), RequestContext.LOOPBACK);
        assertFalse(r.deleted());
        ObjectNode meta = (ObjectNode) deployments.get("default", "web").toNode().get("metadata");
        assertEquals(List.of("foregroundDeletion"), finalizers(deployments.get("default", "web")));
        assertEquals("2026-11-22T10:00:00Z", meta.path("deletionTimestamp").asText());
        assertEquals(0, meta.path("deletionGracePeriodSeconds").asInt(-1));
    }

    @Test
    void orphanMarksTheOwnerWithTheOrphanFinalizerAfterItsOwn() {
        createDeployment("web", "example.com/keep");
        deployments.delete("default", "web", policy("Orphan"), RequestContext.LOOPBACK);
        assertEquals(List.of("example.com/keep", "orphan"), finalizers(deployments.get("default", "web")));
    }

    @Test
    void backgroundAndNoPolicyDeleteAtOnce() {
        createDeployment("a");
        createDeployment("b");
        assertTrue(deployments.delete("default", "a", policy("Background"), RequestContext.LOOPBACK).deleted());
        assertTrue(deployments.delete("default", "b", DeleteOptions.DEFAULT, RequestContext.LOOPBACK).deleted(), "apps/v1 defaults to deleting dependents");
    }

    @Test
    void backgroundDropsAnOrphanFinalizerTheObjectCarriedAndDeletesIt() {
        createDeployment("web", "orphan");
        assertTrue(deployments.delete("default", "web", policy("Background"), RequestContext.LOOPBACK).deleted());
        assertNull(deployments.find("default", "web"));
    }

    @Test
    void withoutAPolicyAFinalizerTheObjectCarriesDecides() {
        createDeployment("web", "orphan");
        assertFalse(deployments.delete("default", "web", DeleteOptions.DEFAULT, RequestContext.LOOPBACK).deleted());
        assertEquals(List.of("orphan"), finalizers(deployments.get("default", "web")));
    }

    @Test
    void aDeletionUnderWayKeepsItsFinalizers() {
        createDeployment("web");
        deployments.delete("default", "web", policy("Foreground"), RequestContext.LOOPBACK);
        deployments.delete("default", "web", policy("Orphan"), RequestContext.LOOPBACK);
        assertEquals(List.of("foregroundDeletion"), finalizers(deployments.get("default", "web")));
    }

    @Test
    void replicationControllersOfCoreV1OrphanByDefault() {
        ObjectNode rc = ResourceStoreTest.obj("v1", "ReplicationController", "rc");
        ObjectNode spec = rc.putObject("spec");
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "rc");
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "nginx");
        rcs.create("default", rc, RequestContext.LOOPBACK);
        assertFalse(rcs.delete("default", "rc", DeleteOptions.DEFAULT, RequestContext.LOOPBACK).deleted());
        assertEquals(List.of("orphan"), finalizers(rcs.get("default", "rc")));
        ((ObjectNode) rc.get("metadata")).put("name", "rc2");
        rcs.create("default", rc, RequestContext.LOOPBACK);
        assertTrue(rcs.delete("default", "rc2", policy("Background"), RequestContext.LOOPBACK).deleted(), "kubectl's default policy");
    }

    @Test
    void eventsNeverGetGarbageCollectionFinalizers() {
        ObjectNode e = ResourceStoreTest.obj("v1", "Event", "e1");
        e.putObject("involvedObject").put("kind", "Pod").put("name", "p").put("namespace", "default");
        events.create("default", e, RequestContext.LOOPBACK);
        assertTrue(events.delete("default", "e1", policy("Foreground"), RequestContext.LOOPBACK).deleted());
    }
}
