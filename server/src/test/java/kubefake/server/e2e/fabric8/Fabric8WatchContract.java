package kubefake.server.e2e.fabric8;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.configMap;
import static kubefake.server.e2e.fabric8.Fabric8ClientE2ETest.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fabric8 watches, informers and waits against kubefake's watch streams: what each subclass checks over its kind of
 * watch connection (fabric8's default WebSocket, or plain chunked HTTP).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(6) // a watch that never starts must fail its test, not hang the build
abstract class Fabric8WatchContract {
    private static final long WAIT_SECONDS = 5;
    private KubernetesClient client;
    private String ns;

    /** Whether the client is configured with fabric8's onlyHttpWatches. */
    abstract boolean onlyHttpWatches();

    @BeforeAll
    void connect() {
        client = onlyHttpWatches() ? Fabric8Clients.adminWithHttpWatches() : Fabric8Clients.admin();
        ns = Fabric8Clients.newNamespace(client, onlyHttpWatches() ? "fabric8-http-watch" : "fabric8-watch");
    }

    @AfterAll
    void close() {
        Fabric8Clients.deleteNamespace(ns);
        client.close();
    }

    /** What a watcher or an informer's handler saw, in order. */
    record Seen(String type, String name, String value, String resourceVersion) {
        static Seen of(String type, ConfigMap cm) {
            String v = cm.getData() == null ? null : cm.getData().get("v");
            return new Seen(type, cm.getMetadata().getName(), v, cm.getMetadata().getResourceVersion());
        }
    }

    private static final class Recorder implements Watcher<ConfigMap> {
        final BlockingQueue<Seen> events = new LinkedBlockingQueue<>();
        final CompletableFuture<WatcherException> closed = new CompletableFuture<>();

        @Override
        public void eventReceived(Action action, ConfigMap resource) {
            events.add(Seen.of(action.name(), resource));
        }

        @Override
        public void onClose() {
            closed.complete(null);
        }

        @Override
        public void onClose(WatcherException cause) {
            closed.complete(cause);
        }

        Seen next() throws InterruptedException {
            Seen s = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(s, "an event within " + WAIT_SECONDS + " s");
            return s;
        }
    }

    @Test
    void aWatchSeesCreateUpdateDeleteInOrder() throws Exception {
        Recorder r = new Recorder();
        try (Watch ignored = client.configMaps().inNamespace(ns).withLabel("watched", "plain").watch(r)) {
            ConfigMap created = client.configMaps().inNamespace(ns).resource(labelled("w1", "plain", "1")).create();
            ConfigMap updated = client.configMaps().inNamespace(ns).withName("w1")
                    .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("v", "2")).build());
            client.configMaps().inNamespace(ns).withName("w1").delete();

            assertEquals(new Seen("ADDED", "w1", "1", created.getMetadata().getResourceVersion()), r.next());
            assertEquals(new Seen("MODIFIED", "w1", "2", updated.getMetadata().getResourceVersion()), r.next());
            Seen deleted = r.next();
            assertEquals("DELETED", deleted.type());
            assertEquals("2", deleted.value());
            assertTrue(Long.parseLong(deleted.resourceVersion()) > Long.parseLong(updated.getMetadata().getResourceVersion()),
                    "a deletion gets a resourceVersion of its own");
            assertNull(r.events.poll(200, TimeUnit.MILLISECONDS), "nothing else");
        }
        assertNull(r.closed.get(WAIT_SECONDS, TimeUnit.SECONDS), "closing the watch is not an error");
    }

    @Test
    void aWatchFromAResourceVersionReplaysWhatCameAfter() throws Exception {
        String rv = client.configMaps().inNamespace(ns).resource(labelled("r1", "replay", "1")).create()
                .getMetadata().getResourceVersion();
        client.configMaps().inNamespace(ns).resource(labelled("r2", "replay", "1")).create();
        client.configMaps().inNamespace(ns).withName("r1").edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("v", "2")).build());

        Recorder r = new Recorder();
        try (Watch ignored = client.configMaps().inNamespace(ns).withLabel("watched", "replay")
                .watch(new ListOptionsBuilder().withResourceVersion(rv).build(), r)) {
            Seen first = r.next();
            Seen second = r.next();
            assertEquals(List.of("ADDED r2", "MODIFIED r1"),
                    List.of(first.type() + " " + first.name(), second.type() + " " + second.name()));
            assertEquals("2", second.value());
            assertNull(r.events.poll(200, TimeUnit.MILLISECONDS), "r1's creation is not replayed");
        }
    }

    /**
     * A watch without a resourceVersion starts with the current state (a synthetic ADDED per object); a label change
     * then moves an object out of and back into the selection: DELETED, then ADDED.
     */
    @Test
    void anObjectLeavingTheSelectorIsDeletedFromTheWatch() throws Exception {
        ConfigMap mover = client.configMaps().inNamespace(ns).resource(labelled("mover", "moving", "1")).create();
        Recorder r = new Recorder();
        try (Watch ignored = client.configMaps().inNamespace(ns).withLabel("watched", "moving").watch(r)) {
            assertEquals(new Seen("ADDED", "mover", "1", mover.getMetadata().getResourceVersion()), r.next());
            client.configMaps().inNamespace(ns).withName("mover").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                    .addToLabels("watched", "elsewhere").endMetadata().build());
            client.configMaps().inNamespace(ns).withName("mover").edit(cm -> new ConfigMapBuilder(cm).editMetadata()
                    .addToLabels("watched", "moving").endMetadata().build());
            assertEquals("DELETED", r.next().type());
            assertEquals("ADDED", r.next().type());
        }
    }

    @Test
    void anInformerSyncsTheExistingObjectsThenSeesChanges() throws Exception {
        client.configMaps().inNamespace(ns).resource(labelled("i1", "informed", "1")).create();
        client.configMaps().inNamespace(ns).resource(labelled("i2", "informed", "1")).create();

        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        ResourceEventHandler<ConfigMap> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                seen.add(Seen.of("add", obj));
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                seen.add(new Seen("update", newObj.getMetadata().getName(),
                        oldObj.getData().get("v") + "->" + newObj.getData().get("v"), newObj.getMetadata().getResourceVersion()));
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                seen.add(Seen.of(deletedFinalStateUnknown ? "delete-unknown" : "delete", obj));
            }
        };
        try (SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(ns).withLabel("watched", "informed")
                .inform(handler, 0)) {
            assertTrue(informer.hasSynced());
            assertEquals(List.of("i1", "i2"), storeNames(informer));
            assertEquals(List.of("add i1", "add i2"), List.of(poll(seen), poll(seen)).stream().sorted().toList());

            client.configMaps().inNamespace(ns).resource(labelled("i3", "informed", "1")).create();
            assertEquals("add i3", poll(seen));
            ConfigMap edited = client.configMaps().inNamespace(ns).withName("i1")
                    .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("v", "2")).build());
            Seen update = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(new Seen("update", "i1", "1->2", edited.getMetadata().getResourceVersion()), update);
            client.configMaps().inNamespace(ns).withName("i2").delete();
            assertEquals("delete i2", poll(seen));
            assertEquals(List.of("i1", "i3"), storeNames(informer));
            assertEquals("2", informer.getStore().getByKey(ns + "/i1").getData().get("v"));
        }
    }

    private static List<String> storeNames(SharedIndexInformer<ConfigMap> informer) {
        return informer.getStore().list().stream().map(c -> c.getMetadata().getName()).sorted().toList();
    }

    private static String poll(BlockingQueue<Seen> seen) throws InterruptedException {
        Seen s = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(s, "a handler call within " + WAIT_SECONDS + " s");
        return s.type() + " " + s.name();
    }

    /**
     * The scale is started by the condition's first test, which runs on the initial list: so the change the wait
     * ends on can only have come through its watch.
     */
    @Test
    void waitUntilConditionSeesAChangeMadeMeanwhile() {
        client.apps().deployments().inNamespace(ns).resource(deployment("waited", 1)).create();
        CompletableFuture<Deployment> scaling = new CompletableFuture<>();
        Deployment d = client.apps().deployments().inNamespace(ns).withName("waited").waitUntilCondition(x -> {
            if (!scaling.isDone() && x.getSpec().getReplicas() == 1) {
                scaling.complete(null);
                CompletableFuture.runAsync(() -> client.apps().deployments().inNamespace(ns).withName("waited").scale(4));
            }
            return x.getSpec().getReplicas() == 4;
        }, WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(4, d.getSpec().getReplicas());
        assertTrue(scaling.isDone());
    }

    @Test
    void waitUntilConditionTimesOutWhenNothingHappens() {
        client.configMaps().inNamespace(ns).resource(configMap("idle", Map.of("v", "1"))).create();
        assertThrows(KubernetesClientTimeoutException.class, () -> client.configMaps().inNamespace(ns).withName("idle")
                .waitUntilCondition(cm -> "2".equals(cm.getData().get("v")), 300, TimeUnit.MILLISECONDS));
    }

    private static ConfigMap labelled(String name, String watched, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("watched", watched).endMetadata()
                .addToData("v", value).build();
    }
}
