package kubefake.controllers.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.DeleteOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler's preemption on the manual runtime, with the lab's three 1-CPU workers filled by hand. */
class PreemptionTest {
    private static final String TAINTED = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";
    private final LabCluster lab = new LabCluster();
    private Scheduler scheduler;

    private void start(long seed) {
        for (String[] pc : new String[][] {{"high", "1000"}, {"medium", "10"}}) {
            lab.admin.resource("scheduling.k8s.io", "priorityclasses").create(json("{'apiVersion': 'scheduling.k8s.io/v1',"
                    + " 'kind': 'PriorityClass', 'metadata': {'name': '" + pc[0] + "'}, 'value': " + pc[1] + "}"));
        }
        scheduler = SchedulerTest.start(lab, seed);
    }

    /** A budget for the pods labelled app=NAME that lets none of them go. */
    private void budget(String app) {
        lab.admin.resource("policy", "poddisruptionbudgets").create(json("{'apiVersion': 'policy/v1', 'kind': 'PodDisruptionBudget',"
                + " 'metadata': {'name': '" + app + "', 'namespace': 'lab'}, 'spec': {'minAvailable': 1, 'selector': {'matchLabels':"
                + " {'app': '" + app + "'}}}}"));
    }

    @AfterEach
    void close() {
        if (scheduler != null) scheduler.close();
        lab.close();
    }

    /** A pod already on {@code node} (or pending when null), with a CPU request, a priority class (or none) and labels. */
    private void pod(String name, String node, String cpu, String priorityClass, String labels) {
        lab.pods.create(json("{'apiVersion': 'v1', 'kind': 'Pod', 'metadata': {'name': '" + name + "', 'namespace': 'lab', 'labels': {"
                + labels + "}}, 'spec': {" + (node == null ? "" : "'nodeName': '" + node + "', ")
                + (priorityClass == null ? "" : "'priorityClassName': '" + priorityClass + "', ")
                + "'containers': [{'name': 'c', 'image': 'nginx', 'resources': {'requests': {'cpu': '" + cpu + "'}}}]}}"));
    }

    private List<ObjectNode> events(String reason) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode e : lab.events("lab")) if (e.path("reason").asText().equals(reason)) out.add(e);
        return out;
    }

    private boolean terminating(String pod) {
        return lab.pod(pod).path("metadata").hasNonNull("deletionTimestamp");
    }

    /** The kubelet's part: the terminating pod's containers stopped, its deletion completes. */
    private void finishDeletion(String pod) {
        lab.pods.delete("lab", pod, new DeleteOptions(0L, null, null, null, false));
    }

    private String uid(String pod) {
        return lab.pod(pod).path("metadata").path("uid").asText();
    }

    @Test
    void theNodeWithTheFewestLowestPriorityVictimsIsChosenAndThePodScheduledOnceTheyAreGone() {
        start(1);
        pod("pair-a", "w1-k8s", "400m", null, "");      // w1: both would have to go
        pod("pair-b", "w1-k8s", "400m", null, "");
        pod("big", "w2-k8s", "900m", null, "");         // w2: one pod of priority 0
        pod("small", "w3-k8s", "300m", null, "");       // w3: the medium one would have to go
        pod("middle", "w3-k8s", "500m", "medium", "");
        lab.runtime.runUntilIdle();

        pod("urgent", null, "700m", "high", "");
        lab.runtime.runUntilIdle();
        assertTrue(terminating("big"), "the victim is deleted gracefully");
        for (String spared : List.of("pair-a", "pair-b", "small", "middle")) assertFalse(terminating(spared), spared);
        JsonNode target = lab.pod("big").path("status").path("conditions").get(0);
        assertEquals(json("{'type': 'DisruptionTarget', 'status': 'True', 'lastProbeTime': null, 'lastTransitionTime': '" + lab.now()
                + "', 'reason': 'PreemptionByScheduler', 'message': 'default-scheduler: preempting to accommodate a higher priority pod'}"),
                target);

        ObjectNode preempted = events("Preempted").get(0);
        assertEquals("Preempted by pod " + uid("urgent") + " on node w2-k8s", preempted.path("note").asText());
        assertEquals("Normal", preempted.path("type").asText());
        assertEquals("Preempting", preempted.path("action").asText());
        assertEquals("big", preempted.path("regarding").path("name").asText());
        assertEquals("urgent", preempted.path("related").path("name").asText());
        assertEquals("default-scheduler", preempted.path("reportingController").asText());
        assertEquals(1, events("Preempted").size());

        ObjectNode urgent = lab.pod("urgent");
        assertEquals("w2-k8s", urgent.path("status").path("nominatedNodeName").asText());
        assertEquals("", urgent.path("spec").path("nodeName").asText(), "not before its victim is gone");
        String message = "0/4 nodes are available: " + TAINTED + ", 3 Insufficient cpu.";
        assertEquals(message, events("FailedScheduling").get(0).path("note").asText(), "a successful preemption adds nothing");
        assertEquals(message, urgent.path("status").path("conditions").get(0).path("message").asText());

        // a lower-priority pod that could take the room while the victim goes finds it kept for the nominated pod
        pod("sneaky", null, "400m", null, "");
        lab.runtime.runUntilIdle();
        finishDeletion("big");
        lab.runtime.runUntilIdle();
        assertEquals("w2-k8s", lab.nodeOf("urgent"));
        assertEquals("", lab.nodeOf("sneaky"));
    }

    @Test
    void aPodThatAlreadyPreemptedWaitsForItsVictimsInsteadOfPreemptingMore() {
        start(1);
        for (String w : LabCluster.WORKERS) pod("low-" + w, w, "900m", null, "");
        lab.runtime.runUntilIdle();
        pod("urgent", null, "500m", "high", "");
        lab.runtime.runUntilIdle();
        String nominated = lab.pod("urgent").path("status").path("nominatedNodeName").asText();
        assertTrue(LabCluster.WORKERS.contains(nominated), nominated);

        // something changes in the cluster: the pod is tried again while its victim is still terminating
        lab.nodes.patch("", "m-k8s", n -> { n.with("metadata").with("labels").put("touched", "yes"); return n; });
        lab.runtime.runUntilIdle();
        List<ObjectNode> failed = events("FailedScheduling");
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 Insufficient cpu. preemption: not eligible due to a terminating pod"
                + " on the nominated node.", failed.get(failed.size() - 1).path("note").asText());
        assertEquals(1, events("Preempted").size(), "no second victim");
        assertEquals(nominated, lab.pod("urgent").path("status").path("nominatedNodeName").asText(), "the nomination stays");

        finishDeletion("low-" + nominated);
        lab.runtime.runUntilIdle();
        assertEquals(nominated, lab.nodeOf("urgent"));
    }

    @Test
    void victimsProtectedByADisruptionBudgetAreSparedWhenAnotherNodeWillDo() {
        start(1);
        pod("db", "w1-k8s", "900m", null, "'app': 'db'");      // the cheapest victim, but its budget allows no disruption
        pod("web-a", "w2-k8s", "450m", null, "'app': 'web'");  // two victims here
        pod("web-b", "w2-k8s", "450m", null, "'app': 'web'");
        pod("vip", "w3-k8s", "900m", "high", "");              // not a victim for a pod of the same priority
        budget("db");
        lab.admin.resource("policy", "poddisruptionbudgets").patchStatus("lab", "db", b -> {
            b.with("status").put("disruptionsAllowed", 0).put("currentHealthy", 1).put("desiredHealthy", 1).put("expectedPods", 1);
            return b;
        });
        lab.runtime.runUntilIdle();

        pod("urgent", null, "600m", "high", "");
        lab.runtime.runUntilIdle();
        assertEquals("w2-k8s", lab.pod("urgent").path("status").path("nominatedNodeName").asText());
        assertTrue(terminating("web-a") && terminating("web-b"));
        assertFalse(terminating("db"));
        assertFalse(terminating("vip"));
    }

    @Test
    void aDisruptionBudgetIsBrokenWhenNothingElseMakesRoom() {
        start(1);
        pod("db", "w1-k8s", "900m", null, "'app': 'db'");
        pod("vip-2", "w2-k8s", "900m", "high", "");
        pod("vip-3", "w3-k8s", "900m", "high", "");
        budget("db");
        lab.runtime.runUntilIdle();
        pod("urgent", null, "600m", "high", "");
        lab.runtime.runUntilIdle();
        assertTrue(terminating("db"));
        assertEquals("w1-k8s", lab.pod("urgent").path("status").path("nominatedNodeName").asText());
    }

    @Test
    void aPodThatMayNotPreemptOnlyWaits() {
        start(1);
        lab.admin.resource("scheduling.k8s.io", "priorityclasses").create(json("{'apiVersion': 'scheduling.k8s.io/v1',"
                + " 'kind': 'PriorityClass', 'metadata': {'name': 'polite'}, 'value': 1000, 'preemptionPolicy': 'Never'}"));
        for (String w : LabCluster.WORKERS) pod("low-" + w, w, "900m", null, "");
        lab.runtime.runUntilIdle();
        pod("patient", null, "500m", "polite", "");
        lab.runtime.runUntilIdle();
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 Insufficient cpu. preemption: not eligible due to"
                + " preemptionPolicy=Never.", events("FailedScheduling").get(0).path("note").asText());
        for (String w : LabCluster.WORKERS) assertFalse(terminating("low-" + w));
        assertTrue(events("Preempted").isEmpty());
        assertNull(lab.pod("patient").path("status").get("nominatedNodeName"));
    }

    @Test
    void withoutLowerPriorityPodsEachNodeSaysWhy() {
        start(1);
        pod("low", "w1-k8s", "200m", null, "");
        pod("vip", "w1-k8s", "700m", "high", "");
        pod("vip-2", "w2-k8s", "900m", "high", "");
        pod("vip-3", "w3-k8s", "900m", "high", "");
        lab.runtime.runUntilIdle();
        pod("urgent", null, "500m", "high", "");
        lab.runtime.runUntilIdle();
        // w1's low-priority pod is not enough: removing it leaves w1 short of cpu still
        assertEquals("0/4 nodes are available: " + TAINTED + ", 3 Insufficient cpu. preemption: 0/4 nodes are available:"
                + " 1 Insufficient cpu, 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
                events("FailedScheduling").get(0).path("note").asText());
        assertFalse(terminating("low"));
    }
}
