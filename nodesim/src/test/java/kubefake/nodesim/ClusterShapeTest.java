package kubefake.nodesim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab, `up --workers N` and `up --config FILE`. */
class ClusterShapeTest {
    @Test
    void theLabIsTheCoursesCluster() {
        ClusterShape lab = ClusterShape.lab();
        assertEquals(List.of("m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"), lab.nodes().stream().map(NodeSpec::name).toList());
        assertEquals("192.168.1.10", lab.nodes().get(0).internalIp());
        assertEquals("172.16.0.0/16", lab.podCidr());
        assertEquals("lab", lab.profile());
        assertEquals(List.of(NodeSpec.Taint.CONTROL_PLANE), lab.nodes().get(0).taints());
    }

    @Test
    void workersAreNumberedAfterTheLabUpTo254() {
        ClusterShape ten = ClusterShape.labWithWorkers(10);
        assertEquals(11, ten.nodes().size());
        assertEquals("w10-k8s", ten.nodes().get(10).name());
        assertEquals("192.168.1.110", ten.nodes().get(10).internalIp());
        assertEquals("172.16.10.0/24", ten.nodes().get(10).podCidr());
        assertNull(ten.nodes().get(10).calicoBlock(), "past the lab's three, Calico picks the block");
        ClusterShape max = ClusterShape.labWithWorkers(LabTopology.MAX_WORKERS);
        assertEquals("192.168.1.254", max.nodes().get(max.nodes().size() - 1).internalIp());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterShape.labWithWorkers(155));
        assertTrue(e.getMessage().contains("use --config"), e.getMessage());
        assertEquals(1, ClusterShape.labWithWorkers(0).nodes().size(), "a control plane alone");
    }

    @Test
    void aConfigFileDescribesNodesNetworksAndTheProfile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, """
                apiVersion: kubefake.dev/v1alpha1
                kind: ClusterShape
                podCIDR: 10.240.0.0/12
                profile: fast
                nodes:
                  - name: cp
                    ip: 10.0.0.10
                    controlPlane: true
                  - name: gpu-1
                    ip: 10.0.0.21
                    capacity: {cpu: "8", memory: 32Gi, pods: 50}
                    labels: {accelerator: nvidia}
                    taints: [{key: gpu, value: "true", effect: NoSchedule}]
                workers:
                  count: 1000
                  namePrefix: node-
                  nameSuffix: ""
                  firstIP: 10.1.0.1
                """);
        ClusterShape shape = ClusterShape.load(file);
        assertEquals(1002, shape.nodes().size());
        assertEquals("fast", shape.profile());
        NodeSpec gpu = shape.nodes().get(1);
        assertEquals("8", gpu.capacity().cpu());
        assertEquals("33554432Ki", gpu.capacity().memory());
        assertEquals(50, gpu.capacity().pods());
        assertEquals(Map.of("accelerator", "nvidia"), gpu.labels());
        assertEquals(List.of(new NodeSpec.Taint("gpu", "true", "NoSchedule")), gpu.taints());
        assertEquals("10.240.1.0/24", gpu.podCidr());
        assertEquals(List.of(NodeSpec.Taint.CONTROL_PLANE), shape.nodes().get(0).taints(), "a control plane gets kubeadm's taint");
        NodeSpec last = shape.nodes().get(1001);
        assertEquals("node-1000", last.name());
        assertEquals("10.1.3.232", last.internalIp());
        assertEquals("10.243.233.0/24", last.podCidr(), "the 1002nd /24 of the pod network");
    }

    @Test
    void mistakesInAConfigAreOneClearError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, "nodes:\n  - {name: a, ip: 10.0.0.1}\n");
        IOException e = assertThrows(IOException.class, () -> ClusterShape.load(file));
        assertTrue(e.getMessage().contains("needs a control-plane node"), e.getMessage());
        Files.writeString(file, "nodes:\n  - {name: a, ip: 10.0.0.1, controlPlane: true}\n  - {name: a, ip: 10.0.0.2}\n");
        assertTrue(assertThrows(IOException.class, () -> ClusterShape.load(file)).getMessage().contains("two nodes named a"));
        Files.writeString(file, "nodes:\n  - {name: a, ip: 172.16.0.9, controlPlane: true}\n");
        assertTrue(assertThrows(IOException.class, () -> ClusterShape.load(file)).getMessage().contains("inside the pod network"));
        Files.writeString(file, "podCIDR: 10.0.0.0/24\nnodes:\n  - {name: a, ip: 192.168.0.1, controlPlane: true}\n  - {name: b, ip: 192.168.0.2}\n");
        assertTrue(assertThrows(IOException.class, () -> ClusterShape.load(file)).getMessage().contains("has room for 1 nodes"));
        Files.writeString(file, "nodes:\n  - {name: a, ip: 10.0.0.1, controlPlane: true, cpus: 2}\n");
        assertTrue(assertThrows(IOException.class, () -> ClusterShape.load(file)).getMessage().contains("cpus"));
        Files.writeString(file, "serviceCIDR: 10.100.0.0/16\nnodes:\n  - {name: a, ip: 10.0.0.1, controlPlane: true}\n");
        assertTrue(assertThrows(IOException.class, () -> ClusterShape.load(file)).getMessage().contains("only kubeadm's default 10.96.0.0/12"));
    }
}
