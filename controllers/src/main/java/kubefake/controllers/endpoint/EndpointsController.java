package kubefake.controllers.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.SyncException;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.EndpointPods;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.Pods;
import kubefake.controllers.common.TriggerTimeTracker;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's endpoints controller ({@code pkg/controller/endpoint}): for every service with a selector
 * (not ExternalName), the core/v1 Endpoints object of the same name lists its pods' IPs: ready pods under
 * {@code addresses}, the others under {@code notReadyAddresses} (all under addresses with publishNotReadyAddresses),
 * each with nodeName and a targetRef to the pod, and per service port the container port its targetPort reaches (a
 * named targetPort is looked up in each pod's containers). Services without a selector keep the Endpoints their owner
 * writes (the API server's own {@code kubernetes} service among them); a deleted service's Endpoints go.
 */
public final class EndpointsController implements AutoCloseable {
    public static final String NAME = "endpoints-controller";
    /** The controller's own service account in kube-system. */
    public static final String SERVICE_ACCOUNT = "endpoint-controller";
    static final String MANAGED_BY_LABEL = "endpoints.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpoint-controller";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    static final String OVER_CAPACITY_ANNOTATION = "endpoints.kubernetes.io/over-capacity";
    /** kube-controller-manager's --concurrent-endpoint-syncs. */
    private static final int WORKERS = 5;

    private final ResourceClient endpoints;
    private final Informer services;
    private final Informer pods;
    private final Informer endpointsInformer;
    private final Controller<String> controller;
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();
    /** The resourceVersion an Endpoints had before this controller's last update of it: seen again, the cache is behind. */
    private final Map<String, String> staleVersions = new ConcurrentHashMap<>();

    public EndpointsController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.endpoints = client.resource("", "endpoints");
        this.services = informers.informer("", "services");
        this.pods = informers.informer("", "pods");
        this.endpointsInformer = informers.informer("", "endpoints");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("endpoint", runtime), WORKERS, this::syncService);
        EndpointPods.queueServicesOnChanges(services, pods, controller.queue());
        endpointsInformer.addHandler(new ResourceEventHandler() {
            @Override
            public void onDelete(StoredObject ep) {
                enqueue(ep);
            }
        });
    }

    private void enqueue(StoredObject o) {
        controller.queue().add(ObjectKey.of(o.toNode()));
    }

    public void start() {
        // Endpoints left from services deleted while no controller ran are looked at once (checkLeftoverEndpoints)
        endpointsInformer.synced().thenRun(() -> endpointsInformer.keys().forEach(controller.queue()::add));
        controller.start(services.synced(), pods.synced(), endpointsInformer.synced());
    }

    private Result syncService(String key) {
        String namespace = ObjectKey.namespace(key);
        String name = ObjectKey.name(key);
        JsonNode service = services.get(namespace, name).map(StoredObject::toNode).orElse(null);
        if (service == null) {
            try {
                endpoints.delete(namespace, name);
            } catch (StatusException e) {
                if (e.code() != 404) throw e;
            }
            triggerTimes.forget(key);
            staleVersions.remove(key);
            return Result.done();
        }
        List<JsonNode> selected = EndpointPods.selectedPods(service, pods);
        if (selected == null) return Result.done();
        Instant triggerTime = triggerTimes.compute(key, service, selected);
        ArrayNode subsets = subsets(service, selected);

        ObjectNode current = endpointsInformer.get(namespace, name).map(StoredObject::toNode).orElse(null);
        if (current != null && Meta.resourceVersion(current).equals(staleVersions.get(key))) {
            throw new SyncException("endpoints informer cache is out of date, resource version " + Meta.resourceVersion(current)
                    + " already processed for endpoints " + key);
        }
        Map<String, String> labels = labels(service);
        boolean overCapacity = EndpointSubsets.count(subsets) > EndpointSubsets.MAX_CAPACITY;
        if (current != null && subsetsEqual(current.path("subsets"), subsets) && Meta.labels(current).equals(labels)
                && Meta.annotations(current).containsKey(OVER_CAPACITY_ANNOTATION) == overCapacity) {
            return Result.done();
        }

        ObjectNode desired = current != null ? current.deepCopy() : newEndpoints(namespace, name);
        if (subsets.isEmpty()) desired.remove("subsets");
        else desired.set("subsets", subsets);
        ObjectNode labelsNode = Json.MAPPER.createObjectNode();
        new TreeMap<>(labels).forEach(labelsNode::put);
        ((ObjectNode) desired.get("metadata")).set("labels", labelsNode);
        ObjectNode annotations = Meta.annotationsNode(desired);
        if (triggerTime != null) annotations.put(TriggerTimeTracker.ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(triggerTime));
        else annotations.remove(TriggerTimeTracker.ANNOTATION);
        if (EndpointSubsets.truncate(subsets)) annotations.put(OVER_CAPACITY_ANNOTATION, "truncated");
        else annotations.remove(OVER_CAPACITY_ANNOTATION);
        if (annotations.isEmpty()) ((ObjectNode) desired.get("metadata")).remove("annotations");

        if (current == null) {
            try {
                endpoints.create(desired);
            } catch (StatusException e) {
                // the namespace is going: its content will not be created again
                if (PodControl.isNamespaceTerminating(e)) return Result.done();
                throw e;
            }
        } else {
            StoredObject updated = endpoints.update(desired);
            if (!Meta.resourceVersion(updated.toNode()).equals(Meta.resourceVersion(current))) {
                staleVersions.put(key, Meta.resourceVersion(current));
            }
        }
        return Result.done();
    }

    private static ObjectNode newEndpoints(String namespace, String name) {
        ObjectNode ep = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Endpoints");
        ep.putObject("metadata").put("name", name).put("namespace", namespace);
        return ep;
    }

    /** The service's labels, the controller's managed-by label, and the headless label for a service without ClusterIP. */
    private static Map<String, String> labels(JsonNode service) {
        Map<String, String> labels = new TreeMap<>(Meta.labels(service));
        labels.remove(HEADLESS_LABEL);
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if (!EndpointPods.hasClusterIp(service)) labels.put(HEADLESS_LABEL, "");
        return labels;
    }

    private static ArrayNode subsets(JsonNode service, List<JsonNode> selected) {
        boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        JsonNode servicePorts = service.path("spec").path("ports");
        EndpointSubsets subsets = new EndpointSubsets();
        for (JsonNode pod : selected) {
            if (!EndpointPods.shouldBeEndpoint(pod, publishNotReady)) continue;
            ObjectNode address = address(service, pod);
            if (address == null) continue;
            boolean ready = publishNotReady || Pods.isReady(pod);
            if (servicePorts.isEmpty()) {
                // a headless service may have no ports: its addresses alone
                if (!EndpointPods.hasClusterIp(service)) subsets.add(address, null, ready);
                continue;
            }
            for (JsonNode servicePort : servicePorts) {
                OptionalInt port = EndpointPods.findPort(pod, servicePort);
                if (port.isEmpty()) continue;
                ObjectNode p = Json.MAPPER.createObjectNode();
                if (!Json.text(servicePort, "name").isEmpty()) p.put("name", Json.text(servicePort, "name"));
                p.put("port", port.getAsInt());
                p.put("protocol", Json.text(servicePort, "protocol").isEmpty() ? "TCP" : Json.text(servicePort, "protocol"));
                if (servicePort.hasNonNull("appProtocol")) p.put("appProtocol", Json.text(servicePort, "appProtocol"));
                subsets.add(address, p, ready);
            }
        }
        return subsets.build();
    }

    /** The pod's address of the service's first IP family, or null when it has none of that family. */
    private static ObjectNode address(JsonNode service, JsonNode pod) {
        boolean ipv6 = "IPv6".equals(service.path("spec").path("ipFamilies").path(0).asText(""));
        String ip = null;
        for (String candidate : EndpointPods.podIps(pod)) {
            if (candidate.contains(":") == ipv6) {
                ip = candidate;
                break;
            }
        }
        if (ip == null) return null;
        ObjectNode a = Json.MAPPER.createObjectNode().put("ip", ip);
        if (EndpointPods.shouldSetHostname(pod, service)) a.put("hostname", Json.text(pod.path("spec"), "hostname"));
        a.put("nodeName", Pods.nodeName(pod));
        a.putObject("targetRef").put("kind", "Pod").put("namespace", Meta.namespace(pod)).put("name", Meta.name(pod))
                .put("uid", Meta.uid(pod));
        return a;
    }

    /** Equal but for the pods' resourceVersions in targetRef (which this controller never writes anyway). */
    private static boolean subsetsEqual(JsonNode current, ArrayNode desired) {
        JsonNode c = current.isMissingNode() || current.isNull() ? Json.MAPPER.createArrayNode() : current;
        return c.equals(desired);
    }

    @Override
    public void close() {
        controller.close();
    }
}
