package kubefake.controllers.disruption;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The disruption controller on the manual runtime: the status it computes for budgets over pods and ReplicaSets. */
class DisruptionControllerTest {
    private final LabCluster lab = new LabCluster();
    private final ResourceClient budgets = lab.admin.resource("policy", "poddisruptionbudgets");
    private final ResourceClient replicaSets = lab.admin.resource("apps", "replicasets");
    private DisruptionController controller;

    @BeforeEach
    void start() {
        controller = new DisruptionController(new Client(lab.registry, UserInfo.controllerServiceAccount(DisruptionController.NAME),
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

    private void budget(String name, String spec) {
        budgets.create(json("{'apiVersion': 'policy/v1', 'kind': 'PodDisruptionBudget', 'metadata': {'name': '" + name
                + "', 'namespace': 'lab'}, 'spec': {" + spec + ", 'selector': {'matchLabels': {'app': 'web'}}}}"));
        lab.runtime.runUntilIdle();
    }

    /** A pod of the ReplicaSet {@code web} (3 replicas), ready or not. */
    private void pod(String name, String rsUid, boolean ready) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab',"
                + " 'labels': {'app': 'web'}, 'ownerReferences': [{'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'name': 'web',"
                + " 'uid': '" + rsUid + "', 'controller': true}]}, 'spec': {'nodeName': 'w1-k8s', 'containers': [{'name': 'c',"
                + " 'image': 'nginx'}]}}"));
        if (ready) lab.markReady("lab", name);
        lab.runtime.runUntilIdle();
    }

    private String replicaSet(int replicas) {
        return replicaSets.create(json("{'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'metadata': {'name': 'web', 'namespace':"
                + " 'lab'}, 'spec': {'replicas': " + replicas + ", 'selector': {'matchLabels': {'app': 'web'}}, 'template':"
                + " {'metadata': {'labels': {'app': 'web'}}, 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}}}"))
                .toNode().path("metadata").path("uid").asText();
    }

    /** disruptionsAllowed currentHealthy desiredHealthy expectedPods observedGeneration condition-status/reason. */
    private String status(String name) {
        JsonNode s = budgets.get("lab", name).toNode().path("status");
        JsonNode c = s.path("conditions").path(0);
        return s.path("disruptionsAllowed").asInt() + " " + s.path("currentHealthy").asInt() + " " + s.path("desiredHealthy").asInt()
                + " " + s.path("expectedPods").asInt() + " " + s.path("observedGeneration").asInt() + " "
                + c.path("status").asText() + "/" + c.path("reason").asText();
    }

    @Test
    void anIntegerMinAvailableCountsTheReadyPodsItSelects() {
        String rs = replicaSet(3);
        budget("web", "'minAvailable': 2");
        assertEquals("0 0 2 0 1 False/InsufficientPods", status("web"));
        pod("web-1", rs, true);
        pod("web-2", rs, true);
        assertEquals("0 2 2 2 1 False/InsufficientPods", status("web"));
        pod("web-3", rs, false);
        assertEquals("0 2 2 3 1 False/InsufficientPods", status("web"), "an unready pod is expected but not healthy");
        lab.markReady("lab", "web-3");
        lab.runtime.runUntilIdle();
        assertEquals("1 3 2 3 1 True/SufficientPods", status("web"));
    }

    @Test
    void percentagesAndMaxUnavailableCountTheControllersReplicasRoundingUp() {
        String rs = replicaSet(3);
        pod("web-1", rs, true);
        pod("web-2", rs, true);
        budget("half", "'minAvailable': '50%'");
        assertEquals("0 2 2 3 1 False/InsufficientPods", status("half"), "50% of 3 replicas is 2, rounded up");
        budgets.delete("lab", "half");
        budget("one", "'maxUnavailable': 1");
        assertEquals("0 2 2 3 1 False/InsufficientPods", status("one"));
        pod("web-3", rs, true);
        assertEquals("1 3 2 3 1 True/SufficientPods", status("one"));
    }

    @Test
    void anEvictedPodIsNotHealthyUntilTwoMinutesHavePassed() {
        String rs = replicaSet(3);
        pod("web-1", rs, true);
        pod("web-2", rs, true);
        pod("web-3", rs, true);
        budget("web", "'minAvailable': 2");
        assertEquals("1 3 2 3 1 True/SufficientPods", status("web"));
        // what the eviction subresource writes when it lets web-1 go
        budgets.patchStatus("lab", "web", b -> {
            b.with("status").put("disruptionsAllowed", 0).with("disruptedPods").put("web-1", lab.now());
            return b;
        });
        lab.runtime.runUntilIdle();
        assertEquals("0 2 2 3 1 False/InsufficientPods", status("web"));
        assertEquals("web-1", budgets.get("lab", "web").toNode().path("status").path("disruptedPods").fieldNames().next());
        lab.runtime.advance(Duration.ofSeconds(121));
        assertEquals("1 3 2 3 1 True/SufficientPods", status("web"), "the pod was not deleted after all");
        assertEquals(0, budgets.get("lab", "web").toNode().path("status").path("disruptedPods").size());
    }

    @Test
    void aPodOfAnUnknownControllerMakesThePercentageFailSafe() {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'job-1', 'namespace': 'lab',"
                + " 'labels': {'app': 'web'}, 'ownerReferences': [{'apiVersion': 'batch/v1', 'kind': 'Job', 'name': 'j',"
                + " 'uid': 'u-1', 'controller': true}]}, 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
        budget("web", "'minAvailable': '50%'");
        JsonNode condition = budgets.get("lab", "web").toNode().path("status").path("conditions").path(0);
        assertEquals("False SyncFailed found no controllers for pod \"job-1\"", condition.path("status").asText() + " "
                + condition.path("reason").asText() + " " + condition.path("message").asText());
    }
}
