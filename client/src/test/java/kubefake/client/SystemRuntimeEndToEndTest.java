package kubefake.client;

import kubefake.store.registry.request.UserInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.events.EventRecorder;
import kubefake.client.events.ObjectReference;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.SystemClusterClock;
import kubefake.client.runtime.SystemRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pieces together on real threads and real time: an informer feeds a controller that mirrors ConfigMaps into
 * Secrets through the client, retries a failing key with back-off, and records events. Waits are bounded polls.
 */
class SystemRuntimeEndToEndTest {

    @Test
    void informerControllerClientAndRecorderWorkTogetherOnThePool() throws Exception {
        SystemRuntime runtime = SystemRuntime.start(new SystemClusterClock(), 2);
        MemoryKeyValueStore store = new MemoryKeyValueStore();
        Registry registry = new Registry(store, runtime.clock(), ResourceCatalogue.builtIn());
        Client admin = new Client(registry, new UserInfo("admin", "", List.of("system:masters")), "test");
        admin.resource("", "namespaces").create(TestCluster.object("v1", "Namespace", null, "demo"));
        Client controllerClient = new Client(registry, UserInfo.KUBE_CONTROLLER_MANAGER, "kube-controller-manager");
        EventRecorder recorder = new EventRecorder(controllerClient, runtime, "mirror-controller", "");
        SharedInformers informers = new SharedInformers(registry, runtime);
        Informer configMaps = informers.informer("", "configmaps");
        WorkQueue<String> queue = new WorkQueue<>("mirror", runtime);
        AtomicInteger flakyAttempts = new AtomicInteger();

        Controller<String> controller = new Controller<>("mirror", runtime, queue, 2, key -> {
            StoredObject cm = configMaps.get(key).orElse(null);
            if (cm == null) return Result.done();
            if (ObjectKey.name(key).equals("flaky") && flakyAttempts.incrementAndGet() < 3) {
                throw StatusException.conflict("", "secrets", "flaky-mirror", "the object has been modified");
            }
            ObjectNode secret = TestCluster.object("v1", "Secret", ObjectKey.namespace(key), ObjectKey.name(key) + "-mirror");
            secret.putObject("stringData").put("v", cm.toNode().path("data").path("v").asText());
            try {
                controllerClient.resource("", "secrets").create(secret);
            } catch (StatusException e) {
                if (!"AlreadyExists".equals(e.reason())) throw e;
            }
            recorder.event(cm, EventRecorder.NORMAL, "Mirrored", "Mirrored into " + ObjectKey.name(key) + "-mirror");
            return Result.done();
        });
        configMaps.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject object) {
                queue.add(ObjectKey.of(Json.parseObject(object.json())));
            }
        });

        for (int i = 0; i < 20; i++) admin.resource("", "configmaps").create(TestCluster.configMap("demo", "before-" + i, "b" + i));
        informers.start();
        controller.start(configMaps.synced());
        assertTrue(informers.awaitSynced(Duration.ofSeconds(10)));
        for (int i = 0; i < 20; i++) admin.resource("", "configmaps").create(TestCluster.configMap("demo", "after-" + i, "a" + i));
        admin.resource("", "configmaps").create(TestCluster.configMap("demo", "flaky", "f"));

        ResourceClient secrets = admin.resource("", "secrets");
        ResourceClient events = admin.resource("", "events");
        eventually(() -> secrets.list("demo").size() == 41 && events.list("demo").size() == 41);

        assertEquals(3, flakyAttempts.get(), "failed twice, retried with back-off, then succeeded");
        // the worker forgets the key's failures once its sync has returned, just after the event it recorded
        eventually(() -> queue.numRequeues("demo/flaky") == 0);
        assertEquals("f", new String(java.util.Base64.getDecoder().decode(
                secrets.get("demo", "flaky-mirror").toNode().path("data").path("v").asText())));
        ObjectNode event = events.list("demo").get(0).toNode();
        assertEquals("mirror-controller", event.path("source").path("component").asText());
        assertEquals("ConfigMap", event.path("involvedObject").path("kind").asText());
        assertEquals(ObjectReference.of(configMaps.get("demo", event.path("involvedObject").path("name").asText()).orElseThrow()).uid(),
                event.path("involvedObject").path("uid").asText());

        long start = System.nanoTime();
        controller.close();
        informers.close();
        runtime.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "closes promptly");
        assertEquals(0, store.watcherCount(), "the informer's watch was closed");
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(5);
        }
    }
}
