package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorePrintersTest {

    private static final String META = "'metadata': {'name': 'x', 'creationTimestamp': '" + ago("PT10S") + "'}";

    private static List<Object> cells(String resource, String object) {
        return TablePrinters.forResource("", resource).cells(json(object), NOW);
    }

    @Test
    void endpointsShowThreeAddressesThenHowManyMore() {
        String addresses = "[{'ip': '10.0.0.1'}, {'ip': '10.0.0.2'}]";
        String endpoints = "{" + META + ", 'subsets': [{'addresses': " + addresses + ", 'ports': [{'port': 80},"
                + " {'port': 443}]}]}";
        assertEquals(List.of("x", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...", "10s"), cells("endpoints", endpoints));
    }

    @Test
    void endpointsWithoutPortsOrSubsetsOrOfIPv6() {
        assertEquals("10.0.0.1,10.0.0.2", cells("endpoints", "{" + META + ", 'subsets': [{'addresses': [{'ip': '10.0.0.1'},"
                + " {'ip': '10.0.0.2'}]}]}").get(1));
        assertEquals("<none>", cells("endpoints", "{" + META + "}").get(1));
        assertEquals("[fd00::1]:8080", cells("endpoints", "{" + META + ", 'subsets': [{'addresses': [{'ip': 'fd00::1'}],"
                + " 'ports': [{'port': 8080}]}]}").get(1));
    }

    @Test
    void configMapsSecretsAndServiceAccountsCountTheirEntries() {
        assertEquals(List.of("x", 3L, "10s"), cells("configmaps", "{" + META + ", 'data': {'a': '1', 'b': '2'},"
                + " 'binaryData': {'c': 'AA=='}}"));
        assertEquals(List.of("x", "kubernetes.io/tls", 2L, "10s"), cells("secrets", "{" + META + ", 'type':"
                + " 'kubernetes.io/tls', 'data': {'tls.crt': 'AA==', 'tls.key': 'AA=='}}"));
        assertEquals(List.of("x", 0L, "10s"), cells("serviceaccounts", "{" + META + "}"));
    }

    @Test
    void namespacesShowTheirPhase() {
        assertEquals(List.of("x", "Terminating", "10s"), cells("namespaces", "{" + META + ", 'status': {'phase':"
                + " 'Terminating'}}"));
    }

    @Test
    void resourceQuotasSplitRequestsFromLimits() {
        String quota = "{" + META + ", 'status': {'hard': {'pods': '10', 'limits.cpu': '2', 'requests.memory': '1Gi',"
                + " 'limits.memory': '2Gi'}, 'used': {'pods': '3', 'limits.cpu': '500m', 'limits.memory': '256Mi'}}}";
        assertEquals(List.of("x", "pods: 3/10, requests.memory: 0/1Gi", "limits.cpu: 500m/2, limits.memory: 256Mi/2Gi",
                "10s"), cells("resourcequotas", quota));
    }

    @Test
    void podTemplatesAndComponentStatuses() {
        assertEquals(List.of("x", "a,b", "nginx,busybox", "app=web"), cells("podtemplates", "{" + META + ", 'template':"
                + " {'metadata': {'labels': {'app': 'web'}}, 'spec': {'containers': [{'name': 'a', 'image': 'nginx'},"
                + " {'name': 'b', 'image': 'busybox'}]}}}"));
        assertEquals(List.of("etcd-0", "Healthy", "ok", ""), cells("componentstatuses", "{'metadata': {'name': 'etcd-0'},"
                + " 'conditions': [{'type': 'Healthy', 'status': 'True', 'message': 'ok'}]}"));
        assertEquals(List.of("scheduler", "Unhealthy", "", "refused"), cells("componentstatuses", "{'metadata': {'name':"
                + " 'scheduler'}, 'conditions': [{'type': 'Healthy', 'status': 'False', 'error': 'refused'}]}"));
    }

    @Test
    void resourcesWithoutAPrinterGetNameAndCreatedAt() {
        TablePrinter limitRanges = TablePrinters.forResource("", "limitranges");
        assertEquals(List.of("Name", "Created At"), limitRanges.columns().stream().map(Column::name).toList());
        assertEquals(List.of("x", "2026-11-22T11:59:50Z"), limitRanges.cells(json("{'metadata': {'name': 'x',"
                + " 'creationTimestamp': '2026-11-22T11:59:50Z'}}"), NOW));
        assertEquals(TablePrinters.defaultPrinter(), TablePrinters.forResource("example.com", "widgets"));
    }
}
