package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePrinterTest {

    private final TablePrinter printer = TablePrinters.forResource("", "nodes");

    private static ObjectNode node(String labels, String spec, String conditions) {
        return json("{'metadata': {'name': 'w1-k8s', 'creationTimestamp': '" + ago("P3DT4H") + "',"
                + " 'labels': " + labels + "}, 'spec': " + spec + ", 'status': {'conditions': " + conditions + ","
                + " 'addresses': [{'type': 'InternalIP', 'address': '192.168.1.101'}, {'type': 'Hostname',"
                + " 'address': 'w1-k8s'}], 'nodeInfo': {'kubeletVersion': 'v1.33.13', 'osImage': 'Rocky Linux 9.5',"
                + " 'kernelVersion': '5.14.0', 'containerRuntimeVersion': 'containerd://1.7.24'}}}");
    }

    private static final String READY = "[{'type': 'MemoryPressure', 'status': 'False'},"
            + " {'type': 'Ready', 'status': 'True'}]";

    @Test
    void readyWorkerNode() {
        assertEquals(List.of("w1-k8s", "Ready", "<none>", "3d4h", "v1.33.13", "192.168.1.101", "<none>",
                        "Rocky Linux 9.5", "5.14.0", "containerd://1.7.24"),
                printer.cells(node("{}", "{}", READY), NOW));
    }

    @Test
    void cordonedNodeIsSchedulingDisabled() {
        List<Object> cells = printer.cells(node("{}", "{'unschedulable': true}", READY), NOW);
        assertEquals("Ready,SchedulingDisabled", cells.get(1));
    }

    @Test
    void notReadyUnknownAndMissingReadyCondition() {
        assertEquals("NotReady", printer.cells(node("{}", "{}", "[{'type': 'Ready', 'status': 'False'}]"), NOW).get(1));
        assertEquals("NotReady", printer.cells(node("{}", "{}", "[{'type': 'Ready', 'status': 'Unknown'}]"), NOW).get(1));
        assertEquals("Unknown,SchedulingDisabled",
                printer.cells(node("{}", "{'unschedulable': true}", "[]"), NOW).get(1));
    }

    @Test
    void rolesComeFromNodeRoleLabelsSorted() {
        String labels = "{'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '',"
                + " 'node-role.kubernetes.io/': 'ignored', 'kubernetes.io/role': 'infra', 'kubernetes.io/os': 'linux'}";
        assertEquals("control-plane,infra,worker", printer.cells(node(labels, "{}", READY), NOW).get(2));
    }

    @Test
    void missingNodeInfoIsUnknownInWideCells() {
        ObjectNode bare = json("{'metadata': {'name': 'n', 'creationTimestamp': '" + ago("PT30S") + "'}}");
        assertEquals(List.of("n", "Unknown", "<none>", "30s", "", "<none>", "<none>", "<unknown>", "<unknown>",
                "<unknown>"), printer.cells(bare, NOW));
    }
}
