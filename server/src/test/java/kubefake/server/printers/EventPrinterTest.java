package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventPrinterTest {

    private final TablePrinter core = TablePrinters.forResource("", "events");
    private final TablePrinter eventsV1 = TablePrinters.forResource("events.k8s.io", "events");

    @Test
    void repeatedCoreEvent() {
        String event = "{'metadata': {'name': 'web.1'}, 'type': 'Warning', 'reason': 'BackOff',"
                + " 'involvedObject': {'kind': 'Pod', 'name': 'web', 'fieldPath': 'spec.containers{app}'},"
                + " 'source': {'component': 'kubelet', 'host': 'w1-k8s'}, 'message': ' Back-off restarting \\n',"
                + " 'firstTimestamp': '" + ago("PT10M") + "', 'lastTimestamp': '" + ago("PT30S") + "', 'count': 7}";
        assertEquals(List.of("30s", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, w1-k8s",
                "Back-off restarting", "10m", 7L, "web.1"), core.cells(json(event), NOW));
    }

    @Test
    void newStyleEventUsesEventTimeSeriesAndReportingController() {
        String event = "{'metadata': {'name': 'web.2'}, 'type': 'Normal', 'reason': 'Scheduled',"
                + " 'involvedObject': {'kind': 'Pod', 'name': 'web'}, 'source': {}, 'message': 'assigned',"
                + " 'eventTime': '2026-11-22T11:57:59.123456Z', 'reportingComponent': 'default-scheduler',"
                + " 'reportingInstance': 'default-scheduler-m'}";
        assertEquals(List.of("2m", "Normal", "Scheduled", "pod/web", "", "default-scheduler, default-scheduler-m",
                "assigned", "2m", 1L, "web.2"), core.cells(json(event), NOW));
        String series = event.replace("'source': {}", "'series': {'count': 4, 'lastObservedTime': '"
                + ago("PT5S") + "'}");
        assertEquals(List.of("5s", 4L), List.of(core.cells(json(series), NOW).get(0), core.cells(json(series), NOW).get(8)));
    }

    @Test
    void eventsOfTheEventsApiGroupPrintTheSame() {
        String event = "{'metadata': {'name': 'node.1'}, 'type': 'Normal', 'reason': 'RegisteredNode',"
                + " 'regarding': {'kind': 'Node', 'name': 'w1-k8s'}, 'note': 'registered',"
                + " 'reportingController': 'node-controller', 'deprecatedSource': {'component': 'node-controller'},"
                + " 'deprecatedFirstTimestamp': '" + ago("PT1H") + "', 'deprecatedLastTimestamp': '" + ago("PT1H") + "',"
                + " 'deprecatedCount': 2}";
        assertEquals(List.of("60m", "Normal", "RegisteredNode", "node/w1-k8s", "", "node-controller", "registered",
                "60m", 2L, "node.1"), eventsV1.cells(json(event), NOW));
    }

    @Test
    void eventAboutAKindWithoutName() {
        String event = "{'metadata': {'name': 'e'}, 'involvedObject': {'kind': 'Cluster'}}";
        assertEquals(List.of("<unknown>", "cluster", "<unknown>"),
                List.of(core.cells(json(event), NOW).get(0), core.cells(json(event), NOW).get(3),
                        core.cells(json(event), NOW).get(7)));
    }
}
