package kubefake.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.Json;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Job's podFailurePolicy on the manual runtime: the test decides how each pod fails. */
class JobPodFailurePolicyTest {
    private final ControllerTestCluster cluster = new ControllerTestCluster("lab");
    private final ResourceClient jobs = cluster.admin.resource("batch", "jobs");
    private final ResourceClient kubeletPods = new Client(cluster.registry, UserInfo.node("w1-k8s"), "kubelet").resource("", "pods");
    private JobController controller;

    private void start() {
        controller = new JobController(cluster.controllerClient(JobController.NAME), cluster.informers, cluster.runtime);
        controller.start();
        cluster.start();
    }

    @AfterEach
    void close() {
        if (controller != null) controller.close();
        cluster.close();
    }

    /** A Job with the given podFailurePolicy rules whose pods run on w1-k8s (so their deletion waits for the kubelet). */
    private void createJob(String name, String extraSpec, String rules) {
        jobs.create(Json.parseObject(("""
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%s","namespace":"lab"},
                 "spec":{%s"podFailurePolicy":{"rules":%s},
                  "template":{"spec":{"nodeName":"w1-k8s","restartPolicy":"Never",
                   "containers":[{"name":"main","image":"busybox","command":["sh","-c","exit 42"]}]}}}}
                """).formatted(name, extraSpec, rules).getBytes(StandardCharsets.UTF_8)));
        cluster.runtime.runUntilIdle();
    }

    /** What the kubelet writes when the pod's container exited with {@code exitCode}, with extra pod conditions. */
    private void fail(ObjectNode pod, int exitCode, String... conditionTypes) {
        String now = DateTimeFormatter.ISO_INSTANT.format(cluster.runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS));
        kubeletPods.patchStatus("lab", name(pod), p -> {
            ObjectNode status = p.with("status");
            status.put("phase", "Failed");
            status.putArray("containerStatuses").addObject().put("name", "main").put("restartCount", 0)
                    .putObject("state").putObject("terminated").put("exitCode", exitCode).put("finishedAt", now);
            for (String type : conditionTypes) {
                status.withArray("conditions").addObject().put("type", type).put("status", "True")
                        .put("reason", "EvictionByEvictionAPI").put("lastTransitionTime", now);
            }
            return p;
        });
        cluster.runtime.runUntilIdle();
    }

    private List<ObjectNode> running() {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode p : cluster.livePods("lab")) {
            String phase = p.path("status").path("phase").asText();
            if (!phase.equals("Succeeded") && !phase.equals("Failed") && !p.path("metadata").has("deletionTimestamp")) out.add(p);
        }
        return out;
    }

    private JsonNode status(String name) {
        return jobs.get("lab", name).toNode().path("status");
    }

    private static List<String> conditions(JsonNode status) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : status.path("conditions")) {
            out.add(c.path("type").asText() + "/" + c.path("reason").asText() + ": " + c.path("message").asText());
        }
        return out;
    }

    @Test
    void aPodMatchingAFailJobRuleFailsTheJobOnceItsOtherPodsAreGone() {
        start();
        createJob("pi", "\"parallelism\":2,\"completions\":4,",
                "[{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"main\",\"operator\":\"In\",\"values\":[42]}}]");
        List<ObjectNode> pods = running();
        assertEquals(2, pods.size());

        fail(pods.get(0), 42);
        String message = "Container main for pod lab/" + name(pods.get(0)) + " failed with exit code 42 matching FailJob rule at index 0";
        JsonNode status = status("pi");
        assertEquals(List.of("FailureTarget/PodFailurePolicy: " + message), conditions(status));
        // the other pod is stopped, and counted as failed at once
        assertEquals(2, status.path("failed").asInt());
        assertEquals(1, status.path("terminating").asInt());
        assertFalse(cluster.pods.get("lab", name(pods.get(1))).toNode().path("metadata").has("finalizers"));
        assertTrue(running().isEmpty(), "no pod replaces the failed one");

        // the kubelet stops the other pod: now the Job has failed
        fail(cluster.pods.get("lab", name(pods.get(1))).toNode(), 137);
        status = status("pi");
        assertEquals(List.of("FailureTarget/PodFailurePolicy: " + message, "Failed/PodFailurePolicy: " + message), conditions(status));
        assertEquals(0, status.path("terminating").asInt());
        assertEquals(2, status.path("failed").asInt());
        List<String> events = cluster.events("lab", "Job", "pi");
        assertEquals("PodFailurePolicy: " + message, events.get(events.size() - 1));
    }

    @Test
    void aFailureAnIgnoreRuleMatchesIsReplacedAtOnceWithoutCountingTowardsTheBackoffLimit() {
        start();
        createJob("flaky", "\"backoffLimit\":0,",
                "[{\"action\":\"Ignore\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[1,2]}}]");
        for (int i = 0; i < 3; i++) {
            ObjectNode pod = running().get(0);
            fail(pod, 1);
            JsonNode status = status("flaky");
            assertEquals(List.of(), conditions(status));
            assertFalse(status.has("failed"), status.toString());
            List<ObjectNode> now = running();
            assertEquals(1, now.size(), "replaced without back-off");
            assertNotEquals(name(pod), name(now.get(0)));
            assertFalse(cluster.pods.get("lab", name(pod)).toNode().path("metadata").has("finalizers"));
        }
        // an exit code no rule matches counts as usual
        fail(running().get(0), 3);
        JsonNode status = status("flaky");
        assertEquals(1, status.path("failed").asInt());
        assertEquals(List.of("FailureTarget/BackoffLimitExceeded: Job has reached the specified backoff limit",
                "Failed/BackoffLimitExceeded: Job has reached the specified backoff limit"), conditions(status));
    }

    @Test
    void theFirstMatchingRuleDecidesAndNotInMatchesEveryOtherNonZeroCode() {
        start();
        createJob("ordered", "",
                "[{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[3]}},"
                        + "{\"action\":\"FailJob\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1,3]}}]");
        // 3: the Count rule comes first
        fail(running().get(0), 3);
        assertEquals(1, status("ordered").path("failed").asInt());
        assertEquals(List.of(), conditions(status("ordered")));
        // 1: NotIn [1,3] does not match, no rule does: counted
        cluster.runtime.advance(JobController.POD_FAILURE_BACKOFF);
        fail(running().get(0), 1);
        assertEquals(2, status("ordered").path("failed").asInt());
        assertEquals(List.of(), conditions(status("ordered")));
        // 7: NotIn [1,3] matches the FailJob rule at index 1
        cluster.runtime.advance(JobController.POD_FAILURE_BACKOFF.multipliedBy(2));
        ObjectNode pod = running().get(0);
        fail(pod, 7);
        assertEquals(List.of("FailureTarget/PodFailurePolicy: Container main for pod lab/" + name(pod)
                        + " failed with exit code 7 matching FailJob rule at index 1",
                "Failed/PodFailurePolicy: Container main for pod lab/" + name(pod)
                        + " failed with exit code 7 matching FailJob rule at index 1"), conditions(status("ordered")));
    }

    @Test
    void onPodConditionsMatchesADisruptedPod() {
        start();
        createJob("evicted", "\"backoffLimit\":0,",
                "[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]},"
                        + "{\"action\":\"FailJob\",\"onPodConditions\":[{\"type\":\"ConfigIssue\",\"status\":\"True\"}]}]");
        assertEquals("True", jobs.get("lab", "evicted").toNode().path("spec").path("podFailurePolicy").path("rules")
                .get(0).path("onPodConditions").get(0).path("status").asText(), "the pattern's status defaults to True");
        ObjectNode evicted = running().get(0);
        fail(evicted, 137, "DisruptionTarget");
        assertEquals(List.of(), conditions(status("evicted")));
        assertFalse(status("evicted").has("failed"));
        ObjectNode next = running().get(0);
        assertNotEquals(name(evicted), name(next));

        fail(next, 1, "ConfigIssue");
        assertEquals(List.of("FailureTarget/PodFailurePolicy: Pod lab/" + name(next) + " has condition ConfigIssue matching FailJob rule at index 1",
                "Failed/PodFailurePolicy: Pod lab/" + name(next) + " has condition ConfigIssue matching FailJob rule at index 1"),
                conditions(status("evicted")));
    }
}
