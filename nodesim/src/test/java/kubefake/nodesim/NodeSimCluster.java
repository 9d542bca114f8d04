package kubefake.nodesim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import kubefake.client.Client;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ManualRuntime;
import kubefake.nodesim.lifecycle.LifecycleProfile;
import kubefake.nodesim.network.CalicoIpam;
import kubefake.nodesim.network.Ipv4Cidr;
import kubefake.nodesim.runtime.ImageCatalogue;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A registry on a manual runtime with the simulated nodes of a shape (the lab by default): the Nodes registered as
 * kubeadm does, the system namespaces, the kubelets started. Tests create pods with a nodeName and move time.
 */
public final class NodeSimCluster implements AutoCloseable {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public final ManualRuntime runtime = new ManualRuntime();
    public final Registry registry = new Registry(new MemoryKeyValueStore(), runtime.clock(), ResourceCatalogue.builtIn());
    public final Client admin = new Client(registry, new UserInfo("kubernetes-admin", "", List.of("kubeadm:cluster-admins")), "kubectl");
    public final SharedInformers informers = new SharedInformers(registry, runtime);
    public final CalicoIpam ipam;
    public final SimulatedNodes nodes;

    public NodeSimCluster() {
        this(ClusterShape.lab(), LifecycleProfile.shipped("lab"), ImageCatalogue.builtIn(), List.of());
    }

    public NodeSimCluster(ClusterShape shape, LifecycleProfile profile, ImageCatalogue catalogue, List<String> preloaded) {
        for (String ns : List.of("default", "kube-system", "kube-node-lease", "kube-public")) {
            admin.resource("", "namespaces").create(object("v1", "Namespace", null, ns));
        }
        ipam = new CalicoIpam(Ipv4Cidr.parse(shape.podCidr()));
        for (ObjectNode node : SimulatedNodes.register(shape, ipam, "v1.33.1", runtime.clock().instant())) {
            admin.resource("", "nodes").create(node);
        }
        nodes = new SimulatedNodes(registry, informers, runtime, ipam,
                new SimulatedNodes.Config(shape, profile, catalogue, "v1.33.1", preloaded, 42));
        nodes.start();
        informers.start();
        runtime.runUntilIdle();
    }

    public static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        return o;
    }

    /** An object from YAML. */
    public static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a pod and lets the informers and kubelets see it (no time passes). */
    public ObjectNode create(String podYaml) {
        ObjectNode created = admin.resource("", "pods").create(yaml(podYaml)).toNode();
        runtime.runUntilIdle();
        return created;
    }

    public ObjectNode pod(String namespace, String name) {
        return admin.resource("", "pods").get(namespace, name).toNode();
    }

    public boolean exists(String namespace, String name) {
        return admin.resource("", "pods").find(namespace, name).isPresent();
    }

    public void advance(Duration d) {
        runtime.advance(d);
    }

    /**
     * Moves time in steps of 100 ms until {@code done} holds (at most {@code max}); returns how long that took.
     * Fails when it never holds.
     */
    public Duration advanceUntil(java.util.function.BooleanSupplier done, Duration max) {
        Duration step = Duration.ofMillis(100);
        Duration waited = Duration.ZERO;
        while (!done.getAsBoolean()) {
            if (waited.compareTo(max) >= 0) throw new AssertionError("not done after " + max);
            runtime.advance(step);
            waited = waited.plus(step);
        }
        return waited;
    }

    public void advanceSeconds(double seconds) {
        runtime.advance(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /** The events about an object, oldest first, as "Type Reason Message (xN)". */
    public List<String> events(String namespace, String name) {
        List<String> out = new ArrayList<>();
        for (ObjectNode e : eventObjects(namespace, name)) {
            int count = e.path("count").asInt(1);
            out.add(e.path("type").asText() + " " + e.path("reason").asText() + " " + e.path("message").asText()
                    + (count > 1 ? " (x" + count + ")" : ""));
        }
        return out;
    }

    public List<ObjectNode> eventObjects(String namespace, String name) {
        List<ObjectNode> events = new ArrayList<>();
        for (StoredObject o : admin.resource("", "events").list(namespace, ListOptions.ALL)) {
            ObjectNode e = o.toNode();
            if (e.path("involvedObject").path("name").asText().equals(name)) events.add(e);
        }
        events.sort(Comparator.comparing((ObjectNode e) -> e.path("firstTimestamp").asText())
                .thenComparing(e -> e.path("metadata").path("name").asText()));
        return events;
    }

    public static JsonNode condition(ObjectNode pod, String type) {
        for (JsonNode c : pod.path("status").path("conditions")) if (c.path("type").asText().equals(type)) return c;
        return null;
    }

    @Override
    public void close() {
        nodes.close();
        informers.close();
        runtime.close();
    }
}
