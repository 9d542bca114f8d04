package kubefake.client.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.TestCluster;
import kubefake.store.registry.request.UserInfo;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static kubefake.client.TestCluster.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventRecorderTest {
    private final TestCluster cluster = new TestCluster("default", "web");
    private final Client kubelet = new Client(cluster.registry, UserInfo.node("w1-k8s"), "kubelet");
    private final EventRecorder recorder = new EventRecorder(kubelet, cluster.runtime, "kubelet", "w1-k8s");
    private final ResourceClient events = cluster.admin.resource("", "events");
    private final StoredObject pod = cluster.admin.resource("", "pods").create(pod("web", "nginx", "w1-k8s"));
    private final ObjectReference podRef = ObjectReference.of(pod);
    private final Instant t0 = cluster.runtime.clock().instant();

    private List<ObjectNode> events() {
        return events.list("web").stream().map(StoredObject::toNode).toList();
    }

    @Test
    void recordsAnEventAsTheKubeletDoes() {
        recorder.event(podRef.container("nginx"), EventRecorder.NORMAL, "Pulling", "Pulling image \"nginx\"");
        assertEquals(List.of(), events(), "written in the background");
        cluster.runtime.runUntilIdle();

        ObjectNode e = events().get(0);
        String nanosHex = Long.toHexString(t0.getEpochSecond() * 1_000_000_000L + t0.getNano());
        assertEquals("nginx." + nanosHex, e.path("metadata").path("name").asText());
        assertEquals("web", e.path("metadata").path("namespace").asText());
        JsonNode involved = e.path("involvedObject");
        assertEquals("Pod", involved.path("kind").asText());
        assertEquals("v1", involved.path("apiVersion").asText());
        assertEquals("web", involved.path("namespace").asText());
        assertEquals("nginx", involved.path("name").asText());
        assertEquals(pod.toNode().path("metadata").path("uid").asText(), involved.path("uid").asText());
        assertEquals(Long.toString(pod.resourceVersion()), involved.path("resourceVersion").asText());
        assertEquals("spec.containers{nginx}", involved.path("fieldPath").asText());
        assertEquals("Pulling", e.path("reason").asText());
        assertEquals("Pulling image \"nginx\"", e.path("message").asText());
        assertEquals("kubelet", e.path("source").path("component").asText());
        assertEquals("w1-k8s", e.path("source").path("host").asText());
        assertEquals("kubelet", e.path("reportingComponent").asText());
        assertEquals("w1-k8s", e.path("reportingInstance").asText());
        assertEquals("2026-01-05T09:00:00Z", e.path("firstTimestamp").asText());
        assertEquals("2026-01-05T09:00:00Z", e.path("lastTimestamp").asText());
        assertEquals(1, e.path("count").asInt());
        assertEquals("Normal", e.path("type").asText());
        assertTrue(e.has("eventTime") && e.get("eventTime").isNull(), "eventTime: null, as from client-go");
    }

    @Test
    void aControllersEventHasNoHostAndAnEmptyReportingInstance() {
        EventRecorder rs = new EventRecorder(cluster.admin, cluster.runtime, "replicaset-controller", "");
        StoredObject cm = cluster.admin.resource("", "configmaps").create(TestCluster.configMap("web", "x", "1"));
        rs.eventf(ObjectReference.of(cm), EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: %s", "x-abcde");
        cluster.runtime.runUntilIdle();
        ObjectNode e = events().get(0);
        assertEquals("replicaset-controller", e.path("source").path("component").asText());
        assertFalse(e.path("source").has("host"));
        assertEquals("replicaset-controller", e.path("reportingComponent").asText());
        assertEquals("", e.path("reportingInstance").asText());
        assertTrue(e.has("reportingInstance"));
        assertEquals("Created pod: x-abcde", e.path("message").asText());
    }

    @Test
    void aRepeatRaisesTheCountOfTheSameEvent() {
        recorder.event(podRef, EventRecorder.WARNING, "BackOff", "Back-off restarting failed container");
        cluster.runtime.runUntilIdle();
        cluster.runtime.advance(Duration.ofSeconds(40));
        recorder.event(podRef, EventRecorder.WARNING, "BackOff", "Back-off restarting failed container");
        cluster.runtime.advance(Duration.ofSeconds(80));
        recorder.event(podRef, EventRecorder.WARNING, "BackOff", "Back-off restarting failed container");
        cluster.runtime.runUntilIdle();

        List<ObjectNode> all = events();
        assertEquals(1, all.size());
        ObjectNode e = all.get(0);
        assertEquals(3, e.path("count").asInt());
        assertEquals("2026-01-05T09:00:00Z", e.path("firstTimestamp").asText());
        assertEquals("2026-01-05T09:02:00Z", e.path("lastTimestamp").asText(), "describe: 0s (x3 over 2m)");
    }

    @Test
    void differentPartsMessagesOrReasonsAreDifferentEvents() {
        recorder.event(podRef.container("a"), EventRecorder.NORMAL, "Started", "Started container a");
        recorder.event(podRef.container("b"), EventRecorder.NORMAL, "Started", "Started container a");
        recorder.event(podRef.container("a"), EventRecorder.NORMAL, "Started", "Started container A");
        recorder.event(podRef.container("a"), EventRecorder.NORMAL, "Created", "Started container a");
        recorder.event(podRef.container("a"), EventRecorder.WARNING, "Started", "Started container a");
        cluster.runtime.runUntilIdle();
        assertEquals(5, events().size());
        assertTrue(events().stream().allMatch(e -> e.path("count").asInt() == 1));
    }

    @Test
    void tenSimilarEventsWithinTenMinutesAreCombined() {
        for (int i = 1; i <= 9; i++) {
            recorder.event(podRef, EventRecorder.WARNING, "FailedMount", "volume " + i + " not found");
            cluster.runtime.advance(Duration.ofSeconds(1));
        }
        assertEquals(9, events().size());

        recorder.event(podRef, EventRecorder.WARNING, "FailedMount", "volume 10 not found");
        cluster.runtime.runUntilIdle();
        recorder.event(podRef, EventRecorder.WARNING, "FailedMount", "volume 11 not found");
        cluster.runtime.runUntilIdle();

        List<ObjectNode> combined = events().stream()
                .filter(e -> e.path("message").asText().startsWith("(combined from similar events): ")).toList();
        assertEquals(1, combined.size(), () -> events().toString());
        assertEquals("(combined from similar events): volume 11 not found", combined.get(0).path("message").asText());
        assertEquals(2, combined.get(0).path("count").asInt());
        assertEquals(10, events().size());
        assertEquals("", combined.get(0).path("reportingComponent").asText(), "client-go's combined event has no reporting fields");

        // ten minutes later the similar events start afresh
        cluster.runtime.advance(Duration.ofMinutes(11));
        recorder.event(podRef, EventRecorder.WARNING, "FailedMount", "volume 12 not found");
        cluster.runtime.runUntilIdle();
        assertTrue(events().stream().anyMatch(e -> e.path("message").asText().equals("volume 12 not found")));
    }

    @Test
    void aSourceMayReport25EventsAboutAnObjectThenOneEvery5Minutes() {
        for (int i = 0; i < 30; i++) recorder.event(podRef, EventRecorder.WARNING, "Unhealthy", "Liveness probe failed");
        cluster.runtime.runUntilIdle();
        assertEquals(25, events().get(0).path("count").asInt(), "the last 5 were filtered as spam");

        cluster.runtime.advance(Duration.ofMinutes(5));
        recorder.event(podRef, EventRecorder.WARNING, "Unhealthy", "Liveness probe failed");
        cluster.runtime.runUntilIdle();
        assertEquals(31, events().get(0).path("count").asInt(), "the filtered repeats still count, as in client-go");
        recorder.event(podRef, EventRecorder.WARNING, "Unhealthy", "Liveness probe failed");
        cluster.runtime.runUntilIdle();
        assertEquals(31, events().get(0).path("count").asInt());
    }

    @Test
    void aRepeatOfADeletedEventCreatesItAgain() {
        recorder.event(podRef, EventRecorder.NORMAL, "Killing", "Stopping container nginx");
        cluster.runtime.runUntilIdle();
        String name = events().get(0).path("metadata").path("name").asText();
        events.delete("web", name);
        cluster.runtime.advance(Duration.ofSeconds(5));
        recorder.event(podRef, EventRecorder.NORMAL, "Killing", "Stopping container nginx");
        cluster.runtime.runUntilIdle();
        ObjectNode again = events().get(0);
        assertEquals(name, again.path("metadata").path("name").asText());
        assertEquals(2, again.path("count").asInt());
        assertEquals("2026-01-05T09:00:00Z", again.path("firstTimestamp").asText());
        assertEquals("2026-01-05T09:00:05Z", again.path("lastTimestamp").asText());
    }

    @Test
    void eventsAtTheSameInstantAboutTheSameObjectAllGetANameOfTheirOwn() {
        EventRecorder other = new EventRecorder(cluster.admin, cluster.runtime, "taint-eviction-controller", "");
        recorder.event(podRef, EventRecorder.NORMAL, "Pulling", "Pulling image \"nginx\"");
        other.event(podRef, EventRecorder.NORMAL, "TaintManagerEviction", "Marking for deletion Pod web/nginx");
        recorder.event(podRef, EventRecorder.NORMAL, "Pulled", "Successfully pulled image \"nginx\"");
        cluster.runtime.runUntilIdle();
        assertEquals(3, events().size());
        assertEquals(3, events().stream().map(e -> e.path("metadata").path("name").asText()).distinct().count());
        assertTrue(events().stream().allMatch(e -> e.path("metadata").path("name").asText().matches("nginx\\.[0-9a-f]{16}")));
    }

    @Test
    void eventsAboutClusterScopedObjectsGoToDefault() {
        StoredObject node = cluster.admin.resource("", "nodes").create(TestCluster.object("v1", "Node", null, "w1-k8s"));
        recorder.event(node, EventRecorder.NORMAL, "NodeReady", "Node w1-k8s status is now: NodeReady");
        cluster.runtime.runUntilIdle();
        ObjectNode e = events.list("default").get(0).toNode();
        assertEquals("Node", e.path("involvedObject").path("kind").asText());
        assertFalse(e.path("involvedObject").has("namespace"));
    }

    @Test
    void unknownTypesAndRefusedEventsAreNotRecordedAndDoNotFail() {
        recorder.event(podRef, "Fatal", "Nope", "not a type");
        cluster.admin.resource("", "namespaces").delete("", "web"); // Terminating: new events are refused
        recorder.event(podRef, EventRecorder.NORMAL, "Late", "into a terminating namespace");
        cluster.runtime.runUntilIdle();
        assertEquals(0, events().size());
    }
}
