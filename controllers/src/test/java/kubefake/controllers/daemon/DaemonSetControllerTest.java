package kubefake.controllers.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.controllers.scheduler.Scheduler;
import kubefake.controllers.testing.LabCluster;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static kubefake.controllers.testing.LabCluster.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DaemonSet controller with the scheduler on the lab's nodes; the test plays the kubelets. */
class DaemonSetControllerTest {
    private final LabCluster lab = new LabCluster();
    private final ResourceClient daemonSets = lab.admin.resource("apps", "daemonsets");
    private final ResourceClient revisions = lab.admin.resource("apps", "controllerrevisions");
    private DaemonSetController controller;
    private Scheduler scheduler;

    @BeforeEach
    void start() {
        controller = new DaemonSetController(new Client(lab.registry, UserInfo.controllerServiceAccount("daemon-set-controller"),
                "kube-controller-manager"), lab.informers, lab.runtime);
        scheduler = new Scheduler(new Client(lab.registry, UserInfo.KUBE_SCHEDULER, "kube-scheduler"), lab.informers, lab.runtime,
                "default-scheduler-m-k8s", new Random(7));
        controller.start();
        scheduler.start();
        lab.informers.start();
        lab.runtime.runUntilIdle();
    }

    @AfterEach
    void close() {
        controller.close();
        scheduler.close();
        lab.close();
    }

    /** kubeadm's kube-proxy DaemonSet (its template as a 1.33 cluster stores it, less the volumes). */
    private void kubeProxy() {
        daemonSets.create(json("{'apiVersion': 'apps/v1', 'kind': 'DaemonSet', 'metadata': {'name': 'kube-proxy', 'namespace': 'kube-system',"
                + " 'labels': {'k8s-app': 'kube-proxy'}}, 'spec': {'selector': {'matchLabels': {'k8s-app': 'kube-proxy'}}, 'template': {"
                + "'metadata': {'labels': {'k8s-app': 'kube-proxy'}}, 'spec': {'containers': [{'name': 'kube-proxy', 'image':"
                + " 'registry.k8s.io/kube-proxy:v1.33.13', 'command': ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf']}],"
                + " 'hostNetwork': true, 'nodeSelector': {'kubernetes.io/os': 'linux'}, 'priorityClassName': 'system-node-critical',"
                + " 'serviceAccountName': 'kube-proxy', 'tolerations': [{'operator': 'Exists'}]}}}}"));
    }

    private void plainDaemonSet(String name) {
        daemonSets.create(json("{'apiVersion': 'apps/v1', 'kind': 'DaemonSet', 'metadata': {'name': '" + name + "', 'namespace': 'lab'},"
                + " 'spec': {'selector': {'matchLabels': {'app': '" + name + "'}}, 'template': {'metadata': {'labels': {'app': '" + name + "'}},"
                + " 'spec': {'containers': [{'name': 'c', 'image': 'nginx:1.27'}]}}}}"));
    }

    private List<ObjectNode> podsOf(String namespace, String prefix) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : lab.pods.list(namespace)) {
            ObjectNode p = o.toNode();
            if (p.path("metadata").path("name").asText().startsWith(prefix + "-")) out.add(p);
        }
        return out;
    }

    private List<String> nodesOf(List<ObjectNode> pods) {
        return pods.stream().map(p -> p.path("spec").path("nodeName").asText()).sorted().toList();
    }

    private JsonNode status(String namespace, String name) {
        return daemonSets.get(namespace, name).toNode().path("status");
    }

    /** The kubelets: pods being deleted finish, bound pods become ready. */
    private void kubelets() {
        for (int round = 0; round < 20; round++) {
            lab.runtime.runUntilIdle();
            boolean acted = false;
            for (StoredObject o : lab.pods.list(null)) {
                ObjectNode p = o.toNode();
                String ns = p.path("metadata").path("namespace").asText();
                String name = p.path("metadata").path("name").asText();
                if (p.path("metadata").has("deletionTimestamp")) {
                    lab.pods.delete(ns, name, new DeleteOptions(0L, null, null, null, false));
                    acted = true;
                } else if (!p.path("spec").path("nodeName").asText().isEmpty() && !p.path("status").path("phase").asText().equals("Running")) {
                    lab.markReady(ns, name);
                    acted = true;
                }
            }
            if (!acted) return;
        }
    }

    @Test
    void kubeProxyRunsOnEveryNodeIncludingTheControlPlane() {
        kubeProxy();
        lab.runtime.runUntilIdle();
        List<ObjectNode> pods = podsOf("kube-system", "kube-proxy");
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"), nodesOf(pods));
        ObjectNode pod = pods.stream().filter(p -> p.path("spec").path("nodeName").asText().equals("w2-k8s")).findFirst().orElseThrow();
        String name = pod.path("metadata").path("name").asText();
        assertTrue(name.matches("kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
        assertEquals("kube-proxy-", pod.path("metadata").path("generateName").asText());
        JsonNode owner = pod.path("metadata").path("ownerReferences").get(0);
        assertEquals(json("{'apiVersion': 'apps/v1', 'kind': 'DaemonSet', 'name': 'kube-proxy', 'uid': '"
                + daemonSets.get("kube-system", "kube-proxy").toNode().path("metadata").path("uid").asText()
                + "', 'controller': true, 'blockOwnerDeletion': true}"), owner);
        JsonNode labels = pod.path("metadata").path("labels");
        assertEquals("kube-proxy", labels.path("k8s-app").asText());
        assertEquals("1", labels.path("pod-template-generation").asText());
        String hash = labels.path("controller-revision-hash").asText();
        assertTrue(hash.matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}"), hash);
        // the recording's kube-proxy pod: the template's toleration, then the seven the controller adds
        assertEquals(json("{'t': [{'operator': 'Exists'},"
                + " {'key': 'node.kubernetes.io/not-ready', 'operator': 'Exists', 'effect': 'NoExecute'},"
                + " {'key': 'node.kubernetes.io/unreachable', 'operator': 'Exists', 'effect': 'NoExecute'},"
                + " {'key': 'node.kubernetes.io/disk-pressure', 'operator': 'Exists', 'effect': 'NoSchedule'},"
                + " {'key': 'node.kubernetes.io/memory-pressure', 'operator': 'Exists', 'effect': 'NoSchedule'},"
                + " {'key': 'node.kubernetes.io/pid-pressure', 'operator': 'Exists', 'effect': 'NoSchedule'},"
                + " {'key': 'node.kubernetes.io/unschedulable', 'operator': 'Exists', 'effect': 'NoSchedule'},"
                + " {'key': 'node.kubernetes.io/network-unavailable', 'operator': 'Exists', 'effect': 'NoSchedule'}]}").get("t"),
                pod.path("spec").path("tolerations"));
        assertEquals(json("{'requiredDuringSchedulingIgnoredDuringExecution': {'nodeSelectorTerms': [{'matchFields':"
                + " [{'key': 'metadata.name', 'operator': 'In', 'values': ['w2-k8s']}]}]}}"), pod.path("spec").path("affinity").path("nodeAffinity"));

        JsonNode revision = revisions.get("kube-system", "kube-proxy-" + hash).toNode();
        assertEquals(1, revision.path("revision").asInt());
        assertEquals(hash, revision.path("metadata").path("labels").path("controller-revision-hash").asText());
        assertEquals("replace", revision.path("data").path("spec").path("template").path("$patch").asText());
        assertEquals("DaemonSet", revision.path("metadata").path("ownerReferences").get(0).path("kind").asText());

        List<String> created = lab.coreEvents("kube-system").stream().filter(e -> e.path("reason").asText().equals("SuccessfulCreate"))
                .map(e -> e.path("message").asText()).toList();
        assertEquals(4, created.size());
        assertTrue(created.get(0).startsWith("Created pod: kube-proxy-"));
        assertEquals("daemonset-controller", lab.coreEvents("kube-system").get(0).path("source").path("component").asText());

        kubelets();
        assertEquals(json("{'currentNumberScheduled': 4, 'numberMisscheduled': 0, 'desiredNumberScheduled': 4, 'numberReady': 4,"
                + " 'observedGeneration': 1, 'updatedNumberScheduled': 4, 'numberAvailable': 4}"), status("kube-system", "kube-proxy"));
    }

    @Test
    void aNodeRelabelledOutOfTheNodeSelectorLosesItsPodAndGetsOneBackWhenRelabelled() {
        kubeProxy();
        kubelets();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"), nodesOf(podsOf("kube-system", "kube-proxy")));

        lab.nodes.patch("", "w3-k8s", n -> {
            n.with("metadata").with("labels").put("kubernetes.io/os", "windows");
            return n;
        });
        kubelets();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s"), nodesOf(podsOf("kube-system", "kube-proxy")),
                "kube-proxy's nodeSelector (kubernetes.io/os: linux) no longer matches w3-k8s");
        assertEquals(3, status("kube-system", "kube-proxy").path("desiredNumberScheduled").asInt());

        lab.nodes.patch("", "w3-k8s", n -> {
            n.with("metadata").with("labels").put("kubernetes.io/os", "linux");
            return n;
        });
        kubelets();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"), nodesOf(podsOf("kube-system", "kube-proxy")));
        assertEquals(4, status("kube-system", "kube-proxy").path("desiredNumberScheduled").asInt());
    }

    @Test
    void aDaemonSetThatDoesNotTolerateTheControlPlaneRunsOnTheWorkers() {
        plainDaemonSet("agent");
        lab.runtime.runUntilIdle();
        assertEquals(LabCluster.WORKERS, nodesOf(podsOf("lab", "agent")));
        assertEquals(json("{'currentNumberScheduled': 3, 'numberMisscheduled': 0, 'desiredNumberScheduled': 3, 'numberReady': 0,"
                + " 'observedGeneration': 1, 'updatedNumberScheduled': 3, 'numberUnavailable': 3}"), status("lab", "agent"));

        lab.addNode("w4-k8s", 1, 838124, false);
        lab.runtime.runUntilIdle();
        assertEquals(List.of("w1-k8s", "w2-k8s", "w3-k8s", "w4-k8s"), nodesOf(podsOf("lab", "agent")), "a new node gets its pod");

        lab.nodes.patch("", "w4-k8s", n -> {
            n.with("spec").putArray("taints").addObject().put("key", "dedicated").put("value", "db").put("effect", "NoExecute");
            return n;
        });
        kubelets();
        assertEquals(LabCluster.WORKERS, nodesOf(podsOf("lab", "agent")), "an untolerated NoExecute taint removes it");
        assertEquals(3, status("lab", "agent").path("desiredNumberScheduled").asInt());
    }

    @Test
    void aRollingUpdateReplacesOnePodAtATimeUntilTheRolloutIsComplete() {
        plainDaemonSet("agent");
        kubelets();
        String firstHash = podsOf("lab", "agent").get(0).path("metadata").path("labels").path("controller-revision-hash").asText();

        daemonSets.patch("lab", "agent", d -> {
            ((ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0)).put("image", "nginx:1.28");
            return d;
        });
        lab.runtime.runUntilIdle();
        List<ObjectNode> pods = podsOf("lab", "agent");
        long terminating = pods.stream().filter(p -> p.path("metadata").has("deletionTimestamp")).count();
        assertEquals(1, terminating, "maxUnavailable 1: one old pod at a time");
        JsonNode mid = status("lab", "agent");
        assertEquals(2, mid.path("observedGeneration").asInt());
        assertTrue(mid.path("updatedNumberScheduled").asInt() < 3);

        kubelets();
        pods = podsOf("lab", "agent");
        assertEquals(LabCluster.WORKERS, nodesOf(pods));
        String newHash = pods.get(0).path("metadata").path("labels").path("controller-revision-hash").asText();
        assertTrue(!newHash.equals(firstHash));
        for (ObjectNode p : pods) {
            assertEquals("nginx:1.28", p.path("spec").path("containers").get(0).path("image").asText());
            assertEquals("2", p.path("metadata").path("labels").path("pod-template-generation").asText());
        }
        // what `kubectl rollout status ds/agent` waits for
        JsonNode done = status("lab", "agent");
        assertEquals(daemonSets.get("lab", "agent").toNode().path("metadata").path("generation").asInt(), done.path("observedGeneration").asInt());
        assertEquals(3, done.path("updatedNumberScheduled").asInt());
        assertEquals(3, done.path("numberAvailable").asInt());
        assertEquals(3, done.path("desiredNumberScheduled").asInt());
        assertEquals(2, revisions.get("lab", "agent-" + newHash).toNode().path("revision").asInt());
        assertEquals(1, revisions.get("lab", "agent-" + firstHash).toNode().path("revision").asInt(), "the old revision is history");
    }

    @Test
    void aFailedDaemonPodIsReplacedWithAnEvent() {
        plainDaemonSet("agent");
        kubelets();
        ObjectNode failed = podsOf("lab", "agent").get(0);
        String name = failed.path("metadata").path("name").asText();
        String node = failed.path("spec").path("nodeName").asText();
        lab.pods.patchStatus("lab", name, p -> { p.with("status").put("phase", "Failed"); return p; });
        kubelets();
        assertTrue(lab.pods.find("lab", name).isEmpty(), "the failed pod is deleted");
        assertEquals(LabCluster.WORKERS, nodesOf(podsOf("lab", "agent")), "and replaced on its node");
        assertTrue(lab.coreEvents("lab").stream().anyMatch(e -> e.path("reason").asText().equals("FailedDaemonPod")
                && e.path("message").asText().equals("Found failed daemon pod lab/" + name + " on node " + node + ", will try to kill it")));
    }
}
