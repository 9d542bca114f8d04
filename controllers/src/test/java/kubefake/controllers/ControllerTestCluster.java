package kubefake.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.store.registry.request.UserInfo;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ManualRuntime;
import kubefake.store.mvcc.MemoryKeyValueStore;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceCatalogue;
import kubefake.store.registry.StoredObject;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A registry on a manual runtime with shared informers, for controller tests: what kubectl would show is read back
 * through an admin client, and pods are brought to Running/Ready through their status subresource as a kubelet does.
 */
public final class ControllerTestCluster implements AutoCloseable {
    public final ManualRuntime runtime = new ManualRuntime();
    public final Registry registry = new Registry(new MemoryKeyValueStore(), runtime.clock(), ResourceCatalogue.builtIn());
    public final Client admin = new Client(registry, new UserInfo("kubernetes-admin", "", List.of("kubeadm:cluster-admins")), "kubectl");
    public final SharedInformers informers = new SharedInformers(registry, runtime);
    public final ResourceClient pods = admin.resource("", "pods");
    public final ResourceClient replicaSets = admin.resource("apps", "replicasets");
    public final ResourceClient deployments = admin.resource("apps", "deployments");
    public final ResourceClient events = admin.resource("", "events");

    public ControllerTestCluster(String... namespaces) {
        for (String ns : namespaces) admin.resource("", "namespaces").create(object("v1", "Namespace", null, ns));
    }

    /** A client acting as a kube-controller-manager controller's service account. */
    public Client controllerClient(String serviceAccount) {
        return new Client(registry, UserInfo.controllerServiceAccount(serviceAccount), "kube-controller-manager");
    }

    /** Starts the informers and runs until idle. */
    public void start() {
        informers.start();
        runtime.runUntilIdle();
    }

    @Override
    public void close() {
        informers.close();
        runtime.close();
    }

    public static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("apiVersion", apiVersion).put("kind", kind);
        ObjectNode meta = o.putObject("metadata").put("name", name);
        if (namespace != null) meta.put("namespace", namespace);
        return o;
    }

    /** A workload (Deployment, ReplicaSet, StatefulSet...) selecting and labelling its pods with app=NAME. */
    public static ObjectNode workload(String apiVersion, String kind, String namespace, String name, int replicas, String image) {
        ObjectNode o = object(apiVersion, kind, namespace, name);
        ObjectNode spec = o.putObject("spec");
        spec.put("replicas", replicas);
        spec.putObject("selector").putObject("matchLabels").put("app", name);
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", name);
        template.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", image);
        return o;
    }

    public static ObjectNode deployment(String namespace, String name, int replicas, String image) {
        return workload("apps/v1", "Deployment", namespace, name, replicas, image);
    }

    public static ObjectNode replicaSet(String namespace, String name, int replicas, String image) {
        return workload("apps/v1", "ReplicaSet", namespace, name, replicas, image);
    }

    public static ObjectNode tree(StoredObject o) {
        return o.toNode();
    }

    public static String name(JsonNode o) {
        return o.path("metadata").path("name").asText();
    }

    /** The pods of a namespace, by name. */
    public List<ObjectNode> pods(String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : pods.list(namespace)) out.add(o.toNode());
        out.sort(Comparator.comparing(ControllerTestCluster::name));
        return out;
    }

    /** The pods that are not being deleted. */
    public List<ObjectNode> livePods(String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode p : pods(namespace)) if (!p.path("metadata").has("deletionTimestamp")) out.add(p);
        return out;
    }

    public List<ObjectNode> replicaSets(String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (StoredObject o : replicaSets.list(namespace)) out.add(o.toNode());
        out.sort(Comparator.comparing(o -> o.path("metadata").path("creationTimestamp").asText() + name(o)));
        return out;
    }

    /** "REASON: MESSAGE" of each event about the named object, oldest first. */
    public List<String> events(String namespace, String kind, String name) {
        List<ObjectNode> found = new ArrayList<>();
        for (StoredObject o : events.list(namespace)) {
            ObjectNode e = o.toNode();
            JsonNode about = e.path("involvedObject");
            if (about.path("kind").asText().equals(kind) && about.path("name").asText().equals(name)) found.add(e);
        }
        found.sort(Comparator.comparing(e -> e.path("metadata").path("name").asText()));
        List<String> out = new ArrayList<>();
        for (ObjectNode e : found) out.add(e.path("reason").asText() + ": " + e.path("message").asText());
        return out;
    }

    /**
     * What a kubelet writes when the pod's containers run and pass readiness: phase Running, conditions with Ready and
     * ContainersReady True since now.
     */
    public void markRunningReady(String namespace, String name) {
        setPhase(namespace, name, "Running", true);
    }

    /** Running but not (yet) ready. */
    public void markRunning(String namespace, String name) {
        setPhase(namespace, name, "Running", false);
    }

    public void markAllRunningReady(String namespace) {
        for (ObjectNode p : livePods(namespace)) {
            if (!isReady(p)) markRunningReady(namespace, name(p));
        }
    }

    private void setPhase(String namespace, String name, String phase, boolean ready) {
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now(runtime.clock()).truncatedTo(ChronoUnit.SECONDS));
        Client kubelet = new Client(registry, UserInfo.node("w1-k8s"), "kubelet");
        kubelet.resource("", "pods").patchStatus(namespace, name, pod -> {
            ObjectNode status = pod.with("status");
            status.put("phase", phase);
            ArrayNode conditions = status.putArray("conditions");
            for (String type : List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")) {
                boolean isReadiness = type.equals("Ready") || type.equals("ContainersReady");
                conditions.addObject().put("type", type).put("status", !isReadiness || ready ? "True" : "False")
                        .putNull("lastProbeTime").put("lastTransitionTime", now);
            }
            status.put("startTime", now);
            return pod;
        });
    }

    public static boolean isReady(JsonNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        }
        return false;
    }
}
