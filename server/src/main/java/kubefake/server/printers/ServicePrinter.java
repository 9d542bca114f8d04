package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Services: Name, Type, Cluster-IP, External-IP ({@code <none>}, {@code <pending>} for a load
 * balancer without ingress, the external name...), Port(s) ({@code 80:30080/TCP}), Age; wide:
 * Selector.
 */
final class ServicePrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(
            NAME,
            string("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are"
                    + " ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal"
                    + " IP address for load-balancing to endpoints. Endpoints are determined by the selector or if"
                    + " that is not specified, by manual construction of an Endpoints object or EndpointSlice objects."
                    + " If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set"
                    + " of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port"
                    + " on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on"
                    + " NodePort and creates an external load-balancer (if supported in the current cloud) which"
                    + " routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the"
                    + " specified externalName. Several other fields do not apply to ExternalName services. More"
                    + " info: https://kubernetes.io/docs/concepts/services-networking/service/"
                    + "#publishing-services-service-types"),
            string("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly. If an"
                    + " address is specified manually, is in-range (as per system configuration), and is not in use,"
                    + " it will be allocated to the service; otherwise creation of the service will fail. This field"
                    + " may not be changed through updates unless the type field is also being changed to"
                    + " ExternalName (which requires this field to be blank) or the type field is being changed from"
                    + " ExternalName (in which case this field may optionally be specified, as describe above).  Valid"
                    + " values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\""
                    + " makes a \"headless service\" (no virtual IP), which is useful when direct endpoint"
                    + " connections are preferred and proxying is not required.  Only applies to types ClusterIP,"
                    + " NodePort, and LoadBalancer. If this field is specified when creating a Service of type"
                    + " ExternalName, creation will fail. This field will be wiped when updating a Service to type"
                    + " ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/"
                    + "#virtual-ips-and-service-proxies"),
            string("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also"
                    + " accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is"
                    + " responsible for ensuring that traffic arrives at a node with this IP.  A common example is"
                    + " external load-balancers that are not part of the Kubernetes system."),
            string("Port(s)", "The list of ports that are exposed by this service. More info:"
                    + " https://kubernetes.io/docs/concepts/services-networking/service/"
                    + "#virtual-ips-and-service-proxies"),
            AGE,
            wide("Selector", "Route service traffic to pods with label keys and values matching this selector. If"
                    + " empty or not present, the service is assumed to have an external process managing its"
                    + " endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and"
                    + " LoadBalancer. Ignored if type is ExternalName. More info:"
                    + " https://kubernetes.io/docs/concepts/services-networking/service/"));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode service, Instant now) {
        List<JsonNode> clusterIPs = Fields.list(service, "spec", "clusterIPs");
        String clusterIP = clusterIPs.isEmpty() ? Fields.text(service, "spec", "clusterIP") : clusterIPs.get(0).asText();
        String ports = ports(service);
        return List.of(
                Fields.name(service),
                Fields.text(service, "spec", "type"),
                clusterIP.isEmpty() ? Formats.NONE : clusterIP,
                externalIP(service),
                ports.isEmpty() ? Formats.NONE : ports,
                Formats.age(service, now),
                Formats.labels(Fields.stringMap(service, "spec", "selector")));
    }

    private static String externalIP(JsonNode service) {
        List<String> externalIPs = new ArrayList<>();
        Fields.list(service, "spec", "externalIPs").forEach(ip -> externalIPs.add(ip.asText()));
        switch (Fields.text(service, "spec", "type")) {
            case "ClusterIP", "NodePort" -> {
                return externalIPs.isEmpty() ? Formats.NONE : String.join(",", externalIPs);
            }
            case "LoadBalancer" -> {
                // The server prints wide rows, so the load balancer list is never clipped.
                String lbIPs = loadBalancerIngress(Fields.at(service, "status", "loadBalancer"));
                if (!externalIPs.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lbIPs.isEmpty()) {
                        all.addAll(List.of(lbIPs.split(",")));
                    }
                    all.addAll(externalIPs);
                    return String.join(",", all);
                }
                return lbIPs.isEmpty() ? "<pending>" : lbIPs;
            }
            case "ExternalName" -> {
                return Fields.text(service, "spec", "externalName");
            }
            default -> {
                return Formats.UNKNOWN;
            }
        }
    }

    /** The IPs (or else hostnames) of a load balancer status, sorted and without duplicates. */
    static String loadBalancerIngress(JsonNode loadBalancerStatus) {
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode ingress : Fields.list(loadBalancerStatus, "ingress")) {
            String ip = Fields.text(ingress, "ip");
            String hostname = Fields.text(ingress, "hostname");
            if (!ip.isEmpty()) {
                addresses.add(ip);
            } else if (!hostname.isEmpty()) {
                addresses.add(hostname);
            }
        }
        return String.join(",", addresses);
    }

    private static String ports(JsonNode service) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode port : Fields.list(service, "spec", "ports")) {
            long nodePort = Fields.number(port, "nodePort");
            String protocol = Fields.text(port, "protocol");
            long number = Fields.number(port, "port");
            pieces.add(nodePort > 0 ? number + ":" + nodePort + "/" + protocol : number + "/" + protocol);
        }
        return String.join(",", pieces);
    }
}
