package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.NodeSimCluster;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static kubefake.nodesim.NodeSimCluster.condition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control plane's static pods, mirrored in the API as a kubeadm node's kubelet mirrors them. */
class StaticPodsTest {
    private final NodeSimCluster cluster = new NodeSimCluster();

    @AfterEach
    void close() {
        cluster.close();
    }

    private List<String> kubeSystemPods() {
        List<String> names = new ArrayList<>();
        for (StoredObject o : cluster.admin.resource("", "pods").list("kube-system", ListOptions.ALL)) {
            names.add(o.toNode().path("metadata").path("name").asText());
        }
        names.sort(null);
        return names;
    }

    @Test
    void theControlPlanesStaticPodsAreMirroredAndRunningAtOnce() {
        assertEquals(List.of("etcd-m-k8s", "kube-apiserver-m-k8s", "kube-controller-manager-m-k8s", "kube-scheduler-m-k8s"),
                kubeSystemPods());
        cluster.advance(Duration.ofSeconds(1));
        ObjectNode node = cluster.admin.resource("", "nodes").get("", "m-k8s").toNode();
        for (String name : kubeSystemPods()) {
            ObjectNode pod = cluster.pod("kube-system", name);
            JsonNode meta = pod.path("metadata");
            JsonNode a = meta.path("annotations");
            String hash = a.path("kubernetes.io/config.hash").asText();
            assertTrue(hash.matches("[0-9a-f]{32}"), hash);
            assertEquals(hash, a.path("kubernetes.io/config.mirror").asText());
            assertEquals("file", a.path("kubernetes.io/config.source").asText());
            assertTrue(a.path("kubernetes.io/config.seen").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
            JsonNode owner = meta.path("ownerReferences").get(0);
            assertEquals("Node", owner.path("kind").asText());
            assertEquals("m-k8s", owner.path("name").asText());
            assertEquals("v1", owner.path("apiVersion").asText());
            assertTrue(owner.path("controller").asBoolean());
            assertEquals(node.path("metadata").path("uid").asText(), owner.path("uid").asText());
            assertEquals("control-plane", meta.path("labels").path("tier").asText());
            assertEquals("m-k8s", pod.path("spec").path("nodeName").asText());
            assertTrue(pod.path("spec").path("hostNetwork").asBoolean());
            JsonNode status = pod.path("status");
            assertEquals("Running", status.path("phase").asText(), name);
            assertEquals("192.168.1.10", status.path("podIP").asText(), "host network: the node's address");
            assertEquals("True", condition(pod, "Ready").path("status").asText(), name + " found running: its probes pass at once");
            JsonNode c = status.path("containerStatuses").get(0);
            assertTrue(c.path("started").asBoolean());
            assertTrue(c.path("containerID").asText().matches("containerd://[0-9a-f]{64}"));
        }
        JsonNode etcd = cluster.pod("kube-system", "etcd-m-k8s").path("spec");
        assertEquals("registry.k8s.io/etcd:3.5.21-0", etcd.path("containers").get(0).path("image").asText());
        assertTrue(etcd.path("containers").get(0).path("command").toString().contains("--advertise-client-urls=https://192.168.1.10:2379"));
        JsonNode apiserver = cluster.pod("kube-system", "kube-apiserver-m-k8s");
        assertEquals("192.168.1.10:6443", apiserver.path("metadata").path("annotations")
                .path("kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint").asText());
        assertEquals("registry.k8s.io/kube-apiserver:v1.33.1", apiserver.path("spec").path("containers").get(0).path("image").asText());
        boolean toleratesNoExecute = false;
        for (JsonNode t : etcd.path("tolerations")) {
            if (t.path("operator").asText().equals("Exists") && t.path("effect").asText().equals("NoExecute")) toleratesNoExecute = true;
        }
        assertTrue(toleratesNoExecute, "the kubelet's file source adds the NoExecute toleration");
        assertTrue(cluster.events("kube-system", "etcd-m-k8s").isEmpty() || cluster.eventObjects("kube-system", "etcd-m-k8s").stream()
                        .noneMatch(e -> e.path("involvedObject").path("uid").asText().equals(
                                cluster.pod("kube-system", "etcd-m-k8s").path("metadata").path("uid").asText())),
                "the kubelet's events are about the static pod (the file's uid), not its mirror");
    }

    @Test
    void aDeletedMirrorPodComesBackWithANewUid() {
        cluster.advance(Duration.ofSeconds(1));
        String uid = cluster.pod("kube-system", "kube-scheduler-m-k8s").path("metadata").path("uid").asText();
        cluster.admin.resource("", "pods").delete("kube-system", "kube-scheduler-m-k8s");
        cluster.advance(Duration.ofSeconds(1));
        ObjectNode back = cluster.pod("kube-system", "kube-scheduler-m-k8s");
        assertNotEquals(uid, back.path("metadata").path("uid").asText());
        assertEquals("Running", back.path("status").path("phase").asText(), "the static pod ran on: its status is written to the new mirror");
        assertEquals(0, back.path("status").path("containerStatuses").get(0).path("restartCount").asInt());
    }
}
