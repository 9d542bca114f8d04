package kubefake.server.cluster;

import kubefake.store.registry.request.RequestContext;
import kubefake.nodesim.ClusterShape;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.network.Ipv4Cidr;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The objects of a fresh kubeadm cluster, and the ones the API server puts back when they are deleted. */
class BootstrapTest {

    @Test
    void aFreshClusterHasTheLabNodesTheSystemNamespacesAndTheKubernetesService() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        Bootstrap bootstrap = new Bootstrap(registry);
        bootstrap.run(ClusterShape.lab(), new CalicoIpam(Ipv4Cidr.parse("172.16.0.0/16")), "v1.33.1", Instant.now());
        bootstrap.publishApiServerEndpoints("192.168.1.10", 6443);
        assertEquals(4, registry.resource("", "namespaces").list(null, ListOptions.ALL).items().size());
        assertEquals(4, registry.resource("", "nodes").list(null, ListOptions.ALL).items().size());
        // Each node's Lease is its kubelet's to create when it starts (NodeHeartbeatTest), as a real kubelet's is.
        assertEquals(0, registry.resource("coordination.k8s.io", "leases").list("kube-node-lease", ListOptions.ALL).items().size());
        var svc = registry.resource("", "services").get("default", "kubernetes").toNode();
        assertEquals("10.96.0.1", svc.path("spec").path("clusterIP").asText());
        assertEquals(443, svc.path("spec").path("ports").get(0).path("port").asInt());
        var ep = registry.resource("", "endpoints").get("default", "kubernetes").toNode();
        assertEquals("192.168.1.10", ep.path("subsets").get(0).path("addresses").get(0).path("ip").asText());
        assertEquals(6443, ep.path("subsets").get(0).path("ports").get(0).path("port").asInt());
        var dns = registry.resource("", "services").get("kube-system", "kube-dns").toNode();
        assertEquals("10.96.0.10", dns.path("spec").path("clusterIP").asText());
        var node = registry.resource("", "nodes").get("", "m-k8s").toNode();
        assertEquals("node-role.kubernetes.io/control-plane", node.path("spec").path("taints").get(0).path("key").asText());
        assertEquals("192.168.1.10", node.path("status").path("addresses").get(0).path("address").asText());
    }

    @Test
    void deletedSystemObjectsComeBack() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        Bootstrap bootstrap = new Bootstrap(registry);
        bootstrap.run(ClusterShape.lab(), new CalicoIpam(Ipv4Cidr.parse("172.16.0.0/16")), "v1.33.1", Instant.now());
        bootstrap.publishApiServerEndpoints("127.0.0.1", 6443);
        registry.resource("", "services").delete("default", "kubernetes", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        registry.resource("", "endpoints").delete("default", "kubernetes", DeleteOptions.DEFAULT, RequestContext.LOOPBACK);
        assertNull(registry.resource("", "services").find("default", "kubernetes"));
        bootstrap.ensureSystemObjects();
        assertNotNull(registry.resource("", "services").find("default", "kubernetes"));
        assertNotNull(registry.resource("", "endpoints").find("default", "kubernetes"));
    }

    @Test
    void kubeSystemHasKubeadmsAndCalicosObjectsForTheControllersToRun() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        new Bootstrap(registry).run(ClusterShape.lab(), new CalicoIpam(Ipv4Cidr.parse("172.16.0.0/16")), "v1.33.1", Instant.now());
        var daemonSets = registry.resource("apps", "daemonsets");
        var proxy = daemonSets.get("kube-system", "kube-proxy").toNode();
        var container = proxy.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("registry.k8s.io/kube-proxy:v1.33.1", container.path("image").asText());
        assertEquals(true, container.path("securityContext").path("privileged").asBoolean());
        assertEquals(true, proxy.path("spec").path("template").path("spec").path("hostNetwork").asBoolean());
        var calico = daemonSets.get("kube-system", "calico-node").toNode().path("spec").path("template").path("spec");
        assertEquals(3, calico.path("initContainers").size());
        assertEquals("172.16.0.0/16", calico.path("containers").get(0).path("env").findValues("value").stream()
                .filter(v -> v.asText().startsWith("172.16.")).findFirst().orElseThrow().asText());
        var deployments = registry.resource("apps", "deployments");
        var coredns = deployments.get("kube-system", "coredns").toNode();
        assertEquals(2, coredns.path("spec").path("replicas").asInt());
        assertEquals("registry.k8s.io/coredns/coredns:v1.12.0",
                coredns.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText());
        assertEquals("kube-dns", coredns.path("spec").path("selector").path("matchLabels").path("k8s-app").asText());
        assertEquals(1, deployments.get("kube-system", "calico-kube-controllers").toNode().path("spec").path("replicas").asInt());
        for (String sa : java.util.List.of("coredns", "kube-proxy", "calico-node", "calico-kube-controllers", "calico-cni-plugin")) {
            assertNotNull(registry.resource("", "serviceaccounts").find("kube-system", sa), sa);
        }
        var configMaps = registry.resource("", "configmaps");
        assertNotNull(configMaps.find("kube-system", "coredns"));
        String proxyConfig = configMaps.get("kube-system", "kube-proxy").toNode().path("data").path("config.conf").asText();
        assertTrue(proxyConfig.contains("clusterCIDR: 172.16.0.0/16"), proxyConfig);
        assertTrue(configMaps.get("kube-system", "kube-proxy").toNode().path("data").path("kubeconfig.conf").asText()
                .contains("server: https://192.168.1.10:6443"));
        assertTrue(configMaps.get("kube-system", "kube-proxy").toNode().path("metadata").path("annotations")
                .path("kubeadm.kubernetes.io/component-config.hash").asText().matches("sha256:[0-9a-f]{64}"));
        assertTrue(configMaps.get("kube-system", "kubeadm-config").toNode().path("data").path("ClusterConfiguration").asText()
                .contains("kubernetesVersion: v1.33.1"));
        assertNotNull(configMaps.find("kube-system", "kubelet-config"));
        var node = registry.resource("", "nodes").get("", "w1-k8s").toNode();
        assertEquals("172.16.221.128", node.path("metadata").path("annotations").path("projectcalico.org/IPv4IPIPTunnelAddr").asText());
    }
}
