package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One StoredObject and one parsed tree per stored revision, whoever reads it. */
class StoredObjectTest {
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
    private final ResourceStore configmaps = registry.resource("", "configmaps");

    StoredObjectTest() {
        registry.resource("", "namespaces").create("", object("Namespace", "default"), RequestContext.LOOPBACK);
        configmaps.create("default", object("ConfigMap", "c"), RequestContext.LOOPBACK);
    }

    private static ObjectNode object(String kind, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", kind);
        o.putObject("metadata").put("name", name);
        return o;
    }

    @Test
    void everyReadOfARevisionGetsTheSameObjectAndTree() {
        StoredObject got = configmaps.get("default", "c");
        StoredObject listed = configmaps.list("default", ListOptions.ALL).items().get(0);
        assertSame(got, listed);
        ObjectNode tree = got.tree();
        assertSame(tree, listed.tree());
        assertEquals(List.of("kind", "apiVersion", "metadata"), iterable(tree));
        assertEquals("c", tree.path("metadata").path("name").asText());
    }

    @Test
    void aWireFormIsEncodedOnceAndSharedByEveryWatcherOfTheRevision() {
        ResourceWatch first = configmaps.watch("default", new ListOptions("", "", Long.toString(registry.store().currentRevision()),
                "", 0, null, 0, false, null), () -> { }, 10);
        ResourceWatch second = configmaps.watch("default", new ListOptions("", "", Long.toString(registry.store().currentRevision()),
                "", 0, null, 0, false, null), () -> { }, 10);
        configmaps.patch("default", "c", o -> {
            o.putObject("data").put("k", "v");
            return o;
        }, RequestContext.LOOPBACK);
        configmaps.delete("default", "c", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        List<WatchEvent> a = first.poll(10);
        List<WatchEvent> b = second.poll(10);
        assertEquals(2, a.size());
        int[] encodings = {0};
        for (int i = 0; i < 2; i++) {
            // the same object for both watchers, the DELETED one (made at the delete's revision) included
            assertSame(a.get(i).object(), b.get(i).object());
            byte[] once = a.get(i).object().encoded("form", o -> new byte[] {(byte) ++encodings[0]});
            assertSame(once, b.get(i).object().encoded("form", o -> new byte[] {(byte) ++encodings[0]}));
        }
        assertEquals(2, encodings[0]);
        first.close();
        second.close();
    }

    @Test
    void aNewRevisionIsANewObject() {
        StoredObject before = configmaps.get("default", "c");
        configmaps.patch("default", "c", o -> {
            o.putObject("data").put("k", "v");
            return o;
        }, RequestContext.LOOPBACK);
        StoredObject after = configmaps.get("default", "c");
        assertNotSame(before, after);
        assertEquals("v", after.tree().path("data").path("k").asText());
        assertEquals("", before.tree().path("data").path("k").asText());
    }

    @Test
    void aWritesReadersShareTheTreeTheWriterBuiltInsteadOfParsingItsBytes() {
        ResourceWatch watch = configmaps.watch("default", new ListOptions("", "", Long.toString(registry.store().currentRevision()),
                "", 0, null, 0, false, null), () -> { }, 10);
        ObjectNode data = Json.MAPPER.createObjectNode().put("k", "v");
        StoredObject written = configmaps.patch("default", "c", o -> {
            o.set("data", data);
            return o;
        }, RequestContext.LOOPBACK);
        StoredObject seen = watch.poll(10).get(0).object();
        assertSame(written, seen);
        // the writer's own node; under the tests' frozen-tree guard (the build's default) a frozen copy of it, checked
        // when written to equal a parse of the bytes (StoredObject.written)
        if (FrozenTree.ENABLED) assertEquals(data, seen.tree().get("data"));
        else assertSame(data, seen.tree().get("data"));
        // and it is the tree its bytes parse to, kind and apiVersion first
        assertEquals(seen.tree(), Json.MAPPER.createObjectNode().put("kind", "ConfigMap").put("apiVersion", "v1")
                .setAll(Json.parseObject(seen.json())));
        assertEquals(List.of("kind", "apiVersion", "metadata", "data"), iterable(seen.tree()));
        watch.close();
    }

    @Test
    void toNodeIsACopyToChange() {
        StoredObject o = configmaps.get("default", "c");
        ObjectNode copy = o.toNode();
        copy.put("x", 1);
        assertEquals(false, o.tree().has("x"));
    }

    @Test
    void aReaderThatChangesTheSharedTreeFailsInTheActNamingTheObject() {
        assertTrue(FrozenTree.ENABLED, "the build's test runs set -Dkubefake.frozenSharedTrees=true");
        configmaps.patch("default", "c", o -> {
            Json.metadata(o).putObject("labels").put("app", "web");
            o.putObject("data").put("k", "v");
            return o;
        }, RequestContext.LOOPBACK);
        StoredObject o = configmaps.get("default", "c");
        ObjectNode tree = o.tree();
        FrozenTree.SharedTreeChanged e = assertThrows(FrozenTree.SharedTreeChanged.class, () -> tree.put("x", 1));
        assertEquals("a reader changed the shared tree of configmaps default/c at resourceVersion " + o.resourceVersion()
                + " (read it only; StoredObject.toNode() is the copy to change)", e.getMessage());
        ObjectNode meta = (ObjectNode) tree.get("metadata");
        ObjectNode labels = (ObjectNode) meta.get("labels");
        ObjectNode data = (ObjectNode) tree.get("data");
        ObjectNode elsewhere = Json.MAPPER.createObjectNode();
        elsewhere.set("labels", labels); // a node of the shared tree taken into another tree is as read-only there
        List<Runnable> changes = List.of(() -> meta.remove("labels"), () -> labels.put("tier", "back"),
                () -> ((ObjectNode) elsewhere.get("labels")).removeAll(), () -> data.set("k", null),
                () -> data.setAll(Json.MAPPER.createObjectNode().put("k2", "v2")), () -> meta.retain("name"),
                () -> labels.properties().iterator().next().setValue(null), () -> {
                    var it = data.fields();
                    it.next();
                    it.remove();
                }, () -> data.properties().removeIf(p -> true), () -> meta.with("annotations"));
        for (Runnable change : changes) assertThrows(FrozenTree.SharedTreeChanged.class, change::run);
        assertEquals(Json.parseObject(o.withTypeMeta()), tree);
        assertEquals(tree, Json.parseObject(o.withTypeMeta()));
    }

    @Test
    void aChangeTriedInAnotherThreadIsCountedForTheTestsToSee() throws Exception {
        ObjectNode tree = configmaps.get("default", "c").tree();
        long before = FrozenTree.changesTried();
        Thread t = new Thread(() -> {
            try {
                tree.put("x", 1);
            } catch (FrozenTree.SharedTreeChanged expected) {
                // thrown in that thread, where only a log would show it
            }
        });
        t.start();
        t.join();
        assertEquals(before + 1, FrozenTree.changesTried());
        assertTrue(FrozenTree.lastChangeTried().getMessage().startsWith("a reader changed the shared tree of configmaps default/c "));
    }

    @Test
    void theListsOfASharedTreeAreReadOnlyToo() {
        configmaps.patch("default", "c", o -> {
            Json.metadata(o).putArray("finalizers").add("a/b").add("c/d");
            return o;
        }, RequestContext.LOOPBACK);
        ObjectNode tree = configmaps.get("default", "c").tree();
        ArrayNode finalizers = (ArrayNode) tree.path("metadata").get("finalizers");
        List<Runnable> changes = List.of(() -> finalizers.add("e/f"), () -> finalizers.remove(0),
                () -> finalizers.set(0, "x/y"), finalizers::removeAll, () -> finalizers.insert(0, "x/y"), () -> {
                    var it = finalizers.elements();
                    it.next();
                    it.remove();
                });
        for (Runnable change : changes) assertThrows(FrozenTree.SharedTreeChanged.class, change::run);
        assertEquals(List.of("a/b", "c/d"), List.of(finalizers.get(0).asText(), finalizers.get(1).asText()));
    }

    @Test
    void theCopiesOfASharedTreeAreOrdinaryTrees() {
        configmaps.patch("default", "c", o -> {
            Json.metadata(o).putArray("finalizers").add("a/b");
            return o;
        }, RequestContext.LOOPBACK);
        StoredObject o = configmaps.get("default", "c");
        for (ObjectNode copy : List.of(o.toNode(), o.tree().deepCopy(), o.tree().get("metadata").deepCopy())) {
            ObjectNode meta = copy.has("metadata") ? (ObjectNode) copy.get("metadata") : copy;
            meta.putObject("labels").put("app", "web");
            ((ArrayNode) meta.get("finalizers")).add("c/d");
            meta.remove("name");
            assertEquals("{\"app\":\"web\"}", meta.get("labels").toString());
            assertEquals(2, meta.get("finalizers").size());
        }
        assertEquals(Json.parseObject(o.withTypeMeta()), o.tree());
    }

    private static List<String> iterable(ObjectNode tree) {
        List<String> names = new java.util.ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
