package kubefake.controllers.tainteviction;

import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.controllers.testing.LabCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A NoExecute taint put on a node by hand ({@code kubectl taint nodes w1-k8s dedicated=db:NoExecute}). */
class TaintEvictionControllerTest {
    private final LabCluster lab = new LabCluster();
    private TaintEvictionController controller;

    @BeforeEach
    void start() {
        controller = new TaintEvictionController(new Client(lab.registry, UserInfo.controllerServiceAccount("taint-eviction-controller"),
                "kube-controller-manager"), lab.informers, lab.runtime);
        controller.start();
        lab.informers.start();
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        controller.close();
        lab.close();
    }

    private void pod(String name, String tolerations) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab'}, 'spec': {"
                + "'nodeName': 'w1-k8s', " + tolerations + "'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        lab.markReady("lab", name);
    }

    private void taint(boolean on) {
        lab.nodes.patch("", "w1-k8s", n -> {
            if (on) n.with("spec").withArray("taints").addObject().put("key", "dedicated").put("value", "db").put("effect", "NoExecute");
            else n.with("spec").remove("taints");
            return n;
        });
        lab.runtime.runUntilIdle();
    }

    private boolean terminating(String pod) {
        return lab.pod(pod).path("metadata").has("deletionTimestamp");
    }

    private List<String> messages() {
        return lab.coreEvents("lab").stream().filter(e -> e.path("reason").asText().equals("TaintManagerEviction"))
                .map(e -> e.path("message").asText()).toList();
    }

    @Test
    void untoleratedGoesAtOnceTimedGoesOnTimeAndRemovingTheTaintCancels() {
        pod("plain", "");
        pod("minute", "'tolerations': [{'key': 'dedicated', 'operator': 'Equal', 'value': 'db', 'effect': 'NoExecute', 'tolerationSeconds': 60}], ");
        pod("forever", "'tolerations': [{'key': 'dedicated', 'operator': 'Exists'}], ");
        taint(true);
        assertTrue(terminating("plain"));
        assertFalse(terminating("minute"));
        lab.runtime.advance(Duration.ofSeconds(59));
        assertFalse(terminating("minute"));
        lab.runtime.advance(Duration.ofSeconds(1));
        assertTrue(terminating("minute"));
        lab.runtime.advance(Duration.ofHours(1));
        assertFalse(terminating("forever"));
        assertEquals(List.of("Marking for deletion Pod lab/plain", "Marking for deletion Pod lab/minute"), messages());
    }

    @Test
    void aTaintRemovedInTimeCancelsTheEviction() {
        pod("minute", "'tolerations': [{'key': 'dedicated', 'operator': 'Exists', 'effect': 'NoExecute', 'tolerationSeconds': 60}], ");
        taint(true);
        lab.runtime.advance(Duration.ofSeconds(30));
        taint(false);
        lab.runtime.advance(Duration.ofMinutes(5));
        assertFalse(terminating("minute"));
        assertEquals(List.of("Cancelling deletion of Pod lab/minute"), messages());
    }
}
