package kubefake.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.podautoscaler.ResourceMetricsApi;
import kubefake.nodesim.metrics.ResourceUsage;
import kubefake.nodesim.metrics.ResourceUsage.ContainerUsage;
import kubefake.nodesim.metrics.ResourceUsage.Usage;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it: NodeMetrics and PodMetrics, computed on each request from the
 * simulated nodes' {@link ResourceUsage} (metrics-server keeps no objects: no resourceVersion, no watch). A pod
 * whose containers have not yet been scraped has no PodMetrics, as on a real cluster in its first seconds.
 */
public final class MetricsApi {
    public static final String GROUP = "metrics.k8s.io";
    private static final String API_VERSION = GROUP + "/v1beta1";
    /** The scrape windows metrics-server reports (the kubelet's cAdvisor interval for nodes, its own for pods). */
    private static final String NODE_WINDOW = "20.05s";
    private static final String POD_WINDOW = "15.012s";

    private final ResourceStore pods;
    private final ResourceStore nodes;
    private final Clock clock;

    public MetricsApi(Registry registry, Clock clock) {
        this.pods = registry.resource("", "v1", "pods").orElseThrow();
        this.nodes = registry.resource("", "v1", "nodes").orElseThrow();
        this.clock = clock;
    }

    /** The answer to get or list of {@code resource} (nodes, pods): a NodeMetrics/PodMetrics or their List. */
    public ObjectNode answer(String verb, String resource, String namespace, String name, String labelSelector,
                             String fieldSelector) {
        Instant now = clock.instant();
        boolean isPods = resource.equals("pods");
        if (verb.equals("get")) {
            // metrics-server: the object itself missing is its own NotFound; no figures for it yet is a NotFound of
            // the metrics resource, named namespace/name for a pod
            Optional<ObjectNode> one = isPods ? podMetrics(pods.get(namespace, name), now) : nodeMetrics(nodes.get("", name), now);
            return one.orElseThrow(() -> StatusException.notFound(GROUP, isPods ? "podmetrics" : "nodemetrics", isPods ? namespace + "/" + name : name));
        }
        if (!verb.equals("list")) throw StatusException.methodNotSupported(GROUP, resource, verb);
        ListOptions selection = new ListOptions(labelSelector, fieldSelector, "", "", 0, null, 0, false, null);
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", isPods ? "PodMetricsList" : "NodeMetricsList").put("apiVersion", API_VERSION).putObject("metadata");
        ArrayNode items = list.putArray("items");
        if (isPods) {
            for (StoredObject p : pods.list(namespace, selection).items()) podMetrics(p, now).ifPresent(items::add);
        } else {
            Map<String, List<ObjectNode>> byNode = podsByNode();
            for (StoredObject n : nodes.list("", selection).items()) {
                nodeMetrics(n.tree(), byNode.getOrDefault(n.tree().path("metadata").path("name").asText(), List.of()), now)
                        .ifPresent(items::add);
            }
        }
        // a list's items carry no kind or apiVersion, as every list of the apiserver library that metrics-server uses
        items.forEach(i -> ((ObjectNode) i).remove(List.of("kind", "apiVersion")));
        return list;
    }

    /** The same PodMetrics, in process, for the HPA controller's metrics client. */
    public ResourceMetricsApi forControllers() {
        return (namespace, labelSelector) -> {
            List<JsonNode> items = new ArrayList<>();
            answer("list", "pods", namespace, null, labelSelector, "").path("items").forEach(items::add);
            return items;
        };
    }

    private Optional<ObjectNode> podMetrics(StoredObject pod, Instant now) {
        ObjectNode p = pod.tree();
        return ResourceUsage.pod(p, now).map(containers -> {
            ObjectNode m = object("PodMetrics", p, now);
            m.put("window", POD_WINDOW);
            ArrayNode cs = m.putArray("containers");
            for (ContainerUsage c : containers) {
                ObjectNode entry = cs.addObject().put("name", c.name());
                usage(entry.putObject("usage"), c.usage());
            }
            return m;
        });
    }

    private Optional<ObjectNode> nodeMetrics(StoredObject node, Instant now) {
        String name = node.tree().path("metadata").path("name").asText();
        List<ObjectNode> onNode = new ArrayList<>();
        for (StoredObject p : pods.list("", new ListOptions("", "spec.nodeName=" + name, "", "", 0, null, 0, false, null)).items()) {
            onNode.add(p.tree());
        }
        return nodeMetrics(node.tree(), onNode, now);
    }

    /** A node whose kubelet does not answer (not Ready) has no metrics: metrics-server cannot scrape it. */
    private static Optional<ObjectNode> nodeMetrics(ObjectNode node, List<ObjectNode> podsOnNode, Instant now) {
        if (!ready(node)) return Optional.empty();
        ObjectNode m = object("NodeMetrics", node, now);
        m.put("window", NODE_WINDOW);
        usage(m.putObject("usage"), ResourceUsage.node(podsOnNode, now));
        return Optional.of(m);
    }

    private Map<String, List<ObjectNode>> podsByNode() {
        Map<String, List<ObjectNode>> byNode = new HashMap<>();
        for (StoredObject p : pods.list("", ListOptions.ALL).items()) {
            ObjectNode tree = p.tree();
            String node = tree.path("spec").path("nodeName").asText("");
            if (!node.isEmpty()) byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(tree);
        }
        return byNode;
    }

    private static boolean ready(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        }
        return false;
    }

    /** metadata as metrics-server writes it: the object's name, namespace and labels, created now. */
    private static ObjectNode object(String kind, JsonNode of, Instant now) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("kind", kind).put("apiVersion", API_VERSION);
        ObjectNode meta = m.putObject("metadata");
        JsonNode ofMeta = of.path("metadata");
        meta.put("name", ofMeta.path("name").asText());
        if (ofMeta.hasNonNull("namespace")) meta.put("namespace", ofMeta.path("namespace").asText());
        meta.put("creationTimestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        if (ofMeta.has("labels")) meta.set("labels", ofMeta.get("labels").deepCopy());
        m.put("timestamp", now.truncatedTo(ChronoUnit.SECONDS).minusSeconds(5).toString());
        return m;
    }

    /** CPU in nanocores ("12345678n"), memory in KiB ("3072Ki"), as metrics-server formats them. */
    private static void usage(ObjectNode into, Usage u) {
        into.put("cpu", u.nanoCores() == 0 ? "0" : u.nanoCores() + "n");
        into.put("memory", u.memoryBytes() / 1024 == 0 ? "0" : (u.memoryBytes() / 1024) + "Ki");
    }
}
