package kubefake.server.printers;

import static kubefake.server.printers.TestObjects.NOW;
import static kubefake.server.printers.TestObjects.ago;
import static kubefake.server.printers.TestObjects.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkingPrintersTest {

    private static final String META = "'metadata': {'name': 'x', 'creationTimestamp': '" + ago("PT4M") + "'}";

    private static List<Object> cells(String group, String resource, String object) {
        return TablePrinters.forResource(group, resource).cells(json(object), NOW);
    }

    @Test
    void ingresses() {
        String ingress = "{" + META + ", 'spec': {'ingressClassName': 'nginx', 'tls': [{'hosts': ['a.example.com']}],"
                + " 'rules': [{'host': 'a.example.com'}, {'host': 'b.example.com'}]}, 'status': {'loadBalancer':"
                + " {'ingress': [{'ip': '192.168.1.11'}]}}}";
        assertEquals(List.of("x", "nginx", "a.example.com,b.example.com", "192.168.1.11", "80, 443", "4m"),
                cells("networking.k8s.io", "ingresses", ingress));
        String catchAll = "{" + META + ", 'spec': {'rules': [{'http': {}}]}}";
        assertEquals(List.of("x", "<none>", "*", "", "80", "4m"), cells("networking.k8s.io", "ingresses", catchAll));
        String many = "{" + META + ", 'spec': {'rules': [{'host': 'a'}, {'host': 'b'}, {'host': 'c'}, {'host': 'd'},"
                + " {'host': 'e'}]}}";
        assertEquals("a,b,c + 2 more...", cells("networking.k8s.io", "ingresses", many).get(2));
    }

    @Test
    void ingressClassesAndNetworkPolicies() {
        assertEquals(List.of("x", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/params", "4m"),
                cells("networking.k8s.io", "ingressclasses", "{" + META + ", 'spec': {'controller':"
                        + " 'k8s.io/ingress-nginx', 'parameters': {'apiGroup': 'k8s.example.com', 'kind':"
                        + " 'IngressParameters', 'name': 'params'}}}"));
        assertEquals(List.of("x", "<none>", "4m"), cells("networking.k8s.io", "networkpolicies",
                "{" + META + ", 'spec': {'podSelector': {}}}"));
        assertEquals("role=db", cells("networking.k8s.io", "networkpolicies",
                "{" + META + ", 'spec': {'podSelector': {'matchLabels': {'role': 'db'}}}}").get(1));
    }

    @Test
    void endpointSlices() {
        String slice = "{" + META + ", 'addressType': 'IPv4', 'ports': [{'name': 'http', 'port': 80}, {'name': 'dns'},"
                + " {}, {'port': 9000}], 'endpoints': [{'addresses': ['10.0.0.1']}, {'addresses': ['10.0.0.2']}]}";
        assertEquals(List.of("x", "IPv4", "80,dns,* + 1 more...", "10.0.0.1,10.0.0.2", "4m"),
                cells("discovery.k8s.io", "endpointslices", slice));
        assertEquals(List.of("<unset>", "<unset>"),
                cells("discovery.k8s.io", "endpointslices", "{" + META + ", 'addressType': 'IPv4'}").subList(2, 4));
    }

    @Test
    void serviceCIDRsAndIPAddresses() {
        assertEquals(List.of("x", "10.96.0.0/12,fd00::/108", "4m"), cells("networking.k8s.io", "servicecidrs",
                "{" + META + ", 'spec': {'cidrs': ['10.96.0.0/12', 'fd00::/108']}}"));
        assertEquals(List.of("x", "services/default/kubernetes", "4m"), cells("networking.k8s.io", "ipaddresses",
                "{" + META + ", 'spec': {'parentRef': {'group': '', 'resource': 'services', 'namespace': 'default',"
                        + " 'name': 'kubernetes'}}}"));
    }
}
