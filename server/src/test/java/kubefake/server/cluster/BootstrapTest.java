package kubefake.server.cluster;

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
        assertEquals(4, registry.resource("coordination.k8s.io", "leases").list("kube-node-lease", ListOptions.ALL).items().size());
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
        registry.resource("", "services").delete("default", "kubernetes", DeleteOptions.DEFAULT);
        registry.resource("", "endpoints").delete("default", "kubernetes", DeleteOptions.DEFAULT);
        assertNull(registry.resource("", "services").find("default", "kubernetes"));
        bootstrap.ensureSystemObjects();
        assertNotNull(registry.resource("", "services").find("default", "kubernetes"));
        assertNotNull(registry.resource("", "endpoints").find("default", "kubernetes"));
    }
}
