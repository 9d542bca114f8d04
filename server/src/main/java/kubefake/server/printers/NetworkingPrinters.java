package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Printers of networking.k8s.io and discovery.k8s.io (ingresses, network policies, endpoint slices...). */
final class NetworkingPrinters {

    private static final List<Column> INGRESSES = List.of(
            NAME,
            string("Class", "The name of the IngressClass resource that should be used for additional configuration"),
            string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
            string("Address", "Address is a list containing ingress points for the load-balancer"),
            string("Ports", "Ports of TLS configurations that open"),
            AGE);

    private static final List<Column> INGRESS_CLASSES = List.of(
            NAME,
            string("Controller", "Controller that is responsible for handling this class"),
            string("Parameters", "A reference to a resource with additional parameters"),
            AGE);

    private static final List<Column> NETWORK_POLICIES = List.of(
            NAME,
            string("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies.  The array of ingress rules "
                    + "is applied to any pods selected by this field. Multiple network policies can select the "
                    + "same set of pods.  In this case, the ingress rules for each are combined additively. This "
                    + "field is NOT optional and follows standard label selector semantics. An empty podSelector "
                    + "matches all pods in this namespace."),
            AGE);

    private static final List<Column> SERVICE_CIDRS = List.of(
            NAME,
            string("CIDRs", "CIDRs defines the IP blocks in CIDR notation (e.g. \"192.168.0.0/24\" or \"2001:db8::/64\") "
                    + "from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP "
                    + "family. This field is immutable."),
            AGE);

    private static final List<Column> IP_ADDRESSES = List.of(
            NAME,
            string("ParentRef", "ParentRef references the resource that an IPAddress is attached to. An IPAddress must "
                    + "reference a parent object."));

    private static final List<Column> ENDPOINT_SLICES = List.of(
            NAME,
            string("AddressType", "addressType specifies the type of address carried by this EndpointSlice. All addresses in "
                    + "this slice must be the same type. This field is immutable after creation. The following "
                    + "address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: "
                    + "Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name."),
            string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice. Each "
                    + "port must have a unique name. When ports is empty, it indicates that there are no defined "
                    + "ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice "
                    + "may include a maximum of 100 ports."),
            string("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum "
                    + "of 1000 endpoints."),
            AGE);

    private NetworkingPrinters() {
    }

    static void register(TablePrinters.Registry registry) {
        registry.add("networking.k8s.io", "ingresses", new SimplePrinter(INGRESSES, (ingress, now) -> List.of(
                Fields.name(ingress),
                Fields.has(ingress, "spec", "ingressClassName")
                        ? Fields.text(ingress, "spec", "ingressClassName") : Formats.NONE,
                hosts(Fields.list(ingress, "spec", "rules")),
                ServicePrinter.loadBalancerIngress(Fields.at(ingress, "status", "loadBalancer")),
                Fields.size(ingress, "spec", "tls") > 0 ? "80, 443" : "80",
                Formats.age(ingress, now))));
        registry.add("networking.k8s.io", "ingressclasses", new SimplePrinter(INGRESS_CLASSES, (ic, now) -> {
            String parameters = Formats.NONE;
            JsonNode ref = Fields.at(ic, "spec", "parameters");
            if (Fields.has(ref)) {
                parameters = Fields.text(ref, "kind");
                if (Fields.has(ref, "apiGroup")) {
                    parameters += "." + Fields.text(ref, "apiGroup");
                }
                parameters += "/" + Fields.text(ref, "name");
            }
            return List.of(Fields.name(ic), Fields.text(ic, "spec", "controller"), parameters, Formats.age(ic, now));
        }));
        registry.add("networking.k8s.io", "networkpolicies", new SimplePrinter(NETWORK_POLICIES, (np, now) -> List.of(
                Fields.name(np), LabelSelectors.formatOrNone(Fields.at(np, "spec", "podSelector")),
                Formats.age(np, now))));
        registry.add("networking.k8s.io", "servicecidrs", new SimplePrinter(SERVICE_CIDRS, (cidr, now) -> List.of(
                Fields.name(cidr),
                Fields.list(cidr, "spec", "cidrs").stream().map(JsonNode::asText).collect(Collectors.joining(",")),
                Formats.age(cidr, now))));
        // The real server sends an Age cell here without an Age column; kubectl ignores it.
        registry.add("networking.k8s.io", "ipaddresses", new SimplePrinter(IP_ADDRESSES, (ip, now) -> List.of(
                Fields.name(ip), parentRef(Fields.at(ip, "spec", "parentRef")), Formats.age(ip, now))));
        registry.add("discovery.k8s.io", "endpointslices", new SimplePrinter(ENDPOINT_SLICES, (slice, now) -> {
            List<String> ports = new ArrayList<>();
            for (JsonNode port : Fields.list(slice, "ports")) {
                ports.add(Fields.has(port, "port") ? Long.toString(Fields.number(port, "port"))
                        : Fields.has(port, "name") ? Fields.text(port, "name") : "*");
            }
            List<String> addresses = new ArrayList<>();
            for (JsonNode endpoint : Fields.list(slice, "endpoints")) {
                Fields.list(endpoint, "addresses").forEach(address -> addresses.add(address.asText()));
            }
            return List.of(Fields.name(slice), Fields.text(slice, "addressType"), Formats.listWithMore(ports, 3),
                    Formats.listWithMore(addresses, 3), Formats.age(slice, now));
        }));
    }

    /** Up to three rule hosts, {@code *} when no rule names a host. */
    private static String hosts(List<JsonNode> rules) {
        final int max = 3;
        List<String> hosts = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (hosts.size() == max) {
                more = true;
            }
            String host = Fields.text(rule, "host");
            if (!more && !host.isEmpty()) {
                hosts.add(host);
            }
        }
        if (hosts.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", hosts);
        return more ? joined + " + " + (rules.size() - max) + " more..." : joined;
    }

    /** {@code services/default/kubernetes}: resource[.group], then namespace if any, then name. */
    private static String parentRef(JsonNode ref) {
        if (!Fields.has(ref)) {
            return Formats.NONE;
        }
        String group = Fields.text(ref, "group");
        String resource = Fields.text(ref, "resource");
        String text = (group.isEmpty() ? resource : resource + "." + group).toLowerCase(Locale.ROOT);
        String namespace = Fields.text(ref, "namespace");
        if (!namespace.isEmpty()) {
            text += "/" + namespace;
        }
        return text + "/" + Fields.text(ref, "name");
    }
}
