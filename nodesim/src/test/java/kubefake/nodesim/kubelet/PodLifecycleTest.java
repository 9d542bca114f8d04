package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.NodeSimCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static kubefake.nodesim.NodeSimCluster.condition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pod's life on a simulated kubelet with the lab profile, on the manual clock. */
class PodLifecycleTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private static final String NGINX = """
            apiVersion: v1
            kind: Pod
            metadata: {name: nginx-pod, namespace: default}
            spec:
              nodeName: w2-k8s
              containers:
              - name: nginx
                image: nginx
            """;

    @Test
    void aBoundPodGoesFromContainerCreatingToRunningWithTheKubeletsEvents() {
        cluster.create(NGINX);
        cluster.runtime.runUntilIdle();

        ObjectNode pending = cluster.pod("default", "nginx-pod");
        JsonNode status = pending.path("status");
        assertEquals("Pending", status.path("phase").asText());
        assertEquals("192.168.1.102", status.path("hostIP").asText());
        assertEquals("192.168.1.102", status.path("hostIPs").get(0).path("ip").asText());
        assertTrue(status.has("startTime"));
        assertFalse(status.has("podIP"), "no IP before the sandbox");
        JsonNode waiting = status.path("containerStatuses").get(0);
        assertEquals("ContainerCreating", waiting.path("state").path("waiting").path("reason").asText());
        assertEquals("nginx", waiting.path("image").asText(), "the image as written until the container exists");
        assertEquals("", waiting.path("imageID").asText());
        assertFalse(waiting.path("ready").asBoolean());
        assertFalse(waiting.path("started").asBoolean());
        assertEquals("False", condition(pending, "PodReadyToStartContainers").path("status").asText());
        assertEquals("True", condition(pending, "Initialized").path("status").asText());
        assertEquals("ContainersNotReady", condition(pending, "Ready").path("reason").asText());
        assertEquals("containers with unready status: [nginx]", condition(pending, "Ready").path("message").asText());
        assertEquals("containers with unready status: [nginx]", condition(pending, "ContainersReady").path("message").asText());
        assertEquals("True", condition(pending, "PodScheduled").path("status").asText());

        cluster.advance(Duration.ofSeconds(10));
        ObjectNode pod = cluster.pod("default", "nginx-pod");
        status = pod.path("status");
        assertEquals("Running", status.path("phase").asText());
        String ip = status.path("podIP").asText();
        assertTrue(ip.matches("172\\.16\\.103\\.(129|1[3-9]\\d)"), "an address of w2-k8s's Calico block: " + ip);
        assertEquals(ip, status.path("podIPs").get(0).path("ip").asText());
        JsonNode annotations = pod.path("metadata").path("annotations");
        assertEquals(ip + "/32", annotations.path("cni.projectcalico.org/podIP").asText());
        assertEquals(ip + "/32", annotations.path("cni.projectcalico.org/podIPs").asText());
        assertTrue(annotations.path("cni.projectcalico.org/containerID").asText().matches("[0-9a-f]{64}"));
        JsonNode c = status.path("containerStatuses").get(0);
        assertTrue(c.path("containerID").asText().matches("containerd://[0-9a-f]{64}"), c.toString());
        assertEquals("docker.io/library/nginx:latest", c.path("image").asText());
        assertTrue(c.path("imageID").asText().matches("docker\\.io/library/nginx@sha256:[0-9a-f]{64}"), c.toString());
        assertTrue(c.path("state").has("running"));
        assertTrue(c.path("ready").asBoolean());
        assertTrue(c.path("started").asBoolean());
        assertEquals(0, c.path("restartCount").asInt());
        assertEquals(0, c.path("lastState").size());
        for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            assertEquals("True", condition(pod, type).path("status").asText(), type);
        }
        assertEquals("BestEffort", status.path("qosClass").asText());
        // the conditions in the kubelet's order, each with lastProbeTime null
        List<String> types = new java.util.ArrayList<>();
        status.path("conditions").forEach(x -> types.add(x.path("type").asText()));
        assertEquals(List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"), types);
        assertTrue(condition(pod, "Ready").path("lastProbeTime").isNull());
        // Initialized kept its first transition time; Ready moved when the container became ready
        assertEquals(condition(pending, "Initialized").path("lastTransitionTime"), condition(pod, "Initialized").path("lastTransitionTime"));
        assertEquals(c.path("state").path("running").path("startedAt").asText(), condition(pod, "Ready").path("lastTransitionTime").asText());

        List<String> events = cluster.events("default", "nginx-pod");
        assertEquals(4, events.size(), events::toString);
        assertEquals("Normal Pulling Pulling image \"nginx\"", events.get(0));
        assertTrue(events.get(1).matches("Normal Pulled Successfully pulled image \"nginx\" in (\\d+(\\.\\d+)?)s \\(\\1s including waiting\\)\\. Image size: 72188133 bytes\\."), events.get(1));
        assertEquals("Normal Created Created container: nginx", events.get(2));
        assertEquals("Normal Started Started container nginx", events.get(3));
        ObjectNode started = cluster.eventObjects("default", "nginx-pod").get(3);
        assertEquals("kubelet", started.path("source").path("component").asText());
        assertEquals("w2-k8s", started.path("source").path("host").asText());
        assertEquals("spec.containers{nginx}", started.path("involvedObject").path("fieldPath").asText());
        assertEquals("kubelet", started.path("reportingComponent").asText());
        assertEquals("w2-k8s", started.path("reportingInstance").asText());
    }

    @Test
    void aNodePullsOneImageAtATimeAndThePulledEventCountsTheWait() {
        cluster.create(NGINX);
        cluster.create(NGINX.replace("nginx-pod", "second-pod"));
        cluster.runtime.runUntilIdle();
        // both sandboxes are up within 0.7 s and both pulls asked for; the first takes 1.4 s at least
        cluster.advance(Duration.ofSeconds(1));
        for (String pod : List.of("nginx-pod", "second-pod")) {
            assertEquals(List.of("Normal Pulling Pulling image \"nginx\""), cluster.events("default", pod), pod);
        }

        cluster.advance(Duration.ofSeconds(20));
        java.util.regex.Pattern pulled = java.util.regex.Pattern.compile(
                "Normal Pulled Successfully pulled image \"nginx\" in (\\d+(?:\\.\\d+)?)(m?s) \\((\\d+(?:\\.\\d+)?)(m?s) including waiting\\)\\. Image size: 72188133 bytes\\.");
        double[] pull = new double[2];
        double[] total = new double[2];
        List<String> pods = List.of("nginx-pod", "second-pod");
        for (int i = 0; i < 2; i++) {
            assertEquals("Running", cluster.pod("default", pods.get(i)).path("status").path("phase").asText(), pods.get(i));
            String event = cluster.events("default", pods.get(i)).get(1);
            var m = pulled.matcher(event);
            assertTrue(m.matches(), event);
            pull[i] = Double.parseDouble(m.group(1)) * (m.group(2).equals("ms") ? 0.001 : 1);
            total[i] = Double.parseDouble(m.group(3)) * (m.group(4).equals("ms") ? 0.001 : 1);
        }
        // the first pull (1.4 s at least: the image is not on the node) waited for nothing; the second, asked for at
        // most 0.4 s later, waited for it, and then pulled an image present (0.3-1 s)
        int first = total[0] - pull[0] <= total[1] - pull[1] ? 0 : 1;
        String figures = java.util.Arrays.toString(pull) + " " + java.util.Arrays.toString(total);
        assertEquals(pull[first], total[first], 0.0011, "the first pull waited for nothing: " + figures);
        assertTrue(pull[first] >= 1.4, figures);
        assertTrue(total[1 - first] - pull[1 - first] >= 1.0, "the second pull began once the first was over: " + figures);
        assertTrue(pull[1 - first] <= 1.0, "the image was on the node: " + figures);
    }
}
