package kubefake.client.informers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.client.TestCluster;
import kubefake.client.runtime.Cancellable;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static kubefake.client.TestCluster.configMap;
import static kubefake.client.TestCluster.name;
import static kubefake.client.TestCluster.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InformerTest {
    private final TestCluster cluster = new TestCluster("default", "other");
    private final ResourceClient configMaps = cluster.admin.resource("", "configmaps");
    private final ResourceClient pods = cluster.admin.resource("", "pods");
    private final SharedInformers informers = new SharedInformers(cluster.registry, cluster.runtime);
    private final List<String> seen = new ArrayList<>();

    /** Records what handlers hear as "add x", "update x v→v'", "delete x". */
    private final ResourceEventHandler recorder = new ResourceEventHandler() {
        @Override
        public void onAdd(StoredObject o) {
            seen.add("add " + name(o) + value(o));
        }

        @Override
        public void onUpdate(StoredObject old, StoredObject now) {
            seen.add("update " + name(now) + value(old) + "→" + value(now).trim());
        }

        @Override
        public void onDelete(StoredObject last) {
            seen.add("delete " + name(last));
        }

        private String value(StoredObject o) {
            String v = o.toNode().path("data").path("v").asText("");
            return v.isEmpty() ? "" : " " + v;
        }
    };

    private Informer configMapInformer() {
        Informer i = informers.informer("", "configmaps");
        i.addHandler(recorder);
        return i;
    }

    @Test
    void syncsTheInitialStateOnTheExecutorThenFollowsChangesInOrder() {
        configMaps.create(configMap("default", "a", "1"));
        configMaps.create(configMap("other", "b", "1"));
        Informer informer = configMapInformer();
        assertSame(informer, informers.informer("", "configmaps"), "shared");
        informers.start();
        assertFalse(informer.hasSynced(), "nothing runs before the executor does");

        cluster.runtime.runUntilIdle();

        assertTrue(informer.hasSynced());
        assertTrue(informers.hasSynced());
        assertEquals(Set.of("add a 1", "add b 1"), Set.copyOf(seen));
        assertEquals("1", informer.get("default", "a").orElseThrow().toNode().path("data").path("v").asText());
        assertTrue(informer.get("default", "b").isEmpty());
        assertEquals(List.of("b"), names(informer.list("other")));

        seen.clear();
        configMaps.create(configMap("default", "c", "1"));
        configMaps.patch("default", "a", cm -> { cm.with("data").put("v", "2"); return cm; });
        configMaps.delete("other", "b");
        configMaps.patch("default", "c", cm -> { cm.with("data").put("v", "3"); return cm; });
        assertEquals(List.of(), seen, "delivered on the executor, not on the writer's thread");
        cluster.runtime.runUntilIdle();

        assertEquals(List.of("add c 1", "update a 1→2", "delete b", "update c 1→3"), seen);
        assertEquals(Set.of("a", "c"), Set.copyOf(names(informer.list())));
        assertEquals(cluster.store.currentRevision(), informer.lastSyncRevision());
    }

    @Test
    void indexesFollowObjectsThatMoveBetweenValues() {
        configMaps.create(owned(configMap("default", "x", "1"), "uid-1"));
        configMaps.create(owned(configMap("default", "y", "1"), "uid-1"));
        configMaps.create(configMap("default", "free", "1"));
        Informer informer = configMapInformer();
        informer.addIndexer("by-value", o -> List.of(o.path("data").path("v").asText()));
        informers.start();
        cluster.runtime.runUntilIdle();
        assertEquals(Set.of("x", "y"), Set.copyOf(names(informer.byIndex(Informer.CONTROLLER_INDEX, "uid-1"))));
        assertEquals(3, informer.byIndex("by-value", "1").size());

        // x changes owner and value; y loses its owner; free is deleted
        configMaps.patch("default", "x", cm -> {
            owned(cm, "uid-2").with("data").put("v", "2");
            return cm;
        });
        configMaps.patch("default", "y", cm -> {
            ((ObjectNode) cm.get("metadata")).remove("ownerReferences");
            return cm;
        });
        configMaps.delete("default", "free");
        cluster.runtime.runUntilIdle();

        assertEquals(List.of(), informer.byIndex(Informer.CONTROLLER_INDEX, "uid-1"));
        assertEquals(List.of("x"), names(informer.byIndex(Informer.CONTROLLER_INDEX, "uid-2")));
        assertEquals(List.of("y"), names(informer.byIndex("by-value", "1")));
        assertEquals(List.of("x"), names(informer.byIndex("by-value", "2")));
        assertEquals(Set.of("x", "y"), Set.copyOf(names(informer.list("default"))));
        assertThrows(IllegalArgumentException.class, () -> informer.byIndex("nope", "x"));
        assertThrows(IllegalArgumentException.class, () -> informer.addIndexer("by-value", o -> List.of()), "one index per name");
    }

    @Test
    void anIndexAddedAfterTheStartIndexesWhatIsCachedThenFollowsChanges() {
        configMaps.create(configMap("default", "x", "1"));
        configMaps.create(configMap("default", "y", "2"));
        Informer informer = configMapInformer();
        informers.start();
        cluster.runtime.runUntilIdle();
        informer.addIndexer("late", o -> List.of(o.path("data").path("v").asText()));
        assertEquals(List.of("x"), names(informer.byIndex("late", "1")));
        assertEquals(Set.of("1", "2"), informer.indexValues("late"));

        configMaps.patch("default", "y", cm -> {
            cm.with("data").put("v", "1");
            return cm;
        });
        cluster.runtime.runUntilIdle();
        assertEquals(Set.of("x", "y"), Set.copyOf(names(informer.byIndex("late", "1"))));
        assertEquals(Set.of("1"), informer.indexValues("late"));
    }

    @Test
    void podsAreIndexedByNode() {
        pods.create(pod("default", "p1", "w1-k8s"));
        pods.create(pod("default", "p2", "w2-k8s"));
        pods.create(pod("default", "pending", null));
        Informer informer = informers.informer("", "pods");
        informers.start();
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("p1"), names(informer.byIndex(Informer.NODE_NAME_INDEX, "w1-k8s")));
        assertEquals(List.of(), informer.byIndex(Informer.NODE_NAME_INDEX, ""), "unscheduled pods are in no node's index");

        pods.delete("default", "p1", new kubefake.store.registry.DeleteOptions(0L, null, null, null, false));
        pods.create(pod("default", "p3", "w1-k8s"));
        cluster.runtime.runUntilIdle();

        assertEquals(List.of("p3"), names(informer.byIndex(Informer.NODE_NAME_INDEX, "w1-k8s")));
        assertEquals(List.of("p2"), names(informer.byIndex(Informer.NODE_NAME_INDEX, "w2-k8s")));
        assertEquals(Set.of("w1-k8s", "w2-k8s"), informer.indexValues(Informer.NODE_NAME_INDEX), "the nodes some pod names");
        assertThrows(IllegalArgumentException.class, () -> informers.informer("", "configmaps").byIndex(Informer.NODE_NAME_INDEX, "w1-k8s"),
                "only pods have a node index");
    }

    @Test
    void aWatchThatOverflowsWatchesAgainFromItsLastRevisionAndMissesNothing() {
        SharedInformers small = new SharedInformers(cluster.registry, cluster.runtime, 2);
        configMaps.create(configMap("default", "keep", "1"));
        configMaps.create(configMap("default", "gone", "1"));
        Informer informer = small.informer("", "configmaps");
        informer.addHandler(recorder);
        small.start();
        cluster.runtime.runUntilIdle();
        seen.clear();

        // five changes while the informer does not run: its watch buffer of 2 overflows
        configMaps.create(configMap("default", "new", "1"));
        configMaps.patch("default", "keep", cm -> { cm.with("data").put("v", "2"); return cm; });
        configMaps.delete("default", "gone");
        configMaps.patch("default", "keep", cm -> { cm.with("data").put("v", "3"); return cm; });
        configMaps.create(configMap("default", "later", "1"));
        assertEquals(0, cluster.store.watcherCount(), "the overflowed watch was closed by the store");
        cluster.runtime.runUntilIdle();

        assertEquals(List.of("add new 1", "update keep 1→2", "delete gone", "update keep 2→3", "add later 1"), seen,
                "every change replayed from history, in order");
        assertEquals(Set.of("keep", "new", "later"), Set.copyOf(names(informer.list())));
        assertEquals(1, cluster.store.watcherCount(), "the overflowed watch was replaced, not leaked");
        small.close();
    }

    @Test
    void whenHistoryIsCompactedItRelistsAndDeliversTheDifference() {
        SharedInformers small = new SharedInformers(cluster.registry, cluster.runtime, 2);
        configMaps.create(configMap("default", "same", "1"));
        configMaps.create(configMap("default", "changed", "1"));
        configMaps.create(configMap("default", "gone", "1"));
        Informer informer = small.informer("", "configmaps");
        informer.addHandler(recorder);
        small.start();
        cluster.runtime.runUntilIdle();
        seen.clear();

        configMaps.patch("default", "changed", cm -> { cm.with("data").put("v", "2"); return cm; });
        configMaps.patch("default", "changed", cm -> { cm.with("data").put("v", "3"); return cm; });
        configMaps.delete("default", "gone");
        configMaps.create(configMap("default", "new", "1"));
        configMaps.create(configMap("default", "briefly", "1"));
        configMaps.delete("default", "briefly");
        cluster.store.compact(cluster.store.currentRevision()); // the missed history is gone: 410 on re-watch
        cluster.runtime.runUntilIdle();

        // the difference between the cache and a fresh list: "briefly" came and went unseen
        assertEquals(Set.of("update changed 1→3", "delete gone", "add new 1"), Set.copyOf(seen));
        assertEquals(3, seen.size());
        assertEquals(Set.of("same", "changed", "new"), Set.copyOf(names(informer.list())));

        seen.clear();
        configMaps.patch("default", "same", cm -> { cm.with("data").put("v", "2"); return cm; });
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("update same 1→2"), seen, "watching again after the relist");
        small.close();
    }

    @Test
    void aStoreThatKeepsClosingTheWatchIsRetriedWithBackOffNotInALoop() {
        Informer informer = configMapInformer();
        informers.start();
        cluster.runtime.runUntilIdle();
        cluster.store.close();

        int ran = cluster.runtime.runUntilIdle(); // would fail ("requeues itself forever") if it spun

        assertTrue(ran < 20, "ran " + ran);
        cluster.runtime.advance(Duration.ofMinutes(10));
        assertTrue(cluster.runtime.clock().scheduledTasks() <= 1);
        assertTrue(informer.hasSynced());
    }

    @Test
    void aHandlerAddedAfterTheStartFirstHearsOfTheCachedObjects() {
        configMaps.create(configMap("default", "a", "1"));
        Informer informer = informers.informer("", "configmaps");
        informers.start();
        cluster.runtime.runUntilIdle();

        Cancellable registration = informer.addHandler(recorder);
        configMaps.create(configMap("default", "b", "1"));
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("add a 1", "add b 1"), seen);

        registration.cancel();
        configMaps.create(configMap("default", "c", "1"));
        cluster.runtime.runUntilIdle();
        assertEquals(2, seen.size(), "removed handlers hear nothing more");
    }

    @Test
    void aHandlerThatThrowsIsReportedAndTheOthersStillHear() {
        cluster.runtime.tolerateFailures();
        Informer informer = informers.informer("", "configmaps");
        informer.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject object) {
                throw new IllegalStateException("a bug in a handler (expected in this test)");
            }
        });
        informer.addHandler(recorder);
        informers.start();
        configMaps.create(configMap("default", "a", "1"));
        configMaps.create(configMap("default", "b", "1"));
        cluster.runtime.runUntilIdle();
        assertEquals(List.of("add a 1", "add b 1"), seen);
        assertEquals(2, cluster.runtime.failures().size());
    }

    @Test
    void awaitSyncedRunsTheWorkOnTheManualRuntime() {
        configMaps.create(configMap("default", "a", "1"));
        informers.informer("", "configmaps");
        informers.informer("", "pods");
        informers.start();
        assertTrue(informers.awaitSynced(Duration.ofSeconds(1)));
    }

    @Test
    void afterCloseNothingMoreIsDelivered() {
        Informer informer = configMapInformer();
        informers.start();
        cluster.runtime.runUntilIdle();
        informers.close();
        cluster.runtime.runUntilIdle();
        configMaps.create(configMap("default", "a", "1"));
        cluster.runtime.runUntilIdle();
        assertEquals(List.of(), seen);
        assertEquals(0, cluster.store.watcherCount(), "the watch was closed");
        assertTrue(informer.list().isEmpty());
    }

    @Test
    void objectsAreTheStoresBytesNotCopies() {
        StoredObject created = configMaps.create(configMap("default", "a", "1"));
        Informer informer = configMapInformer();
        informers.start();
        cluster.runtime.runUntilIdle();
        StoredObject cached = informer.get("default/a").orElseThrow();
        assertEquals(created.resourceVersion(), cached.resourceVersion());
        assertSame(cached.json(), informer.get("default", "a").orElseThrow().json());
    }

    private static ObjectNode owned(ObjectNode object, String uid) {
        ObjectNode meta = (ObjectNode) object.get("metadata");
        meta.remove("ownerReferences");
        meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
                .put("name", "rs-" + uid).put("uid", uid).put("controller", true);
        return object;
    }

    private static List<String> names(List<StoredObject> objects) {
        List<String> names = new ArrayList<>();
        for (StoredObject o : objects) names.add(name(o));
        return new ArrayList<>(new TreeSet<>(names));
    }
}
