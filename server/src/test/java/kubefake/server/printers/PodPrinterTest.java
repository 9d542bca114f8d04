package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Ready, Status and Restarts logic of {@code kubectl get pods}. */
class PodPrinterTest {

    private final TablePrinter printer = TablePrinters.forResource("", "pods");

    private static ObjectNode pod(String spec, String status) {
        return json("{'metadata': {'name': 'web', 'creationTimestamp': '" + ago("PT5M") + "'},"
                + " 'spec': " + spec + ", 'status': " + status + "}");
    }

    private static final String ONE_CONTAINER = "{'containers': [{'name': 'app', 'image': 'nginx'}]}";
    private static final String TWO_CONTAINERS =
            "{'containers': [{'name': 'app', 'image': 'nginx'}, {'name': 'log', 'image': 'busybox'}]}";

    private List<Object> cells(ObjectNode pod) {
        return printer.cells(pod, NOW);
    }

    /** Ready, Status and Restarts. */
    private List<Object> summary(ObjectNode pod) {
        return cells(pod).subList(1, 4);
    }

    @Test
    void unscheduledPodIsPendingWithNoneForWideCells() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Pending', 'conditions': [{'type': 'PodScheduled',"
                + " 'status': 'False', 'reason': 'Unschedulable'}]}");
        assertEquals(List.of("web", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"), cells(pod));
    }

    @Test
    void runningReadyPod() {
        ObjectNode pod = pod("{'nodeName': 'w1-k8s', 'containers': [{'name': 'app'}]}",
                "{'phase': 'Running', 'podIP': '10.0.0.5', 'podIPs': [{'ip': '10.0.0.5'}],"
                        + " 'containerStatuses': [{'name': 'app', 'ready': true, 'restartCount': 0,"
                        + " 'state': {'running': {'startedAt': '" + ago("PT4M") + "'}}}]}");
        assertEquals(List.of("web", "1/1", "Running", "0", "5m", "10.0.0.5", "w1-k8s", "<none>", "<none>"),
                cells(pod));
    }

    @Test
    void waitingReasonBecomesTheStatus() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Pending', 'containerStatuses': [{'name': 'app',"
                + " 'ready': false, 'restartCount': 0, 'state': {'waiting': {'reason': 'ContainerCreating'}}}]}");
        assertEquals(List.of("0/1", "ContainerCreating", "0"), summary(pod));
    }

    @Test
    void crashLoopShowsRestartsAndWhenTheLastOneWas() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Running', 'containerStatuses': [{'name': 'app',"
                + " 'ready': false, 'restartCount': 4, 'state': {'waiting': {'reason': 'CrashLoopBackOff'}},"
                + " 'lastState': {'terminated': {'exitCode': 1, 'reason': 'Error',"
                + " 'finishedAt': '" + ago("PT75S") + "'}}}]}");
        assertEquals(List.of("0/1", "CrashLoopBackOff", "4 (75s ago)"), summary(pod));
    }

    @Test
    void restartsWithoutATerminationTimeAreJustACount() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Running', 'containerStatuses': [{'name': 'app',"
                + " 'ready': true, 'restartCount': 2, 'state': {'running': {}}}]}");
        assertEquals(List.of("1/1", "Running", "2"), summary(pod));
    }

    @Test
    void terminatedContainerWithoutReasonShowsExitCodeOrSignal() {
        ObjectNode exited = pod(ONE_CONTAINER, "{'phase': 'Running', 'containerStatuses': [{'name': 'app',"
                + " 'state': {'terminated': {'exitCode': 137}}}]}");
        assertEquals("ExitCode:137", summary(exited).get(1));
        ObjectNode signalled = pod(ONE_CONTAINER, "{'phase': 'Running', 'containerStatuses': [{'name': 'app',"
                + " 'state': {'terminated': {'exitCode': 0, 'signal': 9}}}]}");
        assertEquals("Signal:9", summary(signalled).get(1));
    }

    @Test
    void theFirstContainersStateWins() {
        ObjectNode pod = pod(TWO_CONTAINERS, "{'phase': 'Running', 'containerStatuses': ["
                + "{'name': 'app', 'state': {'waiting': {'reason': 'ImagePullBackOff'}}},"
                + "{'name': 'log', 'ready': true, 'state': {'running': {}}}]}");
        assertEquals(List.of("1/2", "ImagePullBackOff", "0"), summary(pod));
    }

    @Test
    void initContainersInProgressCountAsInitXOfY() {
        String spec = "{'initContainers': [{'name': 'a'}, {'name': 'b'}], 'containers': [{'name': 'app'}]}";
        ObjectNode running = pod(spec, "{'phase': 'Pending', 'initContainerStatuses': ["
                + "{'name': 'a', 'state': {'terminated': {'exitCode': 0, 'reason': 'Completed'}}},"
                + "{'name': 'b', 'state': {'running': {}}}],"
                + " 'containerStatuses': [{'name': 'app', 'state': {'waiting': {'reason': 'PodInitializing'}}}]}");
        assertEquals(List.of("0/1", "Init:1/2", "0"), summary(running));
        ObjectNode initializing = pod(spec, "{'phase': 'Pending', 'initContainerStatuses': ["
                + "{'name': 'a', 'state': {'waiting': {'reason': 'PodInitializing'}}},"
                + "{'name': 'b', 'state': {'waiting': {'reason': 'PodInitializing'}}}]}");
        assertEquals("Init:0/2", summary(initializing).get(1));
    }

    @Test
    void failingInitContainersShowTheirReason() {
        String spec = "{'initContainers': [{'name': 'a'}], 'containers': [{'name': 'app'}]}";
        ObjectNode backOff = pod(spec, "{'phase': 'Pending', 'initContainerStatuses': [{'name': 'a',"
                + " 'restartCount': 3, 'state': {'waiting': {'reason': 'CrashLoopBackOff'}},"
                + " 'lastState': {'terminated': {'exitCode': 1, 'finishedAt': '" + ago("PT3M") + "'}}}]}");
        assertEquals(List.of("0/1", "Init:CrashLoopBackOff", "3 (3m ago)"), summary(backOff));
        ObjectNode error = pod(spec, "{'phase': 'Pending', 'initContainerStatuses': [{'name': 'a',"
                + " 'state': {'terminated': {'exitCode': 1, 'reason': 'Error'}}}]}");
        assertEquals("Init:Error", summary(error).get(1));
        ObjectNode exitCode = pod(spec, "{'phase': 'Pending', 'initContainerStatuses': [{'name': 'a',"
                + " 'state': {'terminated': {'exitCode': 2}}}]}");
        assertEquals("Init:ExitCode:2", summary(exitCode).get(1));
        ObjectNode signal = pod(spec, "{'phase': 'Pending', 'initContainerStatuses': [{'name': 'a',"
                + " 'state': {'terminated': {'exitCode': 2, 'signal': 15}}}]}");
        assertEquals("Init:Signal:15", summary(signal).get(1));
    }

    @Test
    void sidecarsCountAsContainersOnceStarted() {
        String spec = "{'initContainers': [{'name': 'proxy', 'restartPolicy': 'Always'}],"
                + " 'containers': [{'name': 'app'}]}";
        ObjectNode pod = pod(spec, "{'phase': 'Running', 'conditions': [{'type': 'Initialized', 'status': 'True'}],"
                + " 'initContainerStatuses': [{'name': 'proxy', 'started': true, 'ready': true, 'restartCount': 1,"
                + " 'state': {'running': {}}}],"
                + " 'containerStatuses': [{'name': 'app', 'ready': true, 'restartCount': 0, 'state': {'running': {}}}]}");
        assertEquals(List.of("2/2", "Running", "1"), summary(pod));
    }

    @Test
    void succeededPodIsCompletedAndItsRowMarkedSo() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Succeeded', 'containerStatuses': [{'name': 'app',"
                + " 'state': {'terminated': {'exitCode': 0, 'reason': 'Completed'}}}]}");
        assertEquals(List.of("0/1", "Completed", "0"), summary(pod));
        assertEquals(List.of(new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully.")),
                printer.rowConditions(pod));
    }

    @Test
    void failedPodRowIsMarkedCompletedToo() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Failed', 'reason': 'Evicted', 'message': 'low on memory'}");
        assertEquals(List.of("0/1", "Evicted", "0"), summary(pod));
        assertEquals(List.of(new RowCondition("Completed", "True", "Failed", "The pod failed.")),
                printer.rowConditions(pod));
    }

    @Test
    void runningPodsHaveNoRowConditions() {
        assertEquals(List.of(), printer.rowConditions(pod(ONE_CONTAINER, "{'phase': 'Running'}")));
    }

    @Test
    void aCompletedFirstContainerWithAnotherStillRunningIsRunningOrNotReady() {
        String statuses = "'containerStatuses': ["
                + "{'name': 'app', 'state': {'terminated': {'exitCode': 0, 'reason': 'Completed'}}},"
                + "{'name': 'log', 'ready': true, 'state': {'running': {}}}]";
        ObjectNode ready = pod(TWO_CONTAINERS, "{'phase': 'Running', " + statuses
                + ", 'conditions': [{'type': 'Ready', 'status': 'True'}]}");
        assertEquals(List.of("1/2", "Running", "0"), summary(ready));
        ObjectNode notReady = pod(TWO_CONTAINERS, "{'phase': 'Running', " + statuses
                + ", 'conditions': [{'type': 'Ready', 'status': 'False'}]}");
        assertEquals(List.of("1/2", "NotReady", "0"), summary(notReady));
    }

    @Test
    void deletedPodsAreTerminatingUnlessFinishedOrTheirNodeIsLost() {
        String running = "{'phase': 'Running', 'containerStatuses': [{'name': 'app', 'ready': true,"
                + " 'state': {'running': {}}}]}";
        ObjectNode terminating = pod(ONE_CONTAINER, running);
        ((ObjectNode) terminating.get("metadata")).put("deletionTimestamp", ago("PT1S"));
        assertEquals(List.of("1/1", "Terminating", "0"), summary(terminating));

        ObjectNode lost = pod(ONE_CONTAINER, "{'phase': 'Running', 'reason': 'NodeLost'}");
        ((ObjectNode) lost.get("metadata")).put("deletionTimestamp", ago("PT1S"));
        assertEquals("Unknown", summary(lost).get(1));

        ObjectNode succeeded = pod(ONE_CONTAINER, "{'phase': 'Succeeded', 'containerStatuses': [{'name': 'app',"
                + " 'state': {'terminated': {'exitCode': 0, 'reason': 'Completed'}}}]}");
        ((ObjectNode) succeeded.get("metadata")).put("deletionTimestamp", ago("PT1S"));
        assertEquals("Completed", summary(succeeded).get(1));
    }

    @Test
    void schedulingGatedPods() {
        ObjectNode pod = pod(ONE_CONTAINER, "{'phase': 'Pending', 'conditions': [{'type': 'PodScheduled',"
                + " 'status': 'False', 'reason': 'SchedulingGated'}]}");
        assertEquals("SchedulingGated", summary(pod).get(1));
    }

    @Test
    void wideCellsShowNominatedNodeAndReadinessGates() {
        ObjectNode pod = pod("{'containers': [{'name': 'app'}], 'readinessGates': [{'conditionType': 'a/one'},"
                + " {'conditionType': 'a/two'}]}", "{'phase': 'Pending', 'nominatedNodeName': 'w2-k8s',"
                + " 'conditions': [{'type': 'a/one', 'status': 'True'}, {'type': 'a/two', 'status': 'False'}]}");
        assertEquals(List.of("<none>", "<none>", "w2-k8s", "1/2"), cells(pod).subList(5, 9));
    }
}
