package kubefake.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.runtime.Cancellable;
import kubefake.controllers.tainteviction.TaintEvictionController;
import kubefake.controllers.testing.LabCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node lifecycle and taint eviction controllers on the manual runtime: the test plays the kubelets, renewing each
 * node's Lease every 10 s unless the node's kubelet is "stopped".
 */
class NodeLifecycleControllerTest {
    /** The tolerations the DefaultTolerationSeconds admission plugin gives every pod. */
    private static final String DEFAULT_TOLERATIONS = "'tolerations': [{'key': 'node.kubernetes.io/not-ready', 'operator': 'Exists',"
            + " 'effect': 'NoExecute', 'tolerationSeconds': 300}, {'key': 'node.kubernetes.io/unreachable', 'operator': 'Exists',"
            + " 'effect': 'NoExecute', 'tolerationSeconds': 300}]";
    private final LabCluster lab = new LabCluster();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private NodeLifecycleController lifecycle;
    private TaintEvictionController eviction;
    private Cancellable kubelets;

    private void start() {
        lifecycle = new NodeLifecycleController(new Client(lab.registry, UserInfo.controllerServiceAccount("node-controller"),
                "kube-controller-manager"), lab.informers, lab.runtime, NodeLifecycleController.Settings.DEFAULTS);
        eviction = new TaintEvictionController(new Client(lab.registry, UserInfo.controllerServiceAccount("taint-eviction-controller"),
                "kube-controller-manager"), lab.informers, lab.runtime);
        lifecycle.start();
        eviction.start();
        lab.informers.start();
        kubelets = lab.runtime.every(Duration.ofSeconds(10), () -> {
            for (String n : List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s")) if (!stopped.contains(n)) lab.renewLease(n);
        });
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        if (kubelets != null) kubelets.cancel();
        if (lifecycle != null) lifecycle.close();
        if (eviction != null) eviction.close();
        lab.close();
    }

    private JsonNode condition(String node, String type) {
        for (JsonNode c : lab.nodes.get("", node).toNode().path("status").path("conditions")) {
            if (c.path("type").asText().equals(type)) return c;
        }
        return null;
    }

    private List<JsonNode> taints(String node) {
        List<JsonNode> out = new ArrayList<>();
        lab.nodes.get("", node).toNode().path("spec").path("taints").forEach(out::add);
        return out;
    }

    private List<String> taintNames(String node) {
        return taints(node).stream().map(t -> t.path("key").asText() + ":" + t.path("effect").asText()).toList();
    }

    private void boundPod(String name, String node, String tolerations) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab'}, 'spec': {"
                + "'nodeName': '" + node + "', " + (tolerations.isEmpty() ? "" : tolerations + ", ")
                + "'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        lab.markReady("lab", name);
    }

    private boolean terminating(String pod) {
        return lab.pod(pod).path("metadata").has("deletionTimestamp");
    }

    private List<String> coreEventMessages(String namespace, String reason) {
        return lab.coreEvents(namespace).stream().filter(e -> e.path("reason").asText().equals(reason))
                .map(e -> e.path("message").asText()).toList();
    }

    @Test
    void everyNodeIsRegisteredOnce() {
        start();
        lab.runtime.advance(Duration.ofMinutes(1));
        assertEquals(List.of("Node m-k8s event: Registered Node m-k8s in Controller", "Node w1-k8s event: Registered Node w1-k8s in Controller",
                "Node w2-k8s event: Registered Node w2-k8s in Controller", "Node w3-k8s event: Registered Node w3-k8s in Controller"),
                coreEventMessages("default", "RegisteredNode"));
        ObjectNode e = lab.coreEvents("default").get(0);
        assertEquals("node-controller", e.path("source").path("component").asText());
        assertEquals("Node", e.path("involvedObject").path("kind").asText());
        assertEquals(lab.nodes.get("", "m-k8s").toNode().path("metadata").path("uid").asText(), e.path("involvedObject").path("uid").asText());
    }

    @Test
    void aNodeWhoseLeaseStopsTurnsUnknownIsTaintedAndItsPodsAreEvictedWhenTheirTolerationRunsOut() {
        boundPod("web", "w1-k8s", DEFAULT_TOLERATIONS);
        // every pod gets the 300 s tolerations by default (DefaultTolerationSeconds): this one asks for none of it
        boundPod("intolerant", "w1-k8s", "'tolerations': [{'key': 'node.kubernetes.io/unreachable', 'operator': 'Exists',"
                + " 'effect': 'NoExecute', 'tolerationSeconds': 0}]");
        boundPod("daemon", "w1-k8s", "'tolerations': [{'operator': 'Exists'}]");
        boundPod("elsewhere", "w2-k8s", DEFAULT_TOLERATIONS);
        start();
        stopped.add("w1-k8s"); // last renewal: t=0

        lab.runtime.advance(Duration.ofSeconds(50));
        assertEquals("True", condition("w1-k8s", "Ready").path("status").asText(), "within the 50 s grace period");
        lab.runtime.advance(Duration.ofSeconds(5));
        String unknownAt = lab.now();
        for (String type : List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")) {
            JsonNode c = condition("w1-k8s", type);
            assertEquals("Unknown", c.path("status").asText(), type);
            assertEquals("NodeStatusUnknown", c.path("reason").asText());
            assertEquals("Kubelet stopped posting node status.", c.path("message").asText());
            assertEquals(unknownAt, c.path("lastTransitionTime").asText());
        }
        assertEquals("True", condition("w2-k8s", "Ready").path("status").asText());
        assertEquals(List.of("node.kubernetes.io/unreachable:NoSchedule"), taintNames("w1-k8s"), "the scheduler keeps away at once");
        assertEquals(List.of("Node w1-k8s status is now: NodeNotReady"), coreEventMessages("default", "NodeNotReady"));
        JsonNode ready = lab.pod("web").path("status").path("conditions").get(1);
        assertEquals("Ready", ready.path("type").asText());
        assertEquals("False", ready.path("status").asText(), "pods on the node are not ready any more");
        assertEquals("True", lab.pod("elsewhere").path("status").path("conditions").get(1).path("status").asText());
        assertEquals(3, coreEventMessages("lab", "NodeNotReady").size());
        assertEquals("Node is not ready", coreEventMessages("lab", "NodeNotReady").get(0));

        lab.runtime.advance(Duration.ofSeconds(5)); // the next pass sees Unknown and taints NoExecute
        String taintedAt = lab.now();
        assertEquals(List.of("node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"), taintNames("w1-k8s"));
        assertEquals(taintedAt, taints("w1-k8s").get(1).path("timeAdded").asText());
        assertTrue(terminating("intolerant"), "a pod that tolerates the taint for 0 s goes at once");
        JsonNode disruption = lab.pod("intolerant").path("status").path("conditions");
        assertTrue(disruption.toString().contains("\"type\":\"DisruptionTarget\",\"status\":\"True\""), disruption.toString());
        assertTrue(disruption.toString().contains("\"reason\":\"DeletionByTaintManager\",\"message\":\"Taint manager: deleting due to NoExecute taint\""));
        assertEquals(List.of("Marking for deletion Pod lab/intolerant"), coreEventMessages("lab", "TaintManagerEviction"));
        ObjectNode marking = lab.coreEvents("lab").stream().filter(e -> e.path("reason").asText().equals("TaintManagerEviction")).findFirst().orElseThrow();
        assertEquals("taint-eviction-controller", marking.path("source").path("component").asText());
        assertFalse(marking.path("involvedObject").has("uid"), "the real controller's reference has no uid");

        lab.runtime.advance(Duration.ofSeconds(299));
        assertFalse(terminating("web"), "300 s of toleration");
        lab.runtime.advance(Duration.ofSeconds(1));
        assertTrue(terminating("web"));
        assertFalse(terminating("daemon"), "a toleration without seconds lasts forever");
        assertFalse(terminating("elsewhere"));
        assertEquals(List.of("Marking for deletion Pod lab/intolerant", "Marking for deletion Pod lab/web"),
                coreEventMessages("lab", "TaintManagerEviction"));
    }

    @Test
    void whenTheKubeletIsBackTheTaintsGoAndPendingEvictionsAreCancelled() {
        boundPod("web", "w1-k8s", DEFAULT_TOLERATIONS);
        start();
        stopped.add("w1-k8s");
        lab.runtime.advance(Duration.ofSeconds(60));
        assertEquals(2, taints("w1-k8s").size());

        stopped.remove("w1-k8s");
        lab.postReadyStatus("w1-k8s");
        lab.renewLease("w1-k8s");
        lab.runtime.advance(Duration.ofSeconds(5));
        assertEquals("True", condition("w1-k8s", "Ready").path("status").asText());
        assertEquals(List.of(), taints("w1-k8s"));
        assertEquals(List.of("Cancelling deletion of Pod lab/web"), coreEventMessages("lab", "TaintManagerEviction"));
        lab.runtime.advance(Duration.ofMinutes(10));
        assertFalse(terminating("web"));
        assertEquals("True", condition("w1-k8s", "Ready").path("status").asText(), "the lease keeps it Ready");
    }

    @Test
    void aCordonedNodeGetsTheUnschedulableTaintAndLosesItWhenUncordoned() {
        start();
        lab.nodes.patch("", "w2-k8s", n -> { n.with("spec").put("unschedulable", true); return n; });
        lab.runtime.runUntilIdle();
        assertEquals(List.of("node.kubernetes.io/unschedulable:NoSchedule"), taintNames("w2-k8s"));
        assertTrue(taints("w2-k8s").get(0).has("timeAdded"));
        lab.nodes.patch("", "w2-k8s", n -> { n.with("spec").remove("unschedulable"); return n; });
        lab.runtime.runUntilIdle();
        assertEquals(List.of(), taintNames("w2-k8s"));
        assertEquals(List.of("node-role.kubernetes.io/control-plane:NoSchedule"), taintNames("m-k8s"), "kubeadm's taint is left alone");
    }

    @Test
    void aNodeReportingNotReadyGetsTheNotReadyTaints() {
        start();
        lab.nodes.patchStatus("", "w3-k8s", n -> {
            for (JsonNode c : n.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) ((ObjectNode) c).put("status", "False").put("reason", "KubeletNotReady")
                        .put("message", "container runtime network not ready").put("lastHeartbeatTime", lab.now());
            }
            return n;
        });
        lab.runtime.advance(Duration.ofSeconds(10));
        assertEquals(List.of("node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"), taintNames("w3-k8s"));
        assertEquals("KubeletNotReady", condition("w3-k8s", "Ready").path("reason").asText(), "the kubelet's own report stays");
    }

    @Test
    void whenEveryNodeIsDownNothingIsEvicted() {
        boundPod("web", "w1-k8s", DEFAULT_TOLERATIONS);
        start();
        stopped.addAll(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"));
        lab.runtime.advance(Duration.ofMinutes(10));
        for (String n : List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s")) {
            assertEquals("Unknown", condition(n, "Ready").path("status").asText());
            assertTrue(taintNames(n).stream().noneMatch(t -> t.endsWith(":NoExecute")), n + ": master disruption mode");
        }
        assertFalse(terminating("web"));
        assertNull(lab.pod("web").path("metadata").get("deletionTimestamp"));
    }
}
