package kubefake.store.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A batch of creates alike ({@link ResourceStore#createAll}) stores what creating each one by one stores. */
class CreateAllTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    private static Registry registry() {
        return new Registry(new MemoryKeyValueStore(), CLOCK, ResourceCatalogue.builtIn());
    }

    /** A Node as a kubelet registers it: what differs from node to node is its name, addresses and pod CIDR. */
    private static ObjectNode node(int i, boolean gpu, boolean tainted) {
        String name = i == 1 ? "kf-worker" : "kf-worker" + i;
        String ip = "172.18.0." + (i + 1);
        String cidr = "10.244." + i + ".0/24";
        ObjectNode n = Json.MAPPER.createObjectNode().put("kind", "Node").put("apiVersion", "v1");
        ObjectNode meta = n.putObject("metadata").put("name", name);
        ObjectNode labels = meta.putObject("labels").put("kubernetes.io/arch", "amd64").put("kubernetes.io/hostname", name)
                .put("kubernetes.io/os", "linux");
        if (gpu) labels.put("example.com/gpu", "true");
        meta.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0")
                .put("projectcalico.org/IPv4Address", ip + "/24");
        ObjectNode spec = n.putObject("spec").put("podCIDR", cidr);
        spec.putArray("podCIDRs").add(cidr);
        if (tainted) spec.putArray("taints").addObject().put("effect", "NoSchedule").put("key", "example.com/gpu");
        ObjectNode status = n.putObject("status");
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("address", ip).put("type", "InternalIP");
        addresses.addObject().put("address", name).put("type", "Hostname");
        status.putObject("capacity").put("cpu", "4").put("memory", "8Gi").put("pods", "110");
        status.putObject("allocatable").put("cpu", "4").put("memory", "8284144Ki").put("pods", "110");
        status.putArray("conditions").addObject().put("lastHeartbeatTime", "2026-12-07T10:00:00Z")
                .put("lastTransitionTime", "2026-12-07T10:00:00Z").put("message", "kubelet is posting ready status")
                .put("reason", "KubeletReady").put("status", "True").put("type", "Ready");
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10250);
        status.putObject("nodeInfo").put("architecture", "amd64").put("bootID", "boot-" + i).put("kubeletVersion", "v1.33.1")
                .put("machineID", "machine-" + i).put("operatingSystem", "linux");
        return n;
    }

    private static ObjectNode csiNode(String nodeName, String nodeUid) {
        ObjectNode c = Json.MAPPER.createObjectNode().put("kind", "CSINode").put("apiVersion", "storage.k8s.io/v1");
        ObjectNode meta = c.putObject("metadata").put("name", nodeName);
        meta.putObject("annotations").put("storage.alpha.kubernetes.io/migrated-plugins", "kubernetes.io/aws-ebs");
        meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node").put("name", nodeName)
                .put("uid", nodeUid);
        c.putObject("spec").putNull("drivers");
        return c;
    }

    private static List<ObjectNode> nodes() {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 1; i <= 12; i++) nodes.add(node(i, i % 4 == 0, i % 4 == 0 && i > 4));
        return nodes;
    }

    /** What a client reads, but for what every create makes anew (uid) and the revision. */
    private static ObjectNode comparable(StoredObject s) {
        ObjectNode o = s.toNode();
        Json.metadata(o).remove(List.of("uid", "resourceVersion"));
        return o;
    }

    @Test
    void nodesAndTheirCsiNodesAreStoredAsCreatingEachStoresThem() {
        Registry batch = registry(), oneByOne = registry();
        List<StoredObject> created = batch.resource("", "nodes").createAll("", nodes(), RequestContext.LOOPBACK);
        List<ObjectNode> expected = new ArrayList<>();
        for (ObjectNode n : nodes()) expected.add(comparable(oneByOne.resource("", "nodes").create("", n, RequestContext.LOOPBACK)));
        assertEquals(12, created.size());
        Set<String> uids = new HashSet<>();
        for (int i = 0; i < created.size(); i++) {
            assertEquals(expected.get(i), comparable(created.get(i)), "node " + i);
            assertEquals(created.get(i), batch.resource("", "nodes").get("", Json.text(Json.metadata(expected.get(i)), "name")));
            uids.add(Json.text(Json.metadata(created.get(i).tree()), "uid"));
        }
        assertEquals(12, uids.size(), "every node its own uid");
        // the batch derived them: nodes of the first one's shape are alike to it (the others' shape has a label more)
        ObjectNode firstStored = ObjectCodec.canonical(created.get(0).toNode());
        Json.metadata(firstStored).remove("resourceVersion");
        CreateTemplate first = new CreateTemplate(nodes().get(0), firstStored);
        for (int i : new int[] {1, 2, 4, 5, 6, 8, 9, 10}) assertNotNull(first.derive(nodes().get(i)), "node " + i + " alike");
        assertNull(first.derive(nodes().get(3)), "another shape");

        // the CSINodes name their nodes' uids, also in their managedFields (ownerReferences is a list keyed by uid)
        RequestContext kubelet = RequestContext.LOOPBACK.withFieldManager("kubelet");
        List<ObjectNode> csiNodes = new ArrayList<>();
        for (StoredObject n : created) csiNodes.add(csiNode(Json.text(Json.metadata(n.tree()), "name"), Json.text(Json.metadata(n.tree()), "uid")));
        List<ObjectNode> requests = new ArrayList<>();
        for (ObjectNode c : csiNodes) requests.add(c.deepCopy());
        List<StoredObject> createdCsi = batch.resource("storage.k8s.io", "csinodes").createAll("", csiNodes, kubelet);
        for (int i = 0; i < requests.size(); i++) {
            StoredObject one = oneByOne.resource("storage.k8s.io", "csinodes").create("", requests.get(i), kubelet);
            assertEquals(comparable(one), comparable(createdCsi.get(i)), "CSINode " + i);
        }
    }

    @Test
    void aNodeAlikeThatIsInvalidIsRefusedAsItsCreateWouldBe() {
        List<ObjectNode> nodes = nodes();
        ObjectNode bad = node(13, false, false);
        Json.metadata(bad).put("name", "Not_A_DNS_Name");
        nodes.add(bad);
        Registry r = registry();
        StatusException e = assertThrows(StatusException.class, () -> r.resource("", "nodes").createAll("", nodes, RequestContext.LOOPBACK));
        assertEquals(422, e.code());
        assertEquals(12, r.resource("", "nodes").list("", ListOptions.ALL).items().size());
    }

    @Test
    void anExistingNameIsAConflict() {
        Registry r = registry();
        r.resource("", "nodes").create("", node(3, false, false), RequestContext.LOOPBACK);
        StatusException e = assertThrows(StatusException.class, () -> r.resource("", "nodes").createAll("", nodes(), RequestContext.LOOPBACK));
        assertEquals(409, e.code());
    }

    // ------------------------------------------------------------ what a template declines to derive

    private static ObjectNode object(String name, String value) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.putObject("metadata").put("name", name);
        o.putObject("data").put("value", value);
        return o;
    }

    @Test
    void aTemplateDerivesOnlyWhatItCanCheck() {
        ObjectNode stored = object("first", "template-value");
        CreateTemplate t = new CreateTemplate(object("first", "template-value"), stored);
        ObjectNode derived = t.derive(object("second", "other-value"));
        assertNotNull(derived);
        assertEquals(object("second", "other-value"), derived);

        // another shape, or a number that differs: not alike
        ObjectNode extra = object("second", "other-value");
        extra.with("data").put("more", "x");
        assertNull(t.derive(extra));
        ObjectNode number = object("first", "template-value");
        number.put("count", 1);
        assertNull(new CreateTemplate(object("first", "template-value").put("count", 2), stored.deepCopy().put("count", 2)).derive(number));

        // the create path copied a value that differs where the request did not have it
        ObjectNode copied = object("first", "template-value");
        copied.with("status").put("echo", "template-value");
        assertNull(new CreateTemplate(object("first", "template-value"), copied).derive(object("second", "other-value")));

        // the create path stored it changed
        assertNull(new CreateTemplate(object("first", "template-value"), object("first", "TEMPLATE-VALUE"))
                .derive(object("second", "other-value")));

        // a set's value in managedFields, among others of the set: their order depends on the values
        ObjectNode withFields = object("first", "template-value");
        ObjectNode set = Json.metadata(withFields).putArray("managedFields").addObject().putObject("fieldsV1")
                .putObject("f:data").putObject("f:values");
        set.putObject("v:\"template-value\"");
        set.putObject("v:\"constant\"");
        assertNull(new CreateTemplate(object("first", "template-value"), withFields).derive(object("second", "other-value")));
        set.remove("v:\"constant\"");
        ObjectNode renamed = new CreateTemplate(object("first", "template-value"), withFields).derive(object("second", "other-value"));
        assertNotNull(renamed);
        assertEquals("[\"v:\\\"other-value\\\"\"]", Json.MAPPER.valueToTree(List.copyOf(iterable(
                renamed.at("/metadata/managedFields/0/fieldsV1/f:data/f:values")))).toString());
    }

    private static List<String> iterable(com.fasterxml.jackson.databind.JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
