package kubefake.store.registry;

import kubefake.store.registry.request.RequestContext;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"), RequestContext.LOOPBACK);
        ResourceStore services = registry.resource("", "services");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<StoredObject>> futures = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String name = "svc-" + i;
            futures.add(pool.submit(() -> services.create("default", nodePortService(name), RequestContext.LOOPBACK)));
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
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"), RequestContext.LOOPBACK);
        ResourceStore services = registry.resource("", "services");
        ObjectNode first = nodePortService("first");
        ((ObjectNode) first.get("spec")).put("clusterIP", "10.96.0.10");
        ((ObjectNode) first.get("spec").get("ports").get(0)).put("nodePort", 30080);
        services.create("default", first, RequestContext.LOOPBACK);
        ObjectNode sameIp = nodePortService("second");
        ((ObjectNode) sameIp.get("spec")).put("clusterIP", "10.96.0.10");
        StatusException ip = assertThrows(StatusException.class, () -> services.create("default", sameIp, RequestContext.LOOPBACK));
        assertEquals("Service \"second\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: "
                + "failed to allocate IP 10.96.0.10: provided IP is already allocated", ip.getMessage());
        ObjectNode samePort = nodePortService("third");
        ((ObjectNode) samePort.get("spec").get("ports").get(0)).put("nodePort", 30080);
        StatusException port = assertThrows(StatusException.class, () -> services.create("default", samePort, RequestContext.LOOPBACK));
        assertEquals("Service \"third\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
                port.getMessage());
        // the refused creates reserved nothing: an address asked for by a refused create is still free
        ObjectNode both = nodePortService("fifth");
        ((ObjectNode) both.get("spec")).put("clusterIP", "10.96.5.5");
        ((ObjectNode) both.get("spec").get("ports").get(0)).put("nodePort", 30080);
        assertThrows(StatusException.class, () -> services.create("default", both, RequestContext.LOOPBACK));
        ObjectNode sameIpAgain = nodePortService("sixth");
        ((ObjectNode) sameIpAgain.get("spec")).put("clusterIP", "10.96.5.5");
        services.create("default", sameIpAgain, RequestContext.LOOPBACK);
    }

    private static ResourceStore services() {
        Registry registry = new Registry(new MemoryKeyValueStore(), Clock.systemUTC(), ResourceCatalogue.builtIn());
        registry.resource("", "namespaces").create("", ResourceStoreTest.obj("v1", "Namespace", "default"), RequestContext.LOOPBACK);
        return registry.resource("", "services");
    }

    private static ObjectNode spec(StoredObject o) {
        return (ObjectNode) o.toNode().get("spec");
    }

    @Test
    void switchingToExternalNameAndBackReleasesThenAllocatesAnAddress() {
        ResourceStore services = services();
        ObjectNode svc = nodePortService("flip");
        ((ObjectNode) svc.get("spec")).put("clusterIP", "10.96.7.7");
        int nodePort = spec(services.create("default", svc, RequestContext.LOOPBACK)).path("ports").get(0).path("nodePort").asInt();
        StoredObject external = services.patch("default", "flip", o -> {
            ObjectNode spec = (ObjectNode) o.get("spec");
            spec.put("type", "ExternalName").put("externalName", "db.example.com");
            spec.remove(List.of("clusterIP", "clusterIPs"));
            return o;
        }, RequestContext.LOOPBACK);
        ObjectNode spec = spec(external);
        for (String dropped : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "externalTrafficPolicy")) {
            assertTrue(!spec.has(dropped), dropped + " in " + spec);
        }
        assertTrue(!spec.path("ports").get(0).has("nodePort"), spec.toString());
        // the address and the port are free for another service
        ObjectNode other = nodePortService("other");
        ((ObjectNode) other.get("spec")).put("clusterIP", "10.96.7.7");
        ((ObjectNode) other.get("spec").get("ports").get(0)).put("nodePort", nodePort);
        services.create("default", other, RequestContext.LOOPBACK);
        StoredObject back = services.patch("default", "flip", o -> {
            ((ObjectNode) o.get("spec")).put("type", "ClusterIP").remove("externalName");
            return o;
        }, RequestContext.LOOPBACK);
        String ip = spec(back).path("clusterIP").asText();
        assertTrue(ip.startsWith("10.") && !ip.equals("10.96.7.7"), ip);
        assertEquals(ip, spec(back).path("clusterIPs").get(0).asText());
    }

    @Test
    void anUpdateWithoutAllocatedValuesKeepsThemNodePortsByPortName() {
        ResourceStore services = services();
        ObjectNode svc = nodePortService("keep");
        ArrayNode ports = (ArrayNode) svc.get("spec").get("ports");
        ((ObjectNode) ports.get(0)).put("name", "http");
        ports.addObject().put("name", "https").put("port", 443).put("protocol", "TCP");
        ObjectNode created = spec(services.create("default", svc, RequestContext.LOOPBACK));
        int https = created.path("ports").get(1).path("nodePort").asInt();
        ObjectNode update = nodePortService("keep");
        ArrayNode newPorts = ((ObjectNode) update.get("spec")).putArray("ports");
        newPorts.addObject().put("name", "https").put("port", 8443).put("protocol", "TCP");
        ObjectNode updated = spec(services.update("default", "keep", update, RequestContext.LOOPBACK));
        assertEquals(created.path("clusterIP"), updated.path("clusterIP"));
        assertEquals(created.path("clusterIPs"), updated.path("clusterIPs"));
        assertEquals(https, updated.path("ports").get(0).path("nodePort").asInt(), "the port named https keeps its node port");
    }

    @Test
    void portsOfTheWrongShapeAreValidationErrorsNotCrashes() {
        ResourceStore services = services();
        for (String ports : List.of("[-1]", "[[80]]", "[\"80\"]", "{\"port\":80}", "\"80\"")) {
            ObjectNode svc = nodePortService("shape");
            ((ObjectNode) svc.get("spec")).set("ports", Json.parseObject(("{\"p\":" + ports + "}").getBytes()).get("p"));
            StatusException e = assertThrows(StatusException.class, () -> services.create("default", svc, RequestContext.LOOPBACK), ports);
            assertEquals(422, e.code(), e.getMessage());
        }
    }
}
