package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.DeleteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler on the manual runtime with the lab's four nodes. */
class SchedulerTest {
    private static final String TAINTED = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";
    private final LabCluster lab = new LabCluster();
    private Scheduler scheduler;

    private void start(long seed) {
        scheduler = start(lab, seed);
    }

    /** default-scheduler on the lab's manual runtime, started with its informers and run until idle. */
    static Scheduler start(LabCluster lab, long seed) {
        Scheduler s = new Scheduler(new Client(lab.registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler"), lab.informers, lab.runtime,
                "default-scheduler-m-k8s", new Random(seed));
        s.start();
        lab.informers.start();
        lab.runtime.runUntilIdle();
        return s;
    }

    @AfterEach
    void close() {
        if (scheduler != null) scheduler.close();
        lab.close();
    }

    private void replicaSet(String name, String app) {
        replicaSet(lab, name, app);
    }

    private static void replicaSet(LabCluster lab, String name, String app) {
        lab.admin.resource("apps", "replicasets").create(json("{'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'metadata':"
                + " {'name': '" + name + "', 'namespace': 'lab'}, 'spec': {'replicas': 6, 'selector': {'matchLabels': {'app': '" + app
                + "'}}, 'template': {'metadata': {'labels': {'app': '" + app + "'}}, 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}}}"));
    }

    /** A pod as the ReplicaSet controller makes it: labels and a controller reference. */
    private void replica(String rs, String app, String name) {
        replica(lab, rs, app, name);
    }

    private static void replica(LabCluster lab, String rs, String app, String name) {
        String uid = lab.admin.resource("apps", "replicasets").get("lab", rs).toNode().path("metadata").path("uid").asText();
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab',"
                + " 'labels': {'app': '" + app + "'}, 'ownerReferences': [{'apiVersion': 'apps/v1', 'kind': 'ReplicaSet', 'name': '" + rs
                + "', 'uid': '" + uid + "', 'controller': true, 'blockOwnerDeletion': true}]},"
                + " 'spec': {'containers': [{'name': 'c', 'image': 'nginx'}]}}"));
    }

    private Map<String, Integer> perNode(List<String> pods) {
        Map<String, Integer> counts = new HashMap<>();
        for (String p : pods) counts.merge(lab.nodeOf(p), 1, Integer::sum);
        return counts;
    }

    private JsonNode scheduledCondition(String pod) {
        for (JsonNode c : lab.pod(pod).path("status").path("conditions")) if (c.path("type").asText().equals("PodScheduled")) return c;
        return null;
    }

    private List<ObjectNode> events(String reason) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode e : lab.events("lab")) if (e.path("reason").asText().equals(reason)) out.add(e);
        return out;
    }

    @Test
    void aDeploymentsReplicasSpreadOverTheWorkersAndNeverLandOnTheControlPlane() {
        start(42);
        replicaSet("web-5d4f7b8c9", "web");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            names.add("web-5d4f7b8c9-" + i);
            replica("web-5d4f7b8c9", "web", names.get(i));
            lab.runtime.runUntilIdle();
        }
        assertEquals(Map.of("w1-k8s", 1, "w2-k8s", 1, "w3-k8s", 1), perNode(names));
        for (int i = 3; i < 6; i++) {
            names.add("web-5d4f7b8c9-" + i);
            replica("web-5d4f7b8c9", "web", names.get(i));
        }
        lab.runtime.runUntilIdle(); // three at once: each placed knowing where the previous one went
        assertEquals(Map.of("w1-k8s", 2, "w2-k8s", 2, "w3-k8s", 2), perNode(names));

        JsonNode scheduled = scheduledCondition(names.get(0));
        assertEquals("True", scheduled.path("status").asText());
        ObjectNode event = events("Scheduled").get(0);
        assertEquals("Successfully assigned lab/" + names.get(0) + " to " + lab.nodeOf(names.get(0)), event.path("note").asText());
        assertEquals("Normal", event.path("type").asText());
        assertEquals("Binding", event.path("action").asText());
        assertEquals("default-scheduler", event.path("reportingController").asText());
        assertEquals("default-scheduler-m-k8s", event.path("reportingInstance").asText());
        assertEquals(names.get(0), event.path("regarding").path("name").asText());
        assertEquals("Pod", event.path("regarding").path("kind").asText());
        assertEquals(6, events("Scheduled").size());
    }

    @Test
    void replicasSpreadOverZonesWhenTheNodesHaveThem() {
        // whatever the tie-breaking picks: without the zones the fourth replica could go to any worker
        for (long seed = 0; seed < 8; seed++) {
            try (LabCluster other = new LabCluster();
                 Scheduler s = new Scheduler(new Client(other.registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler"), other.informers,
                         other.runtime, "default-scheduler-m-k8s", new Random(seed))) {
                for (String[] node : new String[][] {{"w1-k8s", "a"}, {"w2-k8s", "a"}, {"w3-k8s", "b"}}) {
                    other.admin.resource("", "nodes").patch("", node[0], n -> {
                        ((ObjectNode) n.path("metadata")).with("labels").put("topology.kubernetes.io/zone", node[1]);
                        return n;
                    });
                }
                s.start();
                other.informers.start();
                replicaSet(other, "web-5d4f7b8c9", "web");
                Map<String, Integer> perNode = new HashMap<>();
                for (int i = 0; i < 4; i++) {
                    replica(other, "web-5d4f7b8c9", "web", "web-5d4f7b8c9-" + i);
                    other.runtime.runUntilIdle();
                    perNode.merge(other.nodeOf("web-5d4f7b8c9-" + i), 1, Integer::sum);
                }
                // one on each worker, then the fourth where its zone has fewer: zone b's only node
                assertEquals(Map.of("w1-k8s", 1, "w2-k8s", 1, "w3-k8s", 2), perNode, "seed " + seed);
            }
        }
    }

    @Test
    void replicasSpreadWhateverTheTieBreakingPicks() {
        for (long seed = 0; seed < 8; seed++) {
            try (LabCluster other = new LabCluster();
                 Scheduler s = new Scheduler(new Client(other.registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler"), other.informers,
                         other.runtime, "default-scheduler-m-k8s", new Random(seed))) {
                s.start();
                other.informers.start();
                List<String> names = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    names.add("p" + i);
                    other.createPod("p" + i, "");
                }
                other.runtime.runUntilIdle();
                List<String> nodes = names.stream().map(other::nodeOf).sorted().toList();
                assertEquals(LabCluster.WORKERS, nodes, "seed " + seed);
            }
        }
    }

    @Test
    void aPodThatToleratesTheControlPlaneGoesWhereItsSelectorAsks() {
        start(1);
        lab.createPod("on-master", "'nodeSelector': {'node-role.kubernetes.io/control-plane': ''}, 'tolerations':"
                + " [{'key': 'node-role.kubernetes.io/control-plane', 'operator': 'Exists', 'effect': 'NoSchedule'}]");
        lab.createPod("on-w2", "'affinity': {'nodeAffinity': {'requiredDuringSchedulingIgnoredDuringExecution': {'nodeSelectorTerms':"
                + " [{'matchExpressions': [{'key': 'kubernetes.io/hostname', 'operator': 'In', 'values': ['w2-k8s']}]}]}}}");
        lab.createPod("daemon-like", "'tolerations': [{'operator': 'Exists'}], 'affinity': {'nodeAffinity': {'requiredDuringSchedulingIgnoredDuringExecution':"
                + " {'nodeSelectorTerms': [{'matchFields': [{'key': 'metadata.name', 'operator': 'In', 'values': ['m-k8s']}]}]}}}");
        lab.createPod("named", "'nodeName': 'w3-k8s'");
        lab.runtime.runUntilIdle();
        assertEquals("m-k8s", lab.nodeOf("on-master"));
        assertEquals("w2-k8s", lab.nodeOf("on-w2"));
        assertEquals("m-k8s", lab.nodeOf("daemon-like"));
        assertEquals("w3-k8s", lab.nodeOf("named"));
        assertTrue(events("Scheduled").stream().noneMatch(e -> e.path("regarding").path("name").asText().equals("named")),
                "a pod that names its node is not the scheduler's");
    }

    @Test
    void aPodThatFitsNowhereGetsTheRealMessageAndIsScheduledOnceANodeCanTakeIt() {
        start(1);
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'big', 'namespace': 'lab'}, 'spec': {'containers':"
                + " [{'name': 'c', 'image': 'nginx', 'resources': {'requests': {'cpu': '1500m'}}}]}}"));
        lab.runtime.runUntilIdle();
        String message = "0/4 nodes are available: " + TAINTED + ", 3 Insufficient cpu. preemption: 0/4 nodes are available:"
                + " 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.";
        JsonNode condition = scheduledCondition("big");
        assertEquals(json("{'type': 'PodScheduled', 'status': 'False', 'lastProbeTime': null, 'lastTransitionTime': '" + lab.now()
                + "', 'reason': 'Unschedulable', 'message': '" + message + "'}"), condition);
        List<ObjectNode> failed = events("FailedScheduling");
        assertEquals(1, failed.size());
        assertEquals(message, failed.get(0).path("note").asText());
        assertEquals("Warning", failed.get(0).path("type").asText());
        assertEquals("Scheduling", failed.get(0).path("action").asText());
        assertEquals("", lab.nodeOf("big"));

        lab.runtime.advance(Duration.ofMinutes(1));
        assertEquals(1, events("FailedScheduling").size(), "nothing changed: not tried again");

        lab.addNode("w4-k8s", 2, 1862124, false);
        lab.runtime.runUntilIdle();
        assertEquals("w4-k8s", lab.nodeOf("big"));
        assertEquals("True", scheduledCondition("big").path("status").asText());
        assertFalse(scheduledCondition("big").has("reason"));
    }

    @Test
    void onlyTheControlPlaneMatchingButNotToleratingIsAnUnresolvableFit() {
        start(1);
        lab.createPod("picky", "'nodeSelector': {'node-role.kubernetes.io/control-plane': ''}");
        lab.runtime.runUntilIdle();
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 node(s) didn't match Pod's node affinity/selector."
                        + " preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
                scheduledCondition("picky").path("message").asText());
    }

    @Test
    void aPodWaitingForRoomIsScheduledWhenAnAssignedPodGoes() {
        start(1);
        for (String w : LabCluster.WORKERS) {
            lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'hog-" + w + "', 'namespace': 'lab'},"
                    + " 'spec': {'nodeName': '" + w + "', 'containers': [{'name': 'c', 'image': 'nginx', 'resources': {'requests': {'cpu': '700m'}}}]}}"));
        }
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'waiting', 'namespace': 'lab'}, 'spec': {'containers':"
                + " [{'name': 'c', 'image': 'nginx', 'resources': {'requests': {'cpu': '500m'}}}]}}"));
        lab.runtime.runUntilIdle();
        assertEquals("", lab.nodeOf("waiting"));
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 Insufficient cpu. preemption: 0/4 nodes are available:"
                + " 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
                scheduledCondition("waiting").path("message").asText());

        lab.pods.delete("lab", "hog-w2-k8s", new DeleteOptions(0L, null, null, null, false));
        lab.runtime.runUntilIdle();
        assertEquals("w2-k8s", lab.nodeOf("waiting"));
    }

    @Test
    void cordonedNodesAndTheirTaintAreHonoured() {
        start(1);
        for (String w : LabCluster.WORKERS) lab.nodes.patch("", w, n -> { n.with("spec").put("unschedulable", true); return n; });
        lab.createPod("cordoned-out", "");
        lab.createPod("tolerant", "'tolerations': [{'key': 'node.kubernetes.io/unschedulable', 'operator': 'Exists', 'effect': 'NoSchedule'}]");
        lab.runtime.runUntilIdle();
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 node(s) were unschedulable. preemption: 0/4 nodes are available:"
                + " 4 Preemption is not helpful for scheduling.", scheduledCondition("cordoned-out").path("message").asText());
        assertTrue(LabCluster.WORKERS.contains(lab.nodeOf("tolerant")), "tolerating the taint is tolerating the cordon");

        lab.nodes.patch("", "w1-k8s", n -> { n.with("spec").remove("unschedulable"); return n; });
        lab.runtime.runUntilIdle();
        assertEquals("w1-k8s", lab.nodeOf("cordoned-out"), "uncordoning moves the waiting pod back to the queue");
    }

    @Test
    void podsThatKeepFailingAreTriedAgainEveryFiveMinutes() {
        start(1);
        lab.createPod("never", "'nodeSelector': {'disk': 'ssd'}");
        lab.runtime.runUntilIdle();
        assertEquals(1, events("FailedScheduling").size());
        assertFalse(events("FailedScheduling").get(0).has("series"));

        lab.runtime.advance(Duration.ofMinutes(5));
        assertEquals(1, events("FailedScheduling").size(), "not before it waited five minutes");
        lab.runtime.advance(Duration.ofSeconds(30)); // the next flush finds it
        // the first attempt's condition update gave the pod a new resourceVersion: the event about it is a new one,
        // as the real scheduler's (its event key holds the pod's resourceVersion)
        assertEquals(2, events("FailedScheduling").size());
        lab.runtime.advance(Duration.ofMinutes(5).plusSeconds(30));
        List<ObjectNode> failed = events("FailedScheduling");
        assertEquals(2, failed.size(), "the third attempt repeats the second event");
        ObjectNode series = failed.stream().filter(e -> e.has("series")).findFirst().orElseThrow();
        assertEquals(2, series.path("series").path("count").asInt());
    }

    @Test
    void aDeletingPodIsNotScheduledAndTheTwinOfAHostPortIsKeptApart() {
        start(1);
        for (int i = 0; i < 4; i++) {
            lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': 'port-" + i + "', 'namespace': 'lab'},"
                    + " 'spec': {'containers': [{'name': 'c', 'image': 'nginx', 'ports': [{'containerPort': 80, 'hostPort': 8080}]}]}}"));
        }
        lab.runtime.runUntilIdle();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) if (!lab.nodeOf("port-" + i).isEmpty()) placed.add(lab.nodeOf("port-" + i));
        assertEquals(LabCluster.WORKERS, placed.stream().sorted().toList(), "one per worker");
        ObjectNode fourth = events("FailedScheduling").get(0);
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 node(s) didn't have free ports for the requested pod ports."
                + " preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
                fourth.path("note").asText());
    }
}
