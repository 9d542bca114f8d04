package kubefake.client.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.TestCluster;
import kubefake.store.registry.request.UserInfo;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static kubefake.client.TestCluster.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsV1RecorderTest {
    private final TestCluster cluster = new TestCluster("default", "web");
    private final Client scheduler = new Client(cluster.registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler");
    private final EventsV1Recorder recorder = new EventsV1Recorder(scheduler, cluster.runtime, "default-scheduler", "default-scheduler-m-k8s");
    private final ResourceClient v1Events = cluster.admin.resource("events.k8s.io", "events");
    private final ResourceClient coreEvents = cluster.admin.resource("", "events");
    private final StoredObject pod = cluster.admin.resource("", "pods").create(pod("web", "nginx", null));
    private final ObjectReference podRef = ObjectReference.of(pod);

    @AfterEach
    void close() {
        recorder.close();
    }

    private List<ObjectNode> events() {
        return v1Events.list("web").stream().map(StoredObject::toNode).toList();
    }

    private void failedScheduling() {
        recorder.eventf(podRef, null, EventRecorder.WARNING, "FailedScheduling", "Scheduling",
                "0/4 nodes are available: %d node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.", 1);
    }

    @Test
    void recordsAnEventAsTheSchedulerDoes() {
        recorder.eventf(podRef, null, EventRecorder.NORMAL, "Scheduled", "Binding", "Successfully assigned %s/%s to %s",
                "web", "nginx", "w2-k8s");
        cluster.runtime.runUntilIdle();

        ObjectNode e = events().get(0);
        assertTrue(e.path("metadata").path("name").asText().matches("nginx\\.[0-9a-f]{16}"));
        assertEquals("2026-01-05T09:00:00.000000Z", e.path("eventTime").asText(), "MicroTime: six fractional digits");
        assertEquals("default-scheduler", e.path("reportingController").asText());
        assertEquals("default-scheduler-m-k8s", e.path("reportingInstance").asText());
        assertEquals("Binding", e.path("action").asText());
        assertEquals("Scheduled", e.path("reason").asText());
        assertEquals("Successfully assigned web/nginx to w2-k8s", e.path("note").asText());
        assertEquals("Normal", e.path("type").asText());
        assertEquals("nginx", e.path("regarding").path("name").asText());
        assertEquals(pod.toNode().path("metadata").path("uid").asText(), e.path("regarding").path("uid").asText());
        assertFalse(e.has("series"));
        assertFalse(e.has("related"));

        // the core/v1 view, as `kubectl get events -o yaml` shows a real scheduler's event
        ObjectNode core = coreEvents.list("web").get(0).toNode();
        assertEquals("Successfully assigned web/nginx to w2-k8s", core.path("message").asText());
        assertEquals("default-scheduler", core.path("reportingComponent").asText());
        assertTrue(core.path("source").isObject() && core.path("source").isEmpty(), "source: {}");
        assertTrue(core.get("firstTimestamp").isNull());
        assertTrue(core.get("lastTimestamp").isNull());
        assertFalse(core.has("count"));
        assertEquals("Pod", core.path("involvedObject").path("kind").asText());
    }

    @Test
    void repeatsBecomeASeriesOnTheFirstEvent() {
        failedScheduling();
        cluster.runtime.advance(Duration.ofSeconds(30));
        failedScheduling();
        cluster.runtime.runUntilIdle();

        List<ObjectNode> all = events();
        assertEquals(1, all.size());
        ObjectNode series = (ObjectNode) all.get(0).path("series");
        assertEquals(2, series.path("count").asInt());
        assertEquals("2026-01-05T09:00:30.000000Z", series.path("lastObservedTime").asText());
        assertEquals("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.",
                all.get(0).path("note").asText());

        // later repeats are counted in memory only...
        cluster.runtime.advance(Duration.ofSeconds(30));
        failedScheduling();
        cluster.runtime.advance(Duration.ofSeconds(30));
        failedScheduling();
        cluster.runtime.runUntilIdle();
        assertEquals(2, events().get(0).path("series").path("count").asInt());

        // ...and written when the series has been quiet for 6 minutes
        cluster.runtime.advance(Duration.ofMinutes(12));
        ObjectNode finished = events().get(0);
        assertEquals(4, finished.path("series").path("count").asInt());
        assertEquals("2026-01-05T09:01:30.000000Z", finished.path("series").path("lastObservedTime").asText());
        assertEquals(0, recorder.cached());

        // the core view carries the series too (describe: "x4 over ...")
        assertEquals(4, coreEvents.list("web").get(0).toNode().path("series").path("count").asInt());
    }

    @Test
    void longSeriesAreRefreshedEvery30Minutes() {
        failedScheduling();
        for (int minute = 1; minute <= 31; minute++) {
            cluster.runtime.advance(Duration.ofMinutes(1));
            failedScheduling();
        }
        cluster.runtime.runUntilIdle();
        // the refresh at 09:30 wrote the 30 occurrences seen by then (09:00 to 09:29); the one at 09:30 came after it
        assertEquals(30, events().get(0).path("series").path("count").asInt());
        assertEquals("2026-01-05T09:29:00.000000Z", events().get(0).path("series").path("lastObservedTime").asText());
    }

    @Test
    void anEventThatDidNotRepeatIsForgottenAfter6Minutes() {
        failedScheduling();
        cluster.runtime.advance(Duration.ofMinutes(13));
        assertEquals(0, recorder.cached());
        failedScheduling();
        cluster.runtime.runUntilIdle();
        List<ObjectNode> all = events();
        assertEquals(2, all.size(), "a new event, not a series");
        assertNotEquals(all.get(0).path("metadata").path("name"), all.get(1).path("metadata").path("name"));
        assertTrue(all.stream().noneMatch(e -> e.has("series")));
    }

    @Test
    void differentActionsOrRelatedObjectsAreDifferentEvents() {
        failedScheduling();
        recorder.eventf(podRef, null, EventRecorder.WARNING, "FailedScheduling", "Preempting", "other");
        StoredObject node = cluster.admin.resource("", "nodes").create(TestCluster.object("v1", "Node", null, "w1-k8s"));
        recorder.eventf(podRef, ObjectReference.of(node), EventRecorder.WARNING, "FailedScheduling", "Scheduling", "x");
        cluster.runtime.runUntilIdle();
        assertEquals(3, events().size());
        assertEquals("w1-k8s", events().stream().filter(e -> e.has("related")).findFirst().orElseThrow()
                .path("related").path("name").asText());
    }

    @Test
    void aSeriesWhoseEventWasDeletedCreatesItAgain() {
        failedScheduling();
        cluster.runtime.runUntilIdle();
        String name = events().get(0).path("metadata").path("name").asText();
        v1Events.delete("web", name);
        failedScheduling();
        cluster.runtime.runUntilIdle();
        ObjectNode again = events().get(0);
        assertEquals(name, again.path("metadata").path("name").asText());
        assertEquals(2, again.path("series").path("count").asInt());
    }
}
