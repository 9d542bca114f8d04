package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RBAC, certificates, admission, leases, priority classes, API priority and fairness, API services. */
class ClusterPrintersTest {

    private static final String META = "'metadata': {'name': 'x', 'creationTimestamp': '" + ago("PT6H") + "'}";

    private static List<Object> cells(String group, String resource, String object) {
        return TablePrinters.forResource(group, resource).cells(json(object), NOW);
    }

    @Test
    void bindingsListTheirSubjectsByKind() {
        String binding = "{" + META + ", 'roleRef': {'kind': 'ClusterRole', 'name': 'view'}, 'subjects': ["
                + "{'kind': 'User', 'name': 'alice'}, {'kind': 'Group', 'name': 'dev'},"
                + " {'kind': 'ServiceAccount', 'namespace': 'ci', 'name': 'runner'}, {'kind': 'User', 'name': 'bob'}]}";
        assertEquals(List.of("x", "ClusterRole/view", "6h", "alice, bob", "dev", "ci/runner"),
                cells("rbac.authorization.k8s.io", "rolebindings", binding));
        assertEquals(List.of("x", "ClusterRole/view", "6h", "", "", ""),
                cells("rbac.authorization.k8s.io", "clusterrolebindings",
                        "{" + META + ", 'roleRef': {'kind': 'ClusterRole', 'name': 'view'}}"));
    }

    @Test
    void rolesUseTheDefaultTable() {
        assertEquals(List.of("Name", "Created At"), TablePrinters.forResource("rbac.authorization.k8s.io", "roles")
                .columns().stream().map(Column::name).toList());
    }

    @Test
    void certificateSigningRequests() {
        String csr = "{" + META + ", 'spec': {'signerName': 'kubernetes.io/kube-apiserver-client', 'username': 'admin',"
                + " 'expirationSeconds': 86400}, 'status': {'conditions': [{'type': 'Approved', 'status': 'True'}],"
                + " 'certificate': 'AA=='}}";
        assertEquals(List.of("x", "6h", "kubernetes.io/kube-apiserver-client", "admin", "24h", "Approved,Issued"),
                cells("certificates.k8s.io", "certificatesigningrequests", csr));
        assertEquals(List.of("<none>", "", "<none>", "Pending"),
                cells("certificates.k8s.io", "certificatesigningrequests", "{" + META + "}").subList(2, 6));
    }

    @Test
    void admissionConfigurations() {
        assertEquals(List.of("x", 2L, "6h"), cells("admissionregistration.k8s.io", "mutatingwebhookconfigurations",
                "{" + META + ", 'webhooks': [{'name': 'a'}, {'name': 'b'}]}"));
        assertEquals(List.of("x", 1L, "v1/ConfigMap", "6h"), cells("admissionregistration.k8s.io",
                "validatingadmissionpolicies", "{" + META + ", 'spec': {'paramKind': {'apiVersion': 'v1', 'kind':"
                        + " 'ConfigMap'}, 'validations': [{'expression': 'true'}]}}"));
        assertEquals(List.of("x", "policy", "*/params", "6h"), cells("admissionregistration.k8s.io",
                "validatingadmissionpolicybindings", "{" + META + ", 'spec': {'policyName': 'policy',"
                        + " 'paramRef': {'name': 'params'}}}"));
    }

    @Test
    void controlPlaneObjects() {
        assertEquals(List.of("x", "w1-k8s", "6h"), cells("coordination.k8s.io", "leases",
                "{" + META + ", 'spec': {'holderIdentity': 'w1-k8s'}}"));
        assertEquals(List.of("x", 1000L, true, "6h", "Never"), cells("scheduling.k8s.io", "priorityclasses",
                "{" + META + ", 'value': 1000, 'globalDefault': true, 'preemptionPolicy': 'Never'}"));
        assertEquals(List.of("x", "runc", "6h"), cells("node.k8s.io", "runtimeclasses", "{" + META + ", 'handler': 'runc'}"));
        assertEquals(List.of("x", "exempt", 1L, "<none>", "6h", "False"), cells("flowcontrol.apiserver.k8s.io",
                "flowschemas", "{" + META + ", 'spec': {'priorityLevelConfiguration': {'name': 'exempt'},"
                        + " 'matchingPrecedence': 1}, 'status': {'conditions': [{'type': 'Dangling', 'status': 'False'}]}}"));
        assertEquals(List.of("x", "Limited", 20L, 128L, 6L, 50L, "6h"), cells("flowcontrol.apiserver.k8s.io",
                "prioritylevelconfigurations", "{" + META + ", 'spec': {'type': 'Limited', 'limited': {"
                        + "'nominalConcurrencyShares': 20, 'limitResponse': {'type': 'Queue', 'queuing': {'queues': 128,"
                        + " 'handSize': 6, 'queueLengthLimit': 50}}}}}"));
        assertEquals(List.of("x", "Exempt", "<none>", "<none>", "<none>", "<none>", "6h"),
                cells("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations",
                        "{" + META + ", 'spec': {'type': 'Exempt', 'exempt': {}}}"));
    }

    @Test
    void flowSchemasAreSortedByMatchingPrecedenceThenNameLikeTheRecording() {
        JsonNode recorded = Reference.tables().stream()
                .filter(t -> t.resource().equals("flowschemas")).findFirst().orElseThrow().table();
        List<ObjectNode> objects = new ArrayList<>();
        List<String> recordedOrder = new ArrayList<>();
        for (JsonNode row : recorded.path("rows")) {
            String name = row.path("cells").get(0).asText();
            recordedOrder.add(name);
            objects.add(json("{'metadata': {'name': '" + name + "'}, 'spec': {'matchingPrecedence': "
                    + row.path("cells").get(2).asLong() + "}}"));
        }
        objects.sort(Comparator.comparing(Fields::name).reversed());
        TablePrinter printer = TablePrinters.forResource("flowcontrol.apiserver.k8s.io", "flowschemas");
        assertEquals(recordedOrder, printer.rowOrder(objects).stream().map(Fields::name).toList());
        assertEquals(recordedOrder, Tables.table(printer, objects, NOW, Tables.IncludeObject.NONE, true)
                .path("rows").findValues("cells").stream().map(cells -> cells.get(0).asText()).toList());
    }

    @Test
    void apiServices() {
        assertEquals(List.of("x", "Local", "True", "6h"), cells("apiregistration.k8s.io", "apiservices",
                "{" + META + ", 'status': {'conditions': [{'type': 'Available', 'status': 'True'}]}}"));
        assertEquals(List.of("x", "kube-system/metrics-server", "False (MissingEndpoints)", "6h"),
                cells("apiregistration.k8s.io", "apiservices", "{" + META + ", 'spec': {'service': {'namespace':"
                        + " 'kube-system', 'name': 'metrics-server'}}, 'status': {'conditions': [{'type': 'Available',"
                        + " 'status': 'False', 'reason': 'MissingEndpoints'}]}}"));
        assertEquals("Unknown", cells("apiregistration.k8s.io", "apiservices", "{" + META + "}").get(2));
    }
}
