package kubefake.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubefake.testkit.PythonClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official Python client (Debian's python3-kubernetes) against the test cluster with its admin.conf: the scripts
 * in {@code src/test/resources/python} do what a user's script does and print what the client saw as JSON, which
 * these tests hold against what the client sees from a real API server.
 */
class OfficialPythonClientE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The module the scripts import (beside them, where Python looks first). */
    private static final String SHARED = "namespaces.py";

    @Test
    void configMapsAreCreatedReadPatchedReplacedAndDeletedAndErrorsParse() throws Exception {
        JsonNode seen = run("configmaps.py", "py-configmaps");

        assertEquals("{\"name\":\"settings\",\"namespace\":\"py-configmaps\",\"uid\":true,\"data\":{\"color\":\"blue\"}}",
                seen.get("created").toString());
        assertEquals("{\"color\":\"blue\",\"size\":\"L\"}", seen.get("patched").toString(),
                "the client sends a dict as a strategic merge patch");
        assertEquals("{\"color\":\"red\",\"size\":\"L\"}", seen.get("replaced").toString());
        assertEquals("[\"settings\"]", seen.get("labelled").toString());
        assertEquals("[\"other\"]", seen.get("byField").toString());
        assertEquals("Success", seen.get("deleted").asText());
        assertEquals("[\"kube-root-ca.crt\",\"other\"]", seen.get("afterDelete").toString(),
                "beside what the script made, the root CA publisher's ConfigMap, as in every namespace of a real cluster");

        assertError(seen.get("staleReplace"), 409, "Conflict", "Operation cannot be fulfilled on configmaps \"settings\": "
                + "the object has been modified; please apply your changes to the latest version and try again");
        assertError(seen.get("missing"), 404, "NotFound", "configmaps \"nope\" not found");
        assertError(seen.get("duplicate"), 409, "AlreadyExists", "configmaps \"settings\" already exists");
        assertError(seen.get("noNamespace"), 404, "NotFound", "namespaces \"no-such-namespace\" not found");
        JsonNode invalid = seen.get("invalid");
        assertEquals(422, invalid.get("status").asInt());
        assertEquals("Invalid", invalid.get("reason").asText());
        assertTrue(invalid.get("message").asText().startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: "
                + "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"), invalid.toString());
        assertEquals("[\"metadata.name\"]", invalid.get("causes").toString());
    }

    @Test
    void theWatchHelperStreamsEventsInOrderAndATimedOutWatchEnds() throws Exception {
        JsonNode seen = run("watch.py", "py-watch");

        assertEquals("[[\"ADDED\",\"one\",null],[\"ADDED\",\"two\",null],[\"ADDED\",\"three\",null],"
                + "[\"MODIFIED\",\"two\",{\"k\":\"v\"}],[\"DELETED\",\"one\",null]]", seen.get("events").toString());
        assertEquals(0, seen.get("quiet").asInt());
    }

    @Test
    void aDeploymentComesUpScalesAndIsDeletedWithItsPods() throws Exception {
        JsonNode seen = run("workloads.py", "py-workloads");

        JsonNode pods = seen.get("pods");
        assertEquals(2, pods.size(), pods.toString());
        for (JsonNode pod : pods) {
            assertEquals("Running", pod.get("phase").asText(), pod.toString());
            assertTrue(pod.get("node").asText().matches("w[1-3]-k8s"), pod.toString());
            assertTrue(pod.get("ip").asText().startsWith("172.16."), pod.toString());
            assertEquals("ReplicaSet", pod.get("owner").asText());
            assertTrue(pod.get("ready").asBoolean(), pod.toString());
        }
        assertEquals(3, seen.get("scale").asInt());
        assertEquals(0, seen.get("replicaSetsLeft").asInt(), "a foreground deletion ends after the ReplicaSets are gone");
        assertEquals(0, seen.get("podsLeft").asInt(), "and after their pods");
        assertEquals("[\"Running\"]", seen.get("kubeSystem").toString());
    }

    @Test
    void streamExecsAndPortforwardReachTheContainer() throws Exception {
        JsonNode seen = run("streams.py", "py-streams");

        assertEquals("web\n", seen.get("hostname").asText());
        assertEquals("{\"stdout\":\"out\\n\",\"stderr\":\"err\\n\",\"returncode\":3}", seen.get("command").toString(),
                "the exit code from the status channel's NonZeroExitCode cause");
        assertEquals("{\"stdout\":\"<title>Welcome to nginx!</title>\\n\",\"stderr\":\"/bin/sh: 2: nope: not found\\n\","
                + "\"returncode\":4}", seen.get("shell").toString());
        JsonNode pf = seen.get("portforward");
        assertEquals("HTTP/1.1 200 OK", pf.get("statusLine").asText(), pf.toString());
        assertEquals("[\"Server: nginx/1.29.3\"]", pf.get("server").toString());
        assertTrue(pf.get("title").asBoolean(), pf.toString());
        assertTrue(pf.get("error").isNull(), pf.toString());
    }

    @Test
    void aBusyboxPodsShellRunsLoopsUtilitiesAndAnInteractiveSession() throws Exception {
        JsonNode seen = run("busybox_shell.py", "py-shell");

        String date = "[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} UTC \\d{4}";
        JsonNode loop = seen.get("loop");
        assertEquals(3, loop.size(), loop.toString());
        for (JsonNode line : loop) assertTrue(line.asText().matches(date), loop.toString());
        assertEquals(1, seen.get("uptime").size(), seen.toString());
        assertTrue(seen.get("uptime").get(0).asText().contains(" up "), seen.toString());
        assertEquals("test string 1", seen.get("interactiveStdout").asText());
        assertEquals("test string 2", seen.get("interactiveStderr").asText());
        assertFalse(seen.get("stderrBeforeIt").asBoolean(), "the first echo wrote nothing on stderr: " + seen);
        assertEquals("Success", seen.get("exitStatus").asText(), "exit: the error channel's Success status");
        assertFalse(seen.get("openAfterExit").asBoolean());
        assertTrue(seen.get("logLines").asInt() >= 1, seen.toString());
        assertTrue(seen.get("firstLogLine").asText().matches(date), seen.toString());
    }

    @Test
    void jobsCompleteAndCronJobsAreDefaultedPatchedAndDeleted() throws Exception {
        JsonNode seen = run("batch.py", "py-batch");

        assertEquals("{\"completions\":1,\"parallelism\":1,\"backoffLimit\":6,\"completionMode\":\"NonIndexed\","
                + "\"suspend\":false,\"selector\":true}", seen.get("jobDefaults").toString());
        assertEquals("[[\"ADDED\",\"hello\",false],[\"MODIFIED\",\"hello\",true]]", seen.get("jobEvents").toString());
        assertEquals("{\"succeeded\":1,\"active\":null,\"completionTime\":true}", seen.get("jobStatus").toString());
        assertEquals("[\"Succeeded\"]", seen.get("jobPods").toString());
        assertEquals("hello\n", seen.get("jobLog").asText());
        assertEquals("{\"concurrencyPolicy\":\"Allow\",\"suspend\":false,\"successfulJobsHistoryLimit\":3,"
                + "\"failedJobsHistoryLimit\":1}", seen.get("cronDefaults").toString());
        assertEquals("[\"*/10 * * * *\",true]", seen.get("cronPatched").toString());
        assertEquals("[\"nightly\"]", seen.get("cronList").toString());
        JsonNode bad = seen.get("badSchedule");
        assertEquals(422, bad.get("status").asInt(), bad.toString());
        assertTrue(bad.get("message").asText().startsWith("CronJob.batch \"nightly\" is invalid: spec.schedule: Invalid value: "
                + "\"every day\": "), bad.toString());
        assertEquals("[\"spec.schedule\"]", bad.get("causes").toString());
        assertEquals(404, seen.get("cronGone").asInt());
    }

    @Test
    void ingressesNetworkPoliciesDisruptionBudgetsWithEvictionAndAutoscalers() throws Exception {
        JsonNode seen = run("networking_policy.py", "py-networking");
        String className = "py-networking-nginx";

        assertEquals("k8s.io/ingress-nginx", seen.get("ingressClass").asText());
        JsonNode immutable = seen.get("ingressClassImmutable");
        assertEquals(422, immutable.get("status").asInt(), immutable.toString());
        assertEquals("IngressClass.networking.k8s.io \"" + className + "\" is invalid: spec.controller: Invalid value: "
                + "\"example.com/other\": field is immutable", immutable.get("message").asText());
        assertEquals("[[\"ADDED\",\"web\",\"web.example.com\",\"" + className + "\"],"
                + "[\"MODIFIED\",\"web\",\"www.example.com\",\"" + className + "\"],"
                + "[\"DELETED\",\"web\",\"www.example.com\",\"" + className + "\"]]", seen.get("ingressEvents").toString());
        JsonNode noPathType = seen.get("ingressNoPathType");
        assertEquals(422, noPathType.get("status").asInt(), noPathType.toString());
        assertEquals("Ingress.networking.k8s.io \"bad\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: "
                + "pathType must be specified", noPathType.get("message").asText());
        assertEquals("{\"policyTypes\":[\"Ingress\"],\"protocol\":\"TCP\",\"list\":[\"web-allow\"]}",
                seen.get("networkPolicy").toString());

        assertEquals("{\"currentHealthy\":2,\"desiredHealthy\":2,\"disruptionsAllowed\":0,\"expectedPods\":2,"
                + "\"conditions\":[[\"DisruptionAllowed\",\"False\",\"InsufficientPods\"]]}", seen.get("pdbStatus").toString());
        JsonNode refused = seen.get("evictionRefused");
        assertEquals(429, refused.get("status").asInt(), refused.toString());
        assertEquals("TooManyRequests", refused.get("reason").asText());
        assertEquals("Cannot evict pod as it would violate the pod's disruption budget.", refused.get("message").asText());
        assertTrue(seen.get("evictionAllowed").isNull(), seen.get("evictionAllowed").toString());
        assertTrue(seen.get("evictedPodGoing").asBoolean());

        assertEquals("{\"minReplicas\":1,\"behavior\":null,\"target\":50}", seen.get("hpaCreated").toString());
        assertEquals(6, seen.get("hpaPatched").asInt());
        assertEquals(6, seen.get("hpaV1").asInt(), "the same object read as autoscaling/v1");
        assertEquals("[\"db\"]", seen.get("hpaList").toString());
        assertEquals("[]", seen.get("hpaGone").toString());
    }

    @Test
    void storageSchedulingNodeAdmissionCustomResourcesAndMetrics() throws Exception {
        JsonNode seen = run("cluster_groups.py", "py-groups");

        assertEquals("{\"reclaimPolicy\":\"Delete\",\"volumeBindingMode\":\"Immediate\",\"listed\":true,"
                + "\"courseProvisioner\":\"k8s-sigs.io/nfs-subdir-external-provisioner\"}", seen.get("storageClass").toString());
        JsonNode immutableClass = seen.get("storageClassImmutable");
        assertEquals(422, immutableClass.get("status").asInt(), immutableClass.toString());
        assertEquals("[\"provisioner\"]", immutableClass.get("causes").toString());
        assertEquals("[\"Pending\",\"Filesystem\"]", seen.get("claimCreated").toString());
        assertEquals("{\"volumeIsPvcUid\":true,\"capacity\":{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteMany\"],"
                + "\"claimRef\":[true,\"data\"],\"reclaim\":\"Delete\",\"volumePhase\":\"Bound\"}", seen.get("claimBound").toString());

        assertEquals("{\"preemptionPolicy\":\"PreemptLowerPriority\",\"globalDefault\":null,"
                + "\"systemClusterCritical\":2000000000}", seen.get("priorityClass").toString());
        assertEquals("PriorityClass.scheduling.k8s.io \"py-groups-high\" is invalid: value: Forbidden: may not be changed in "
                + "an update.", seen.get("priorityValueImmutable").get("message").asText());
        assertEquals("{\"handler\":\"runsc\",\"read\":\"runsc\",\"listed\":true}", seen.get("runtimeClass").toString());
        JsonNode handler = seen.get("runtimeHandlerImmutable");
        assertEquals(422, handler.get("status").asInt(), handler.toString());
        assertEquals("[\"handler\"]", handler.get("causes").toString());

        assertEquals("[\"Fail\",\"Equivalent\"]", seen.get("policyDefaults").toString());
        JsonNode denied = seen.get("policyRefused");
        assertEquals(422, denied.get("status").asInt(), denied.toString());
        assertEquals("Invalid", denied.get("reason").asText());
        assertTrue(denied.get("message").asText().endsWith("ValidatingAdmissionPolicy 'py-groups-small-configmaps' with binding "
                + "'py-groups-small-configmaps' denied request: at most one key"), denied.toString());
        assertTrue(seen.get("policyAllows").isNull(), seen.get("policyAllows").toString());

        assertEquals("[{\"color\":\"blue\"},false]", seen.get("widgetCreated").toString(), "defaulted and pruned");
        assertEquals("[[\"ADDED\",\"w1\",\"blue\"],[\"MODIFIED\",\"w1\",\"red\"],[\"DELETED\",\"w1\",\"red\"]]",
                seen.get("widgetEvents").toString());

        assertEquals("[\"m-k8s\",\"w1-k8s\",\"w2-k8s\",\"w3-k8s\"]", seen.get("nodeMetrics").toString());
        assertEquals("[\"metadata\",\"timestamp\",\"usage\",\"window\"]",
                seen.get("nodeMetricsFields").toString());
        assertEquals("[\"cpu\",\"memory\"]", seen.get("nodeUsage").toString());
        assertEquals("[\"kube-apiserver\"]", seen.get("apiserverMetrics").toString());
    }

    private static void assertError(JsonNode error, int status, String reason, String message) {
        assertFalse(error == null || error.isNull(), "the call should have failed");
        assertEquals(status, error.get("status").asInt(), error.toString());
        assertEquals(reason, error.get("reason").asText(), error.toString());
        assertEquals(message, error.get("message").asText(), error.toString());
        assertTrue(error.get("bodyEndsWithNewline").asBoolean(), "the real server's JSON encoder ends bodies with \\n");
    }

    /** Runs a script with the cluster's admin.conf and a namespace of its own; its last stdout line is the JSON. */
    private static JsonNode run(String script, String namespace) throws IOException, InterruptedException {
        PythonClient.Found python = PythonClient.require();
        Path dir = Files.createTempDirectory(TestCluster.dataDir(), "python");
        Path file = dir.resolve(script);
        for (String source : List.of(script, SHARED)) {
            try (InputStream in = OfficialPythonClientE2ETest.class.getResourceAsStream("/python/" + source)) {
                Files.copy(in, dir.resolve(source));
            }
        }
        List<String> cmd = new ArrayList<>(List.of(python.python().toString(), file.toString(),
                TestCluster.get().adminConf().toString(), namespace));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", dir.toString());
        Process process = pb.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(script + " did not finish in 180 s; stderr:\n" + Files.readString(err));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0 || stdout.isEmpty()) {
            fail(script + " (python3-kubernetes " + python.clientVersion() + ") exited " + process.exitValue()
                    + "\n--- stdout\n" + stdout + "\n--- stderr\n" + Files.readString(err));
        }
        return JSON.readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
    }
}
