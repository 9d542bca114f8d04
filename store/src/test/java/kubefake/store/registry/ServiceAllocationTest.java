package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.errors.StatusException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClusterIPs and NodePorts: in range, never shared, even by concurrent creates; taken ones refused with the real message. */
class ServiceAllocationTest {

    private static ObjectNode nodePortService(String name) {
        ObjectNode svc = ResourceStoreTest.obj("v1", "Service", name);
        ObjectNode spec = svc.putObject("spec");
        spec.put("type", "NodePort");
        spec.putObject("selector").put("app", name);
        spec.putArray("ports").addObject().put("port", 80).put("protocol", "TCP");
        return svc;
    }

    @Test
    void concurrentCreatesGetDistinctAddressesAndPorts() throws Exception {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"), WriteOptions.DEFAULT);
        ResourceStore services = registry.resource("", "services");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<StoredObject>> futures = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = "svc-" + i;
            futures.add(pool.submit(() -> services.create("default", nodePortService(name), WriteOptions.DEFAULT)));
        }
        Set<String> ips = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (Future<StoredObject> f : futures) {
            ObjectNode spec = (ObjectNode) f.get().toNode().get("spec");
            String ip = spec.path("clusterIP").asText();
            assertTrue(ip.matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+"), ip);
            assertEquals(ip, spec.path("clusterIPs").get(0).asText());
            ips.add(ip);
            int port = spec.path("ports").get(0).path("nodePort").asInt();
            assertTrue(port >= 30000 && port <= 32767, Integer.toString(port));
            ports.add(port);
        }
        pool.shutdown();
        assertEquals(400, ips.size());
        assertEquals(400, ports.size());
    }

    @Test
    void aTakenAddressOrPortIsRefused() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"), WriteOptions.DEFAULT);
        ResourceStore services = registry.resource("", "services");
        ObjectNode first = nodePortService("first");
        ((ObjectNode) first.get("spec")).put("clusterIP", "10.96.0.10");
        ((ObjectNode) first.get("spec").get("ports").get(0)).put("nodePort", 30080);
        services.create("default", first, WriteOptions.DEFAULT);
        ObjectNode sameIp = nodePortService("second");
        ((ObjectNode) sameIp.get("spec")).put("clusterIP", "10.96.0.10");
        StatusException ip = assertThrows(StatusException.class, () -> services.create("default", sameIp, WriteOptions.DEFAULT));
        assertEquals("Service \"second\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: "
                + "failed to allocate IP 10.96.0.10: provided IP is already allocated", ip.getMessage());
        ObjectNode samePort = nodePortService("third");
        ((ObjectNode) samePort.get("spec").get("ports").get(0)).put("nodePort", 30080);
        StatusException port = assertThrows(StatusException.class, () -> services.create("default", samePort, WriteOptions.DEFAULT));
        assertEquals("Service \"third\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
                port.getMessage());
        // the refused creates reserved nothing: an address asked for by a refused create is still free
        ObjectNode both = nodePortService("fifth");
        ((ObjectNode) both.get("spec")).put("clusterIP", "10.96.5.5");
        ((ObjectNode) both.get("spec").get("ports").get(0)).put("nodePort", 30080);
        assertThrows(StatusException.class, () -> services.create("default", both, WriteOptions.DEFAULT));
        ObjectNode sameIpAgain = nodePortService("sixth");
        ((ObjectNode) sameIpAgain.get("spec")).put("clusterIP", "10.96.5.5");
        services.create("default", sameIpAgain, WriteOptions.DEFAULT);
    }
}
