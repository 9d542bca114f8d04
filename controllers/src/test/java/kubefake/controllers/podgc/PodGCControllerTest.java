package kubefake.controllers.podgc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pod GC on the manual runtime: what it deletes, when, and the last state the deleted pods had. */
class PodGCControllerTest {
    private final LabCluster lab = new LabCluster();
    private final Map<String, ObjectNode> lastStates = new HashMap<>();
    private PodGCController gc;

    private void start(int threshold) {
        start(threshold, false);
    }

    /** @param informersFirst the shared informers started before the collector, as the scheduler starts them in a server */
    private void start(int threshold, boolean informersFirst) {
        if (informersFirst) {
            lab.informers.informer("", "pods");
            lab.informers.start();
            lab.runtime.runUntilIdle();
        }
        lab.informers.informer("", "pods").addHandler(new ResourceEventHandler() {
            @Override
            public void onDelete(StoredObject last) {
                ObjectNode pod = last.toNode();
                lastStates.put(pod.path("metadata").path("name").asText(), pod);
            }
        });
        gc = new PodGCController(new Client(lab.registry, UserInfo.controllerServiceAccount("pod-garbage-collector"), "kube-controller-manager"),
                lab.informers, lab.runtime, threshold);
        gc.start();
        lab.informers.start();
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        if (gc != null) gc.close();
        lab.close();
    }

    private boolean exists(String pod) {
        return lab.pods.find("lab", pod).isPresent();
    }

    private String phase(String pod) {
        return lab.pods.find("lab", pod).orElseThrow().tree().path("status").path("phase").asText();
    }

    private void bound(String name, String node) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab'},"
                + " 'spec': {'nodeName': '" + node + "', 'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
    }

    private void finish(String name, String phase, String reason) {
        lab.pods.patchStatus("lab", name, p -> {
            p.with("status").put("phase", phase);
            if (reason != null) p.with("status").put("reason", reason);
            return p;
        });
    }

    @Test
    void podsOfANodeThatIsGoneAreDeletedAfterTheQuarantine() {
        bound("orphan", "w1-k8s");
        lab.markReady("lab", "orphan");
        start(PodGCController.DEFAULT_TERMINATED_POD_THRESHOLD);
        lab.nodes.delete("", "w1-k8s");
        lab.runtime.advance(Duration.ofSeconds(40));
        assertTrue(exists("orphan"), "quarantined for 40 s");
        lab.runtime.advance(Duration.ofSeconds(20));
        assertTrue(!exists("orphan"));
        ObjectNode last = lastStates.get("orphan");
        assertEquals("Failed", last.path("status").path("phase").asText(), "marked Failed first: no kubelet will");
        String conditions = last.path("status").path("conditions").toString();
        assertTrue(conditions.contains("\"type\":\"DisruptionTarget\",\"status\":\"True\""), conditions);
        assertTrue(conditions.contains("\"reason\":\"DeletionByPodGC\",\"message\":\"PodGC: node no longer exists\""), conditions);
    }

    @Test
    void finishedPodsBeyondTheThresholdGoEvictedFirstThenOldest() {
        start(2);
        for (String name : List.of("a", "b", "c", "d")) {
            bound(name, "w2-k8s");
            lab.runtime.advance(Duration.ofSeconds(1));
        }
        finish("a", "Succeeded", null);
        finish("b", "Failed", null);
        finish("c", "Succeeded", null);
        finish("d", "Failed", "Evicted");
        lab.runtime.advance(Duration.ofSeconds(20));
        assertEquals(List.of(false, true, true, false), List.of(exists("a"), exists("b"), exists("c"), exists("d")));
    }

    @Test
    void terminatingPodsOnAnOutOfServiceNodeAreForceDeleted() {
        bound("stuck", "w3-k8s");
        lab.markReady("lab", "stuck");
        start(PodGCController.DEFAULT_TERMINATED_POD_THRESHOLD);
        lab.pods.delete("lab", "stuck", DeleteOptions.DEFAULT);
        lab.runtime.advance(Duration.ofSeconds(40));
        assertTrue(exists("stuck"), "a terminating pod waits for its kubelet");

        lab.nodes.patchStatus("", "w3-k8s", n -> {
            n.path("status").path("conditions").forEach(c -> { if (c.path("type").asText().equals("Ready")) ((ObjectNode) c).put("status", "Unknown"); });
            return n;
        });
        lab.runtime.advance(Duration.ofSeconds(40));
        assertTrue(exists("stuck"), "NotReady alone is not enough");
        lab.nodes.patch("", "w3-k8s", n -> {
            n.with("spec").withArray("taints").addObject().put("key", "node.kubernetes.io/out-of-service").put("value", "nodeshutdown")
                    .put("effect", "NoExecute");
            return n;
        });
        lab.runtime.advance(Duration.ofSeconds(20));
        assertTrue(!exists("stuck"));
        assertEquals("Failed", lastStates.get("stuck").path("status").path("phase").asText());
    }

    @Test
    void terminatingPodsNeverScheduledAreForceDeletedOthersStay() {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'unscheduled', 'namespace': 'lab',"
                + " 'finalizers': ['example.com/hold']}, 'spec': {'schedulerName': 'none', 'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'pending', 'namespace': 'lab'},"
                + " 'spec': {'schedulerName': 'none', 'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        start(PodGCController.DEFAULT_TERMINATED_POD_THRESHOLD, true);
        lab.pods.delete("lab", "unscheduled", DeleteOptions.DEFAULT);
        assertTrue(exists("unscheduled"), "held by its finalizer");
        assertEquals("Pending", phase("unscheduled"));
        lab.runtime.advance(Duration.ofSeconds(20));
        assertEquals("Failed", phase("unscheduled"), "marked Failed, then force deleted (its finalizer still holds it)");
        assertEquals("Pending", phase("pending"), "a pending pod that is not being deleted is left alone");
    }
}
