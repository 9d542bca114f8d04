package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** networking.k8s.io/v1 objects created through the registry as a client posts them: defaults and the 422 messages. */
class NetworkingValidationTest {
    private final Registry registry = new Registry(new MemoryKeyValueStore(), Clock.fixed(Instant.parse("2026-12-06T10:00:30Z"),
            ZoneOffset.UTC), ResourceCatalogue.builtIn());
    private final ResourceStore ingresses = registry.resource("networking.k8s.io", "ingresses");
    private final ResourceStore classes = registry.resource("networking.k8s.io", "ingressclasses");
    private final ResourceStore policies = registry.resource("networking.k8s.io", "networkpolicies");
    private final ResourceStore cidrs = registry.resource("networking.k8s.io", "servicecidrs");
    private final ResourceStore addresses = registry.resource("networking.k8s.io", "ipaddresses");

    NetworkingValidationTest() {
        registry.resource("", "namespaces").create("", parse("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'lab'}}"),
                RequestContext.LOOPBACK);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode ingress(String spec) {
        return parse("{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'web'},'spec':{" + spec + "}}");
    }

    private static String rule(String host, String path) {
        return "'rules':[{" + host + "'http':{'paths':[{" + path + "}]}}]";
    }

    private static ObjectNode policy(String spec) {
        return parse("{'apiVersion':'networking.k8s.io/v1','kind':'NetworkPolicy','metadata':{'name':'deny'},'spec':{" + spec + "}}");
    }

    private String refused(ResourceStore store, String namespace, ObjectNode object) {
        StatusException e = assertThrows(StatusException.class, () -> store.create(namespace, object, RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        return e.getMessage();
    }

    @Test
    void anIngressNeedsRulesOrADefaultBackend() {
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: spec: Invalid value: []networking.IngressRule(nil): "
                + "either `defaultBackend` or `rules` must be specified", refused(ingresses, "lab", ingress("")));
    }

    @Test
    void aPathNeedsItsTypeAndAnAbsolutePathAndABackendPort() {
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: "
                        + "pathType must be specified",
                refused(ingresses, "lab", ingress(rule("", "'path':'/','backend':{'service':{'name':'web','port':{'number':80}}}"))));
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: [spec.rules[0].http.paths[0].path: Invalid value: \"app\": "
                        + "must be an absolute path, spec.rules[0].http.paths[0].backend: Required value: port name or number is required]",
                refused(ingresses, "lab", ingress(rule("", "'path':'app','pathType':'Prefix','backend':{'service':{'name':'web'}}"))));
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: "
                        + "\"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
                refused(ingresses, "lab", ingress(rule("", "'path':'/','pathType':'Regex','backend':{'service':{'name':'web','port':{'number':80}}}"))));
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].http.paths[0].backend.service.name: Invalid value: "
                        + "\"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                        + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used "
                        + "for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                refused(ingresses, "lab", ingress(rule("", "'path':'/','pathType':'Prefix','backend':{'service':{'name':'1web','port':{'number':80}}}"))));
    }

    @Test
    void hostsAreDnsNamesOrWildcardsNotAddresses() {
        String backend = "'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}";
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].host: Invalid value: \"10.0.0.1\": "
                + "must be a DNS name, not an IP address", refused(ingresses, "lab", ingress(rule("'host':'10.0.0.1',", backend))));
        assertEquals("Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].host: Invalid value: \"*foo.com\": a wildcard "
                        + "DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower "
                        + "case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', "
                        + "regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                refused(ingresses, "lab", ingress(rule("'host':'*foo.com',", backend))));
        ingresses.create("lab", ingress(rule("'host':'*.foo.com',", backend)), RequestContext.LOOPBACK);
    }

    @Test
    void theDefaultIngressClassIsTheNewestMarkedOne() {
        String backend = "'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}";
        ObjectNode created = ingresses.create("lab", ingress(rule("", backend)), RequestContext.LOOPBACK).toNode();
        assertEquals("", created.path("spec").path("ingressClassName").asText(""));
        classes.create("", parse("{'apiVersion':'networking.k8s.io/v1','kind':'IngressClass','metadata':{'name':'nginx',"
                + "'annotations':{'ingressclass.kubernetes.io/is-default-class':'true'}},'spec':{'controller':'k8s.io/ingress-nginx'}}"),
                RequestContext.LOOPBACK);
        ObjectNode second = ingress(rule("", backend));
        second.with("metadata").put("name", "web2");
        assertEquals("nginx", ingresses.create("lab", second, RequestContext.LOOPBACK).toNode().path("spec").path("ingressClassName").asText());
        ObjectNode annotated = ingress(rule("", backend));
        annotated.with("metadata").put("name", "web3").putObject("annotations").put("kubernetes.io/ingress.class", "traefik");
        assertEquals("", ingresses.create("lab", annotated, RequestContext.LOOPBACK).toNode().path("spec").path("ingressClassName").asText(""));
    }

    @Test
    void anIngressClassNamesADomainPrefixedControllerThatCannotChange() {
        assertEquals("IngressClass.networking.k8s.io \"nginx\" is invalid: spec.controller: Invalid value: \"nginx\": "
                        + "must be a domain-prefixed path (such as \"acme.io/foo\")",
                refused(classes, "", parse("{'apiVersion':'networking.k8s.io/v1','kind':'IngressClass','metadata':{'name':'nginx'},"
                        + "'spec':{'controller':'nginx'}}")));
        ObjectNode created = classes.create("", parse("{'apiVersion':'networking.k8s.io/v1','kind':'IngressClass','metadata':"
                + "{'name':'nginx'},'spec':{'controller':'k8s.io/ingress-nginx','parameters':{'kind':'IngressParameters','name':'p'}}}"),
                RequestContext.LOOPBACK).toNode();
        assertEquals("Cluster", created.path("spec").path("parameters").path("scope").asText());
        ObjectNode changed = created.deepCopy();
        changed.with("spec").put("controller", "example.com/other");
        StatusException e = assertThrows(StatusException.class, () -> classes.update("", "nginx", changed, RequestContext.LOOPBACK));
        assertEquals("IngressClass.networking.k8s.io \"nginx\" is invalid: spec.controller: Invalid value: \"example.com/other\": "
                + "field is immutable", e.getMessage());
    }

    @Test
    void aNetworkPolicyIsDefaultedAndItsPeersAndBlocksChecked() {
        ObjectNode created = policies.create("lab", policy("'podSelector':{},'egress':[{'ports':[{'port':53}]}]"),
                RequestContext.LOOPBACK).toNode();
        assertEquals("[\"Ingress\",\"Egress\"]", created.path("spec").path("policyTypes").toString());
        assertEquals("TCP", created.path("spec").path("egress").path(0).path("ports").path(0).path("protocol").asText());
        assertEquals("NetworkPolicy.networking.k8s.io \"deny\" is invalid: spec.ingress[0].from[0]: Required value: must specify a peer",
                refused(policies, "lab", policy("'podSelector':{},'ingress':[{'from':[{}]}]")));
        assertEquals("NetworkPolicy.networking.k8s.io \"deny\" is invalid: [spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "
                        + "\"10.1.0.0/16\": must be a strict subset of `cidr`, spec.ingress[0].from[0]: Forbidden: may not specify "
                        + "both ipBlock and another peer]",
                refused(policies, "lab", policy("'podSelector':{},'ingress':[{'from':[{'podSelector':{},"
                        + "'ipBlock':{'cidr':'10.0.0.0/16','except':['10.1.0.0/16']}}]}]")));
        assertEquals("NetworkPolicy.networking.k8s.io \"deny\" is invalid: spec.egress[0].to[0].ipBlock.cidr: Invalid value: "
                        + "\"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                refused(policies, "lab", policy("'podSelector':{},'egress':[{'to':[{'ipBlock':{'cidr':'10.0.0.0/33'}}]}]")));
        assertEquals("NetworkPolicy.networking.k8s.io \"deny\" is invalid: [spec.ingress[0].ports[0].endPort: Invalid value: 80: "
                        + "must be greater than or equal to `port`, spec.policyTypes[0]: Unsupported value: \"ingress\": supported "
                        + "values: \"Ingress\", \"Egress\"]",
                refused(policies, "lab", policy("'podSelector':{},'policyTypes':['ingress'],'ingress':[{'ports':[{'port':90,'endPort':80}]}]")));
    }

    @Test
    void serviceCidrsAndIpAddresses() {
        assertEquals("ServiceCIDR.networking.k8s.io \"extra\" is invalid: spec.cidrs: Required value: at least one CIDR required",
                refused(cidrs, "", parse("{'apiVersion':'networking.k8s.io/v1','kind':'ServiceCIDR','metadata':{'name':'extra'},'spec':{}}")));
        assertEquals("IPAddress.networking.k8s.io \"web\" is invalid: [metadata.name: Invalid value: \"web\": must be a valid IP "
                        + "address, (e.g. 10.9.8.7 or 2001:db8::ffff), spec.parentRef: Required value]",
                refused(addresses, "", parse("{'apiVersion':'networking.k8s.io/v1','kind':'IPAddress','metadata':{'name':'web'},'spec':{}}")));
        addresses.create("", parse("{'apiVersion':'networking.k8s.io/v1','kind':'IPAddress','metadata':{'name':'10.96.0.20',"
                + "'labels':{'ipaddress.kubernetes.io/ip-family':'IPv4','ipaddress.kubernetes.io/managed-by':'ipallocator.k8s.io'}},"
                + "'spec':{'parentRef':{'resource':'services','namespace':'lab','name':'web'}}}"), RequestContext.LOOPBACK);
        // an address a user's IPAddress takes is not free for a Service
        addresses.create("", parse("{'apiVersion':'networking.k8s.io/v1','kind':'IPAddress','metadata':{'name':'10.96.0.30'},"
                + "'spec':{'parentRef':{'group':'example.com','resource':'gateways','name':'gw'}}}"), RequestContext.LOOPBACK);
        assertEquals("Service \"web\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.30\"}: failed to allocate IP "
                        + "10.96.0.30: provided IP is already allocated",
                refused(registry.resource("", "services"), "lab", parse("{'apiVersion':'v1','kind':'Service','metadata':{'name':'web'},"
                        + "'spec':{'clusterIP':'10.96.0.30','ports':[{'port':80}]}}")));
    }
}
