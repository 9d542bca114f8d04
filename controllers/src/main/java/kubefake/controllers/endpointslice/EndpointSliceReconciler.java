package kubefake.controllers.endpointslice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ObjectKey;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.workqueue.SyncException;
import kubefake.controllers.common.EndpointPods;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.Pods;
import kubefake.controllers.common.TriggerTimeTracker;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code endpointslice.Reconciler}: turns a service's pods into EndpointSlices with the fewest writes. Per address
 * type, endpoints are grouped by the ports they resolve to; existing slices keep the endpoints still wanted (updated
 * in place), then the remaining ones fill the slices being written anyway, then a slice with room, then new slices of
 * at most {@link #maxEndpointsPerSlice}; slices left empty are reused for new ones or deleted. A service with no
 * endpoints keeps one placeholder slice without ports or endpoints.
 */
final class EndpointSliceReconciler {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final ResourceClient slices;
    private final Informer nodes;
    private final EndpointSliceTracker tracker;
    private final int maxEndpointsPerSlice;

    EndpointSliceReconciler(ResourceClient slices, Informer nodes, EndpointSliceTracker tracker, int maxEndpointsPerSlice) {
        this.slices = slices;
        this.nodes = nodes;
        this.tracker = tracker;
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    /** The desired endpoints of one port set and those ports. */
    private record Desired(ArrayNode ports, LinkedHashMap<String, ObjectNode> endpoints) {
    }

    /** What to write for one address type. */
    private static final class Plan {
        final List<ObjectNode> create = new ArrayList<>();
        final List<ObjectNode> update = new ArrayList<>();
        final List<ObjectNode> delete = new ArrayList<>();
    }

    void reconcile(JsonNode service, List<JsonNode> pods, List<ObjectNode> existing, Instant triggerTime) {
        Set<String> addressTypes = addressTypes(service);
        List<String> errors = new ArrayList<>();
        List<ObjectNode> otherTypes = new ArrayList<>();
        Map<String, List<ObjectNode>> byType = new LinkedHashMap<>();
        for (ObjectNode slice : existing) {
            String type = Json.text(slice, "addressType");
            if (addressTypes.contains(type)) byType.computeIfAbsent(type, k -> new ArrayList<>()).add(slice);
            else otherTypes.add(slice);
        }
        for (String type : addressTypes) {
            Plan plan = plan(service, pods, byType.getOrDefault(type, List.of()), type, errors);
            finish(service, plan, triggerTime);
        }
        for (ObjectNode slice : otherTypes) delete(service, slice);
        if (!errors.isEmpty()) throw new SyncException(String.join("; ", errors));
    }

    private Plan plan(JsonNode service, List<JsonNode> pods, List<ObjectNode> existing, String addressType, List<String> errors) {
        Plan plan = new Plan();
        Map<String, List<ObjectNode>> existingByPorts = new LinkedHashMap<>();
        for (ObjectNode slice : existing) {
            if (ownedBy(slice, service)) existingByPorts.computeIfAbsent(portsKey(slice.path("ports")), k -> new ArrayList<>()).add(slice);
            else plan.delete.add(slice);
        }
        boolean publishNotReady = service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        Map<String, Desired> desiredByPorts = new LinkedHashMap<>();
        for (JsonNode pod : pods) {
            if (!EndpointPods.shouldBeEndpoint(pod, true)) continue;
            ArrayNode ports = endpointPorts(service, pod);
            Desired desired = desiredByPorts.computeIfAbsent(portsKey(ports), k -> new Desired(ports, new LinkedHashMap<>()));
            JsonNode node = nodes.get("", Pods.nodeName(pod)).map(StoredObject::toNode).orElse(null);
            if (node == null && !publishNotReady) {
                errors.add("skipping Pod " + Meta.name(pod) + " for Service " + ObjectKey.of(service) + ": Node "
                        + Pods.nodeName(pod) + " Not Found");
                continue;
            }
            ObjectNode endpoint = endpoint(pod, node, service, addressType);
            if (!endpoint.path("addresses").isEmpty()) desired.endpoints().put(endpointKey(endpoint), endpoint);
        }
        for (Map.Entry<String, Desired> e : desiredByPorts.entrySet()) {
            planPortSet(service, existingByPorts.getOrDefault(e.getKey(), List.of()), e.getValue(), addressType, plan);
        }
        for (Map.Entry<String, List<ObjectNode>> e : existingByPorts.entrySet()) {
            if (!desiredByPorts.containsKey(e.getKey())) plan.delete.addAll(e.getValue());
        }
        if (existing.size() == plan.delete.size() && plan.create.isEmpty()) {
            ObjectNode placeholder = newSlice(service, Json.MAPPER.createArrayNode(), addressType);
            if (plan.delete.size() == 1 && samePlaceholder(plan.delete.get(0), placeholder)) plan.delete.clear();
            else plan.create.add(placeholder);
        }
        return plan;
    }

    /** {@code reconcileByPortMapping}. */
    private void planPortSet(JsonNode service, List<ObjectNode> existing, Desired desired, String addressType, Plan plan) {
        LinkedHashMap<String, ObjectNode> wanted = new LinkedHashMap<>(desired.endpoints());
        Map<String, ObjectNode> changed = new LinkedHashMap<>();
        List<ObjectNode> unchanged = new ArrayList<>();
        // 1. existing slices keep the endpoints still wanted, updated
        for (ObjectNode slice : existing) {
            ArrayNode kept = Json.MAPPER.createArrayNode();
            boolean endpointUpdated = false;
            for (JsonNode endpoint : slice.path("endpoints")) {
                ObjectNode got = wanted.remove(endpointKey(endpoint));
                if (got == null) continue;
                kept.add(got);
                if (!got.equals(endpoint)) endpointUpdated = true;
            }
            Map<String, String> labels = labels(service);
            boolean labelsChanged = !withoutReserved(Meta.labels(slice)).equals(withoutReserved(Meta.labels(service)));
            if (endpointUpdated || kept.size() != slice.path("endpoints").size()) {
                if (kept.isEmpty()) {
                    plan.delete.add(slice);
                } else {
                    ObjectNode copy = slice.deepCopy();
                    copy.set("endpoints", kept);
                    setLabels(copy, labels);
                    changed.put(Meta.name(copy), copy);
                }
            } else if (labelsChanged) {
                ObjectNode copy = slice.deepCopy();
                setLabels(copy, labels);
                changed.put(Meta.name(copy), copy);
            } else {
                unchanged.add(slice);
            }
        }
        // 2. the remaining endpoints fill the slices written anyway, fullest first
        if (!wanted.isEmpty() && !changed.isEmpty()) {
            List<ObjectNode> fill = new ArrayList<>(changed.values());
            fill.sort(Comparator.comparingInt((ObjectNode s) -> s.path("endpoints").size()).reversed());
            for (ObjectNode slice : fill) moveInto(slice, wanted);
        }
        // 3. then one unchanged slice that takes them all, or new slices
        while (!wanted.isEmpty()) {
            ObjectNode target = null;
            if (wanted.size() < maxEndpointsPerSlice) {
                ObjectNode closest = closestFit(unchanged, wanted.size());
                if (closest != null) {
                    unchanged.remove(closest);
                    target = closest.deepCopy();
                }
            }
            if (target == null) target = newSlice(service, desired.ports(), addressType);
            moveInto(target, wanted);
            if (Meta.name(target).isEmpty()) plan.create.add(target);
            else changed.put(Meta.name(target), target);
        }
        plan.update.addAll(changed.values());
    }

    private void moveInto(ObjectNode slice, LinkedHashMap<String, ObjectNode> wanted) {
        ArrayNode endpoints = slice.path("endpoints").isArray() ? (ArrayNode) slice.get("endpoints") : slice.putArray("endpoints");
        for (Iterator<ObjectNode> it = wanted.values().iterator(); it.hasNext() && endpoints.size() < maxEndpointsPerSlice; ) {
            endpoints.add(it.next());
            it.remove();
        }
    }

    /** {@code getSliceToFill}: the slice that ends closest to full with n more endpoints, or null. */
    private ObjectNode closestFit(List<ObjectNode> candidates, int n) {
        int closest = maxEndpointsPerSlice;
        ObjectNode best = null;
        for (ObjectNode slice : candidates) {
            int diff = maxEndpointsPerSlice - (n + slice.path("endpoints").size());
            if (diff >= 0 && diff < closest) {
                closest = diff;
                best = slice;
                if (diff == 0) break;
            }
        }
        return best;
    }

    /** {@code finalize}: creates become updates of slices due for deletion; then creates, updates, deletes. */
    private void finish(JsonNode service, Plan plan, Instant triggerTime) {
        for (Iterator<ObjectNode> it = plan.delete.iterator(); it.hasNext() && !plan.create.isEmpty(); ) {
            ObjectNode doomed = it.next();
            ObjectNode created = plan.create.get(plan.create.size() - 1);
            if (Json.text(doomed, "addressType").equals(Json.text(created, "addressType")) && ownedBy(doomed, service)) {
                ObjectNode reused = doomed.deepCopy();
                reused.set("endpoints", created.get("endpoints"));
                reused.set("ports", created.get("ports"));
                setLabels(reused, labels(service));
                plan.create.remove(plan.create.size() - 1);
                plan.update.add(reused);
                it.remove();
            }
        }
        String key = ObjectKey.of(service);
        if (!Meta.isDeleting(service)) {
            for (ObjectNode slice : plan.create) {
                stampTriggerTime(slice, triggerTime);
                try {
                    tracker.update(key, slices.create(slice).toNode());
                } catch (StatusException e) {
                    if (PodControl.isNamespaceTerminating(e)) return;
                    throw new SyncException("failed to create EndpointSlice for Service " + key + ": " + e.getMessage());
                }
            }
        }
        for (ObjectNode slice : plan.update) {
            stampTriggerTime(slice, triggerTime);
            try {
                tracker.update(key, slices.update(slice).toNode());
            } catch (StatusException e) {
                throw new SyncException("failed to update " + Meta.name(slice) + " EndpointSlice for Service " + key + ": " + e.getMessage());
            }
        }
        for (ObjectNode slice : plan.delete) delete(service, slice);
    }

    private void delete(JsonNode service, ObjectNode slice) {
        try {
            slices.delete(Meta.namespace(slice), Meta.name(slice));
        } catch (StatusException e) {
            if (e.code() != 404) {
                throw new SyncException("failed to delete " + Meta.name(slice) + " EndpointSlice for Service " + ObjectKey.of(service)
                        + ": " + e.getMessage());
            }
        }
        tracker.expectDeletion(ObjectKey.of(service), slice);
    }

    private static void stampTriggerTime(ObjectNode slice, Instant triggerTime) {
        ObjectNode annotations = Meta.annotationsNode(slice);
        if (triggerTime != null) annotations.put(TriggerTimeTracker.ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(triggerTime));
        else annotations.remove(TriggerTimeTracker.ANNOTATION);
        if (annotations.isEmpty()) ((ObjectNode) slice.get("metadata")).remove("annotations");
    }

    /** The families the service serves: its ipFamilies, else its ClusterIP's, else (headless) both. */
    private static Set<String> addressTypes(JsonNode service) {
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode family : service.path("spec").path("ipFamilies")) {
            if (family.asText().equals("IPv4")) types.add("IPv4");
            if (family.asText().equals("IPv6")) types.add("IPv6");
        }
        if (!types.isEmpty()) return types;
        if (EndpointPods.hasClusterIp(service)) return Set.of(Json.text(service.path("spec"), "clusterIP").contains(":") ? "IPv6" : "IPv4");
        return Set.of("IPv4", "IPv6");
    }

    /** {@code getEndpointPorts}: each service port the pod resolves, in the service's order. */
    private static ArrayNode endpointPorts(JsonNode service, JsonNode pod) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        JsonNode servicePorts = service.path("spec").path("ports");
        if (servicePorts.isEmpty() && !EndpointPods.hasClusterIp(service)) return out;
        for (JsonNode sp : servicePorts) {
            OptionalInt port = EndpointPods.findPort(pod, sp);
            if (port.isEmpty()) continue;
            ObjectNode p = out.addObject();
            p.put("name", Json.text(sp, "name"));
            p.put("protocol", Json.text(sp, "protocol").isEmpty() ? "TCP" : Json.text(sp, "protocol"));
            p.put("port", port.getAsInt());
            if (sp.hasNonNull("appProtocol")) p.put("appProtocol", Json.text(sp, "appProtocol"));
        }
        return out;
    }

    /** Slices are grouped by their ports, in any order. */
    private static String portsKey(JsonNode ports) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : ports) {
            parts.add(Json.text(p, "name") + "/" + Json.text(p, "protocol") + "/" + p.path("port").asInt() + "/" + Json.text(p, "appProtocol"));
        }
        parts.sort(null);
        return String.join(",", parts);
    }

    /** {@code podToEndpoint}. */
    private static ObjectNode endpoint(JsonNode pod, JsonNode node, JsonNode service, String addressType) {
        boolean serving = Pods.isReady(pod);
        boolean terminating = Meta.isDeleting(pod);
        // a terminating pod is never ready, unless not-ready addresses are published anyway
        boolean ready = service.path("spec").path("publishNotReadyAddresses").asBoolean(false) || (serving && !terminating);
        ObjectNode e = Json.MAPPER.createObjectNode();
        ArrayNode addresses = e.putArray("addresses");
        for (String ip : EndpointPods.podIps(pod)) {
            if (ip.contains(":") == addressType.equals("IPv6")) addresses.add(ip);
        }
        e.putObject("conditions").put("ready", ready).put("serving", serving).put("terminating", terminating);
        if (EndpointPods.shouldSetHostname(pod, service)) e.put("hostname", Json.text(pod.path("spec"), "hostname"));
        e.putObject("targetRef").put("kind", "Pod").put("namespace", Meta.namespace(pod)).put("name", Meta.name(pod))
                .put("uid", Meta.uid(pod));
        if (!Pods.nodeName(pod).isEmpty()) e.put("nodeName", Pods.nodeName(pod));
        String zone = node == null ? "" : Meta.labels(node).getOrDefault(ZONE_LABEL, "");
        if (!zone.isEmpty()) e.put("zone", zone);
        return e;
    }

    /** An endpoint's identity in a slice: its addresses, hostname and pod ({@code hashEndpoint}). */
    private static String endpointKey(JsonNode endpoint) {
        List<String> addresses = new ArrayList<>();
        endpoint.path("addresses").forEach(a -> addresses.add(a.asText()));
        addresses.sort(null);
        JsonNode ref = endpoint.path("targetRef");
        return addresses + "|" + Json.text(endpoint, "hostname") + "|" + Json.text(ref, "namespace") + "/" + Json.text(ref, "name");
    }

    private static ObjectNode newSlice(JsonNode service, ArrayNode ports, String addressType) {
        ObjectNode slice = Json.MAPPER.createObjectNode().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        meta.put("generateName", Meta.name(service) + "-");
        meta.put("namespace", Meta.namespace(service));
        meta.putArray("ownerReferences").add(OwnerReference.controllerRef(service, "v1", "Service").toJson());
        setLabels(slice, labels(service));
        slice.put("addressType", addressType);
        slice.putArray("endpoints");
        slice.set("ports", ports);
        return slice;
    }

    /** The service's labels but the reserved ones, then the service name, the manager and whether it is headless. */
    private static Map<String, String> labels(JsonNode service) {
        Map<String, String> labels = withoutReserved(Meta.labels(service));
        if (!EndpointPods.hasClusterIp(service)) labels.put(HEADLESS_LABEL, "");
        labels.put(SERVICE_NAME_LABEL, Meta.name(service));
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        return labels;
    }

    private static Map<String, String> withoutReserved(Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>(labels);
        out.remove(SERVICE_NAME_LABEL);
        out.remove(MANAGED_BY_LABEL);
        out.remove(HEADLESS_LABEL);
        return out;
    }

    private static void setLabels(ObjectNode slice, Map<String, String> labels) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        new TreeMap<>(labels).forEach(node::put);
        ((ObjectNode) slice.get("metadata")).set("labels", node);
    }

    private static boolean ownedBy(JsonNode slice, JsonNode service) {
        for (OwnerReference ref : OwnerReference.of(slice)) {
            if (ref.uid().equals(Meta.uid(service)) && ref.kind().equals("Service") && ref.apiVersion().equals("v1")) return true;
        }
        return false;
    }

    /** {@code placeholderSliceCompare}: same namespace, labels, owners and address type, no ports, no endpoints. */
    private static boolean samePlaceholder(JsonNode existing, JsonNode placeholder) {
        return Meta.namespace(existing).equals(Meta.namespace(placeholder))
                && Meta.labels(existing).equals(Meta.labels(placeholder))
                && OwnerReference.of(existing).equals(OwnerReference.of(placeholder))
                && Json.text(existing, "addressType").equals(Json.text(placeholder, "addressType"))
                && existing.path("ports").isEmpty() && existing.path("endpoints").isEmpty();
    }
}
