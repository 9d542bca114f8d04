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
}
