package kubefake.nodesim.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policies' verdicts on connections between the lab's pods, as Calico enforces them. */
class NetworkPoliciesTest {
    private final List<JsonNode> policies = new ArrayList<>();
    private final Map<String, JsonNode> namespaces = Map.of(
            "shop", parse("{'team':'shop'}"), "tools", parse("{'team':'tools','kubernetes.io/metadata.name':'tools'}"));
    private final NetworkPolicies network = new NetworkPolicies(policies, namespaces::get);

    private final JsonNode web = pod("shop", "web-1", "w1-k8s", "172.16.221.129", "{'app':'web'}");
    private final JsonNode db = pod("shop", "db-1", "w2-k8s", "172.16.103.129", "{'app':'db'}");
    private final JsonNode client = pod("shop", "client", "w2-k8s", "172.16.103.130", "{'access':'true'}");
    private final JsonNode debug = pod("tools", "debug", "w3-k8s", "172.16.132.1", "{'role':'debug'}");

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode pod(String ns, String name, String node, String ip, String labels) {
        return parse("{'metadata':{'namespace':'" + ns + "','name':'" + name + "','labels':" + labels + "},"
                + "'spec':{'nodeName':'" + node + "','containers':[{'name':'c','ports':[{'name':'http','containerPort':80}]}]},"
                + "'status':{'podIP':'" + ip + "'}}");
    }

    private void policy(String ns, String spec) {
        policies.add(parse("{'metadata':{'namespace':'" + ns + "','name':'p" + policies.size() + "'},'spec':{" + spec + "}}"));
    }

    private boolean allowed(JsonNode from, JsonNode to, int port) {
        return network.allows(NetworkPolicies.Peer.pod(from), NetworkPolicies.Peer.pod(to), port, "TCP");
    }

    @Test
    void withoutPoliciesEverythingFlows() {
        assertTrue(allowed(client, web, 80));
        assertTrue(allowed(debug, db, 5432));
    }

    @Test
    void aDenyAllIngressPolicyIsolatesEveryPodOfItsNamespaceOnly() {
        policy("shop", "'podSelector':{},'policyTypes':['Ingress']");
        assertFalse(allowed(client, web, 80));
        assertFalse(allowed(debug, web, 80));
        assertTrue(allowed(web, debug, 80)); // tools is not isolated, and shop's egress is not
    }

    @Test
    void anIngressRuleAllowsPodsByLabelsNamespaceAndPort() {
        policy("shop", "'podSelector':{'matchLabels':{'app':'web'}},'policyTypes':['Ingress'],"
                + "'ingress':[{'from':[{'podSelector':{'matchLabels':{'access':'true'}}}],'ports':[{'protocol':'TCP','port':80}]}]");
        assertTrue(allowed(client, web, 80));
        assertFalse(allowed(client, web, 8080));
        assertFalse(allowed(db, web, 80));
        assertFalse(allowed(debug, web, 80)); // a podSelector alone means the policy's namespace
        assertTrue(allowed(debug, db, 80)); // db is not selected
    }

    @Test
    void aNamespaceSelectorWithAPodSelectorNeedsBoth() {
        policy("shop", "'podSelector':{'matchLabels':{'app':'web'}},"
                + "'ingress':[{'from':[{'namespaceSelector':{'matchLabels':{'team':'tools'}},'podSelector':{'matchLabels':{'role':'debug'}}}]}]");
        assertTrue(allowed(debug, web, 80));
        assertFalse(allowed(client, web, 80));
        policies.clear();
        policy("shop", "'podSelector':{'matchLabels':{'app':'web'}},'ingress':[{'from':[{'namespaceSelector':{}}]}]");
        assertTrue(allowed(client, web, 80));
        assertTrue(allowed(debug, web, 80));
    }

    @Test
    void ipBlocksAndNamedPortsAndRanges() {
        policy("shop", "'podSelector':{'matchLabels':{'app':'web'}},'ingress':[{'from':[{'ipBlock':{'cidr':'172.16.0.0/16',"
                + "'except':['172.16.103.128/26']}}],'ports':[{'port':'http'},{'port':9000,'endPort':9100}]}]");
        assertTrue(allowed(debug, web, 80));
        assertTrue(allowed(debug, web, 9050));
        assertFalse(allowed(debug, web, 8080));
        assertFalse(allowed(client, web, 80)); // in the except
    }

    @Test
    void egressIsCheckedAtTheSourceAndIngressAtTheDestination() {
        policy("shop", "'podSelector':{'matchLabels':{'access':'true'}},'policyTypes':['Egress'],"
                + "'egress':[{'to':[{'podSelector':{'matchLabels':{'app':'db'}}}]}]");
        assertTrue(allowed(client, db, 5432));
        assertFalse(allowed(client, web, 80));
        assertTrue(allowed(web, client, 80)); // the client's ingress is not isolated
    }

    @Test
    void aNodeReachesItsOwnPodsAlwaysAndOthersOnlyThroughAnIpBlock() {
        policy("shop", "'podSelector':{},'ingress':[{'from':[{'ipBlock':{'cidr':'192.168.1.10/32'}}]}]");
        NetworkPolicies.Peer w1 = NetworkPolicies.Peer.node("w1-k8s", "192.168.1.101");
        NetworkPolicies.Peer master = NetworkPolicies.Peer.node("m-k8s", "192.168.1.10");
        assertTrue(network.allows(w1, NetworkPolicies.Peer.pod(web), 80, "TCP"));
        assertFalse(network.allows(w1, NetworkPolicies.Peer.pod(db), 80, "TCP"));
        assertTrue(network.allows(master, NetworkPolicies.Peer.pod(db), 80, "TCP"));
    }

    @Test
    void aClientOutsideTheClusterGetsInOnlyThroughAnIpBlockWhateverNodeThePodIsOn() {
        NetworkPolicies.Peer host = NetworkPolicies.Peer.external("127.0.0.1");
        assertTrue(network.allows(host, NetworkPolicies.Peer.pod(web), 80, "TCP"));
        policy("shop", "'podSelector':{},'ingress':[{'from':[{'namespaceSelector':{}}]}]");
        assertFalse(network.allows(host, NetworkPolicies.Peer.pod(web), 80, "TCP"), "a selector only ever matches pods");
        policy("shop", "'podSelector':{'matchLabels':{'app':'web'}},'ingress':[{'from':[{'ipBlock':{'cidr':'127.0.0.0/8'}}]}]");
        assertTrue(network.allows(host, NetworkPolicies.Peer.pod(web), 80, "TCP"));
        assertFalse(network.allows(host, NetworkPolicies.Peer.pod(db), 80, "TCP"));
    }
}
