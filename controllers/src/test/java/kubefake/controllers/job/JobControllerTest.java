package kubefake.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.controllers.ControllerTestCluster;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.ControllerTestCluster.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Job controller on the manual runtime: pods finish (or fail with the exit code and conditions the test gives) when
 * the test says, time moves when it advances the clock.
 */
class JobControllerTest {
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

    private static ObjectNode job(String name, String extraSpec) {
        return job(name, extraSpec, "");
    }

    private static ObjectNode job(String name, String extraSpec, String extraPodSpec) {
        return Json.parseObject(("""
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%s","namespace":"lab"},
                 "spec":{%s"template":{"spec":{%s"restartPolicy":"Never",
                   "containers":[{"name":"work","image":"busybox","command":["sh","-c","exit 0"]}]}}}}
                """).formatted(name, extraSpec, extraPodSpec).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private JsonNode status(String name) {
        return jobs.get("lab", name).toNode().path("status");
    }

    /** What the kubelet writes when the pod's container has exited. */
    private void finish(ObjectNode pod, String phase) {
        String now = DateTimeFormatter.ISO_INSTANT.format(cluster.runtime.clock().instant().truncatedTo(ChronoUnit.SECONDS));
        kubeletPods.patchStatus("lab", name(pod), p -> {
            ObjectNode status = p.with("status");
            status.put("phase", phase);
            status.putArray("containerStatuses").addObject().put("name", "work").put("restartCount", 0)
                    .putObject("state").putObject("terminated").put("exitCode", phase.equals("Succeeded") ? 0 : 3)
                    .put("finishedAt", now);
            return p;
        });
        cluster.runtime.runUntilIdle();
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
            if (!phase.equals("Succeeded") && !phase.equals("Failed")) out.add(p);
        }
        return out;
    }

    private static List<String> conditions(JsonNode status) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : status.path("conditions")) {
            out.add(c.path("type").asText() + "/" + c.path("reason").asText() + ": " + c.path("message").asText());
        }
        return out;
    }

    @Test
    void anIndexedJobRunsOnePodPerIndexAndCompletesWhenEveryIndexSucceeded() {
        start();
        ObjectNode created = jobs.create(job("idx", "\"completions\":3,\"parallelism\":2,\"completionMode\":\"Indexed\",")).toNode();
        String uid = created.path("metadata").path("uid").asText();
        cluster.runtime.runUntilIdle();

        List<ObjectNode> pods = running();
        assertEquals(2, pods.size());
        for (int i = 0; i < 2; i++) {
            ObjectNode pod = pods.stream().filter(p -> name(p).startsWith("idx-")).toList().get(i);
            String index = pod.path("metadata").path("annotations").path(JobPods.COMPLETION_INDEX).asText();
            assertTrue(name(pod).matches("idx-" + index + "-[a-z0-9]{5}"), name(pod));
            assertEquals(index, pod.path("metadata").path("labels").path(JobPods.COMPLETION_INDEX).asText());
            assertEquals(uid, pod.path("metadata").path("labels").path("batch.kubernetes.io/controller-uid").asText());
            assertEquals("idx", pod.path("metadata").path("labels").path("job-name").asText());
            assertEquals("idx-" + index, pod.path("spec").path("hostname").asText());
            assertEquals("[\"batch.kubernetes.io/job-tracking\"]", pod.path("metadata").path("finalizers").toString());
            assertEquals("[{\"name\":\"JOB_COMPLETION_INDEX\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\","
                    + "\"fieldPath\":\"metadata.labels['batch.kubernetes.io/job-completion-index']\"}}}]",
                    pod.path("spec").path("containers").get(0).path("env").toString());
        }
        assertEquals(2, status("idx").path("active").asInt());
        assertTrue(status("idx").hasNonNull("startTime"));

        for (ObjectNode p : pods) finish(p, "Succeeded");
        List<ObjectNode> third = running();
        assertEquals(1, third.size());
        assertTrue(name(third.get(0)).startsWith("idx-2-"), name(third.get(0)));
        assertEquals("0,1", status("idx").path("completedIndexes").asText());

        cluster.runtime.advance(Duration.ofSeconds(7));
        finish(third.get(0), "Succeeded");
        JsonNode status = status("idx");
        assertEquals("0-2", status.path("completedIndexes").asText());
        assertEquals(3, status.path("succeeded").asInt());
        assertEquals("{}", status.path("uncountedTerminatedPods").toString());
        assertEquals(0, status.path("ready").asInt());
        assertEquals(0, status.path("terminating").asInt());
        assertFalse(status.has("active"));
        assertEquals(List.of("SuccessCriteriaMet/CompletionsReached: Reached expected number of succeeded pods",
                "Complete/CompletionsReached: Reached expected number of succeeded pods"), conditions(status));
        assertTrue(status.hasNonNull("completionTime"));
        for (ObjectNode p : cluster.pods("lab")) assertFalse(p.path("metadata").has("finalizers"), name(p));
        List<String> events = cluster.events("lab", "Job", "idx");
        assertEquals("Completed: Job completed", events.get(events.size() - 1));
    }

    @Test
    void failedPodsAreReplacedAfterAnExponentialBackOffUntilTheBackoffLimit() {
        start();
        jobs.create(job("flaky", "\"backoffLimit\":2,"));
        cluster.runtime.runUntilIdle();
        finish(running().get(0), "Failed");
        assertEquals(1, status("flaky").path("failed").asInt());
        assertEquals(0, running().size(), "no new pod during the first 10 s");

        cluster.runtime.advance(Duration.ofSeconds(9));
        assertEquals(0, running().size());
        cluster.runtime.advance(Duration.ofSeconds(1));
        assertEquals(1, running().size(), "replaced after 10 s");

        finish(running().get(0), "Failed");
        cluster.runtime.advance(Duration.ofSeconds(19));
        assertEquals(0, running().size());
        cluster.runtime.advance(Duration.ofSeconds(1));
        assertEquals(1, running().size(), "replaced after 20 s");

        finish(running().get(0), "Failed");
        JsonNode status = status("flaky");
        assertEquals(3, status.path("failed").asInt());
        assertEquals(List.of("FailureTarget/BackoffLimitExceeded: Job has reached the specified backoff limit",
                "Failed/BackoffLimitExceeded: Job has reached the specified backoff limit"), conditions(status));
        assertFalse(status.has("completionTime"));
        cluster.runtime.advance(Duration.ofMinutes(5));
        assertEquals(0, running().size(), "a failed Job starts nothing more");
        assertTrue(cluster.events("lab", "Job", "flaky")
                .contains("BackoffLimitExceeded: Job has reached the specified backoff limit"));
    }

    @Test
    void aJobActiveLongerThanItsDeadlineStopsItsPodsAndFailsOnceTheyAreGone() {
        start();
        // on a node, so that its deletion waits for the kubelet
        jobs.create(job("slow", "\"activeDeadlineSeconds\":30,", "\"nodeName\":\"w1-k8s\","));
        cluster.runtime.runUntilIdle();
        ObjectNode pod = running().get(0);
        cluster.runtime.advance(Duration.ofSeconds(29));
        assertTrue(conditions(status("slow")).isEmpty());

        cluster.runtime.advance(Duration.ofSeconds(1));
        JsonNode status = status("slow");
        assertEquals(List.of("FailureTarget/DeadlineExceeded: Job was active longer than specified deadline"), conditions(status));
        assertEquals(1, status.path("terminating").asInt());
        // a pod deleted before it succeeded counts as failed at once (podReplacementPolicy TerminatingOrFailed)
        assertEquals(1, status.path("failed").asInt());
        ObjectNode deleting = cluster.pods.get("lab", name(pod)).toNode();
        assertTrue(deleting.path("metadata").has("deletionTimestamp"), "the pod is being stopped");

        // the kubelet stops the container: the pod fails, is counted, and the Job fails
        finish(deleting, "Failed");
        status = status("slow");
        assertEquals(List.of("FailureTarget/DeadlineExceeded: Job was active longer than specified deadline",
                "Failed/DeadlineExceeded: Job was active longer than specified deadline"), conditions(status));
        assertEquals(1, status.path("failed").asInt());
        assertEquals(0, status.path("terminating").asInt());
        assertFalse(cluster.pods.get("lab", name(pod)).toNode().path("metadata").has("finalizers"));
    }

    @Test
    void theServerGeneratesTheSelectorAndTheTemplateLabels() {
        ObjectNode created = jobs.create(job("gen", "")).toNode();
        String uid = created.path("metadata").path("uid").asText();
        JsonNode spec = created.path("spec");
        assertEquals("{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"" + uid + "\"}}", spec.path("selector").toString());
        JsonNode labels = spec.path("template").path("metadata").path("labels");
        assertEquals(uid, labels.path("batch.kubernetes.io/controller-uid").asText());
        assertEquals("gen", labels.path("batch.kubernetes.io/job-name").asText());
        assertEquals(uid, labels.path("controller-uid").asText());
        assertEquals("gen", labels.path("job-name").asText());
        assertEquals(6, spec.path("backoffLimit").asInt());
        assertEquals(1, spec.path("completions").asInt());
        assertEquals(1, spec.path("parallelism").asInt());
        assertEquals("NonIndexed", spec.path("completionMode").asText());
        assertEquals("TerminatingOrFailed", spec.path("podReplacementPolicy").asText());
        assertEquals(Instant.parse(created.path("metadata").path("creationTimestamp").asText()).getEpochSecond(),
                cluster.runtime.clock().instant().getEpochSecond());
    }

    @Test
    void aFinishedJobWithATimeToLiveIsDeletedThatLongAfterItFinished() {
        var ttl = new kubefake.controllers.ttlafterfinished.TtlAfterFinishedController(
                cluster.controllerClient("ttl-after-finished-controller"), cluster.informers, cluster.runtime);
        ttl.start();
        try {
            start();
            jobs.create(job("brief", "\"ttlSecondsAfterFinished\":100,"));
            cluster.runtime.runUntilIdle();
            finish(running().get(0), "Succeeded");
            assertEquals("Complete", conditions(status("brief")).get(1).split("/")[0]);
            cluster.runtime.advance(Duration.ofSeconds(99));
            assertTrue(jobs.find("lab", "brief").isPresent());
            cluster.runtime.advance(Duration.ofSeconds(1));
            // deleted in the foreground: marked, its pods go first (the garbage collector's part)
            var left = jobs.find("lab", "brief");
            assertTrue(left.isEmpty() || left.get().toNode().path("metadata").has("deletionTimestamp"), () -> left.get().toNode().toString());
        } finally {
            ttl.close();
        }
    }

    @Test
    void aSuspendedJobStopsItsPodsAndResumesWhereItWas() {
        start();
        jobs.create(job("later", "\"completions\":2,\"parallelism\":2,"));
        cluster.runtime.runUntilIdle();
        finish(running().get(0), "Succeeded");
        jobs.patch("lab", "later", j -> {
            j.with("spec").put("suspend", true);
            return j;
        });
        cluster.runtime.runUntilIdle();
        JsonNode status = status("later");
        assertEquals(List.of("Suspended/JobSuspended: Job suspended"), conditions(status));
        assertEquals(0, running().size(), "its running pod is stopped");
        assertTrue(cluster.events("lab", "Job", "later").contains("Suspended: Job suspended"));

        cluster.runtime.advance(Duration.ofMinutes(1));
        jobs.patch("lab", "later", j -> {
            j.with("spec").put("suspend", false);
            return j;
        });
        cluster.runtime.runUntilIdle();
        status = status("later");
        assertEquals(List.of("Suspended/Resumed: Job resumed"), conditions(status));
        assertEquals("False", status.path("conditions").get(0).path("status").asText());
        assertEquals(1, running().size(), "one completion left: one pod");
        assertEquals(1, status.path("succeeded").asInt());
    }

    /** A sync as a worker runs it: a status write from a Job the informer had not caught up with conflicts, and is retried. */
    private void syncAsAWorker(String key) {
        try {
            controller.sync(key);
        } catch (StatusException e) {
            if (e.code() != 409) throw e;
        }
    }

    @Test
    void aCreationTheInformerShowsDuringASyncIsNotCreatedTwice() {
        // informers run, the controller's workers do not: the test calls its sync itself, between deliveries
        controller = new JobController(cluster.controllerClient(JobController.NAME), cluster.informers, cluster.runtime);
        cluster.start();
        jobs.create(job("counter", "\"completions\":3,\"parallelism\":2,"));
        cluster.runtime.runUntilIdle();
        controller.sync("lab/counter");
        assertEquals(2, running().size());

        // the next sync lists the pods before the informer has shown the two creations, which it delivers meanwhile
        controller.afterPodsListed = () -> {
            controller.afterPodsListed = () -> {
            };
            cluster.runtime.runUntilIdle();
        };
        syncAsAWorker("lab/counter");
        cluster.runtime.runUntilIdle();
        assertEquals(2, running().size(), "the creations it expected are not made again");

        for (int done = 0; done < 3; done++) {
            finish(running().get(0), "Succeeded");
            controller.sync("lab/counter");
            cluster.runtime.runUntilIdle();
            controller.sync("lab/counter");
            cluster.runtime.runUntilIdle();
        }
        JsonNode status = status("counter");
        assertEquals(3, status.path("succeeded").asInt());
        assertFalse(status.has("failed"), status::toString);
        assertEquals("Complete", conditions(status).get(1).split("/")[0]);
        assertEquals(List.of("SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate", "Completed"),
                cluster.events("lab", "Job", "counter").stream().map(e -> e.split(":")[0]).toList());
    }

    @Test
    void aSyncOnAJobTheInformerShowsOlderThanItsOwnStatusWriteWaits() {
        // informers run, the controller's workers do not: the test calls its sync itself, between deliveries
        controller = new JobController(cluster.controllerClient(JobController.NAME), cluster.informers, cluster.runtime);
        cluster.start();
        jobs.create(job("counter", "\"completions\":3,\"parallelism\":2,"));
        cluster.runtime.runUntilIdle();
        controller.sync("lab/counter");
        cluster.runtime.runUntilIdle();
        finish(running().get(0), "Succeeded");
        controller.sync("lab/counter");
        cluster.runtime.runUntilIdle();
        assertEquals(2, running().size());
        assertEquals(1, status("counter").path("succeeded").asInt());

        // the second success is counted and its finalizer removed; one completion left, one pod running
        finish(running().get(0), "Succeeded");
        controller.sync("lab/counter");
        assertEquals(2, status("counter").path("succeeded").asInt());
        // the informer has shown neither the new count nor the removed finalizer: this Job still says 1 succeeded
        syncAsAWorker("lab/counter");
        cluster.runtime.runUntilIdle();
        assertEquals(1, running().size(), "no pod for a completion already counted");

        controller.sync("lab/counter");
        cluster.runtime.runUntilIdle();
        finish(running().get(0), "Succeeded");
        controller.sync("lab/counter");
        cluster.runtime.runUntilIdle();
        controller.sync("lab/counter");
        cluster.runtime.runUntilIdle();
        JsonNode status = status("counter");
        assertEquals(3, status.path("succeeded").asInt());
        assertFalse(status.has("failed"), status::toString);
        assertEquals(List.of("SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate", "Completed"),
                cluster.events("lab", "Job", "counter").stream().map(e -> e.split(":")[0]).toList());
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
        assertTrue(running().stream().allMatch(p -> p.path("metadata").has("deletionTimestamp")), "no pod replaces the failed one");

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
    void theFirstMatchingPodFailurePolicyRuleDecidesAndNotInMatchesEveryOtherNonZeroCode() {
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
    void aPodFailurePolicyOnPodConditionsMatchesADisruptedPod() {
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
