package kubefake.controllers.namespace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ManualRuntime;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The namespace controller on the manual runtime: time moves only when the test says so. */
class NamespaceControllerTest {
    private final ManualRuntime runtime = new ManualRuntime();
    private final Registry registry = new Registry(new MemoryKeyValueStore(), runtime.clock(), ResourceCatalogue.builtIn());
    private final Client admin = new Client(registry, new UserInfo("kubernetes-admin", "", List.of("kubeadm:cluster-admins")), "kubectl");
    private final ResourceClient namespaces = admin.resource("", "namespaces");
    private final ResourceClient pods = admin.resource("", "pods");
    private final ResourceClient configMaps = admin.resource("", "configmaps");
    private final SharedInformers informers = new SharedInformers(registry, runtime);
    private NamespaceController controller;

    private void start(Duration deletionGracePeriod) {
        controller = new NamespaceController(new Client(registry, UserInfo.KUBE_CONTROLLER_MANAGER, "kube-controller-manager"),
                informers, runtime, deletionGracePeriod);
        controller.start();
        informers.start();
        runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        informers.close();
    }

    private void createNamespace(String name) {
        namespaces.create(object("v1", "Namespace", null, name));
    }

    private boolean exists(String namespace) {
        return namespaces.find("", namespace).isPresent();
    }

    private String phase(String namespace) {
        return namespaces.get("", namespace).toNode().path("status").path("phase").asText();
    }

    @Test
    void aDeletedNamespaceIsEmptiedThenFinalized() {
        createNamespace("lab");
        configMaps.create(cm("lab", "a"));
        admin.resource("", "secrets").create(object("v1", "Secret", "lab", "s"));
        admin.resource("apps", "deployments").create(deployment("lab", "web"));
        pods.create(pod("lab", "pending", null)); // not on a node: goes at once
        createNamespace("kept");
        configMaps.create(cm("kept", "b"));
        start(Duration.ZERO);

        namespaces.delete("", "lab");
        assertEquals("Terminating", phase("lab"));
        runtime.runUntilIdle();

        assertTrue(!exists("lab"), "finalized and gone");
        assertEquals(List.of(), configMaps.list("lab"));
        assertEquals(List.of(), admin.resource("apps", "deployments").list("lab"));
        assertEquals(List.of(), pods.list("lab"));
        assertEquals(1, configMaps.list("kept").size(), "other namespaces untouched");
        assertEquals("Active", phase("kept"));
    }

    @Test
    void theRealControllersGracePeriodDelaysTheCleanUpOnTheClock() {
        createNamespace("lab");
        configMaps.create(cm("lab", "a"));
        start(NamespaceController.REAL_DELETION_GRACE_PERIOD);
        namespaces.delete("", "lab");

        runtime.advance(Duration.ofMillis(4999));
        assertEquals("Terminating", phase("lab"));
        assertEquals(1, configMaps.list("lab").size());

        runtime.advance(Duration.ofMillis(1));
        assertTrue(!exists("lab"));
    }

    @Test
    void aNamespaceDeletedBeforeTheControllerStartedIsCleanedUp() {
        createNamespace("lab");
        configMaps.create(cm("lab", "a"));
        namespaces.delete("", "lab");
        start(Duration.ZERO);
        assertTrue(!exists("lab"));
    }

    @Test
    void podsStillTerminatingKeepItTerminatingAndItLooksAgainAfterHalfTheirGracePeriod() {
        createNamespace("lab");
        ObjectNode bound = pod("lab", "web", "w1-k8s"); // bound to a node: its kubelet must confirm the deletion
        bound.with("spec").put("terminationGracePeriodSeconds", 30);
        pods.create(bound);
        start(Duration.ZERO);

        namespaces.delete("", "lab");
        runtime.runUntilIdle();
        assertEquals("Terminating", phase("lab"));
        assertTrue(pods.get("lab", "web").toNode().path("metadata").has("deletionTimestamp"), "the pod is terminating");

        // the "kubelet" finishes the pod a second later; the controller comes back after 30/2 + 1 = 16 s
        runtime.advance(Duration.ofSeconds(1));
        pods.delete("lab", "web", new DeleteOptions(0L, null, null, null, false));
        runtime.advance(Duration.ofSeconds(14));
        assertEquals("Terminating", phase("lab"), "nothing tells the controller before its time");
        runtime.advance(Duration.ofSeconds(1));
        assertTrue(!exists("lab"));
    }

    @Test
    void objectsHeldByFinalizersAreWaitedForAbout8Seconds() {
        createNamespace("lab");
        ObjectNode held = cm("lab", "held");
        ((ObjectNode) held.get("metadata")).putArray("finalizers").add("example.com/hold");
        configMaps.create(held);
        start(Duration.ZERO);

        namespaces.delete("", "lab");
        runtime.runUntilIdle();
        assertTrue(configMaps.get("lab", "held").toNode().path("metadata").has("deletionTimestamp"));

        configMaps.patch("lab", "held", cm -> { ((ObjectNode) cm.get("metadata")).remove("finalizers"); return cm; });
        runtime.advance(Duration.ofSeconds(7));
        assertEquals("Terminating", phase("lab"));
        runtime.advance(Duration.ofSeconds(1)); // 15/2 + 1
        assertTrue(!exists("lab"));
    }

    @Test
    void contentThatOutstaysItsEstimateIsRetriedWithBackOffUntilItGoes() {
        createNamespace("lab");
        ObjectNode bound = pod("lab", "stuck", "w1-k8s");
        bound.with("spec").put("terminationGracePeriodSeconds", 4);
        pods.create(bound);
        start(Duration.ZERO);
        namespaces.delete("", "lab");
        runtime.runUntilIdle();

        // no kubelet: after its grace period the pod is "unexpectedly" still there, an error retried with back-off
        runtime.advance(Duration.ofMinutes(3));
        assertEquals("Terminating", phase("lab"));
        int requeues = controller.queue().numRequeues("lab");
        assertTrue(requeues >= 5, "retried with back-off: " + requeues);
        runtime.advance(Duration.ofMinutes(3));
        assertTrue(controller.queue().numRequeues("lab") - requeues <= 4, "the back-off caps at a minute, not a busy loop");

        pods.delete("lab", "stuck", new DeleteOptions(0L, null, null, null, false));
        runtime.advance(Duration.ofSeconds(60));
        assertTrue(!exists("lab"));
        assertEquals(0, controller.queue().numRequeues("lab"), "forgotten once it succeeded");
    }

    @Test
    void namespacesThatAreNotDeletedAreLeftAlone() {
        createNamespace("lab");
        configMaps.create(cm("lab", "a"));
        start(Duration.ZERO);
        namespaces.patch("", "lab", ns -> { ((ObjectNode) ns.get("metadata")).putObject("labels").put("x", "y"); return ns; });
        runtime.advance(Duration.ofMinutes(1));
        assertEquals("Active", phase("lab"));
        assertEquals(1, configMaps.list("lab").size());
    }

    private static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        return o;
    }

    private static ObjectNode cm(String namespace, String name) {
        ObjectNode cm = object("v1", "ConfigMap", namespace, name);
        cm.putObject("data").put("k", "v");
        return cm;
    }

    private static ObjectNode pod(String namespace, String name, String node) {
        ObjectNode pod = object("v1", "Pod", namespace, name);
        ObjectNode spec = pod.putObject("spec");
        spec.putArray("containers").addObject().put("name", "c").put("image", "nginx");
        if (node != null) spec.put("nodeName", node);
        return pod;
    }

    private static ObjectNode deployment(String namespace, String name) {
        ObjectNode d = object("apps/v1", "Deployment", namespace, name);
        ObjectNode spec = d.putObject("spec");
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", "nginx");
        return d;
    }
}
