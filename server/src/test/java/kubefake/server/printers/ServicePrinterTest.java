package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServicePrinterTest {

    private final TablePrinter printer = TablePrinters.forResource("", "services");

    private List<Object> cells(String spec, String status) {
        return printer.cells(json("{'metadata': {'name': 'web', 'creationTimestamp': '" + ago("PT2H") + "'},"
                + " 'spec': " + spec + ", 'status': " + status + "}"), NOW);
    }

    @Test
    void clusterIPService() {
        assertEquals(List.of("web", "ClusterIP", "10.96.0.20", "<none>", "80/TCP,443/TCP", "120m", "app=web,tier=front"),
                cells("{'type': 'ClusterIP', 'clusterIP': '10.96.0.20', 'clusterIPs': ['10.96.0.20'],"
                        + " 'selector': {'tier': 'front', 'app': 'web'}, 'ports': [{'port': 80, 'protocol': 'TCP'},"
                        + " {'port': 443, 'protocol': 'TCP'}]}", "{}"));
    }

    @Test
    void nodePortServiceShowsBothPorts() {
        List<Object> cells = cells("{'type': 'NodePort', 'clusterIPs': ['10.111.226.197'], 'ports': [{'port': 80,"
                + " 'nodePort': 30080, 'protocol': 'TCP'}], 'externalIPs': ['1.2.3.4']}", "{}");
        assertEquals(List.of("NodePort", "10.111.226.197", "1.2.3.4", "80:30080/TCP"), cells.subList(1, 5));
    }

    @Test
    void loadBalancerIsPendingUntilItHasAnIngress() {
        String spec = "{'type': 'LoadBalancer', 'clusterIPs': ['10.96.0.30'], 'ports': [{'port': 80, 'nodePort': 31000,"
                + " 'protocol': 'TCP'}]}";
        assertEquals("<pending>", cells(spec, "{'loadBalancer': {}}").get(3));
        assertEquals("192.168.1.240,lb.example.com", cells(spec, "{'loadBalancer': {'ingress': ["
                + "{'hostname': 'lb.example.com'}, {'ip': '192.168.1.240'}]}}").get(3));
        String withExternal = spec.replace("'ports'", "'externalIPs': ['5.6.7.8'], 'ports'");
        assertEquals("192.168.1.240,5.6.7.8",
                cells(withExternal, "{'loadBalancer': {'ingress': [{'ip': '192.168.1.240'}]}}").get(3));
    }

    @Test
    void externalNameAndHeadlessServices() {
        assertEquals(List.of("ExternalName", "<none>", "db.example.com", "<none>"),
                cells("{'type': 'ExternalName', 'externalName': 'db.example.com'}", "{}").subList(1, 5));
        assertEquals(List.of("ClusterIP", "None", "<none>", "<none>"),
                cells("{'type': 'ClusterIP', 'clusterIP': 'None', 'clusterIPs': ['None']}", "{}").subList(1, 5));
        assertEquals("<none>", cells("{'type': 'ClusterIP'}", "{}").get(6));
    }
}
