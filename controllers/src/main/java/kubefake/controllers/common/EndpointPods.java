package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.client.ObjectKey;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.workqueue.WorkQueue;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the endpoints and endpointslice controllers share about services and their pods ({@code k8s.io/endpointslice/util}
 * and {@code podutil.FindPort}): which services select a pod, which pod changes matter to them, which pods are
 * endpoints at all, and which container port a service port reaches.
 */
public final class EndpointPods {
    private EndpointPods() {
    }

    /**
     * The handlers both endpoints controllers put on the service and pod informers: a service added, changed or deleted
     * queues its key; a pod queues the services that select it (before and after a change that matters to them).
     */
    public static void queueServicesOnChanges(Informer services, Informer pods, WorkQueue<String> queue) {
        services.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject service) {
                queue.add(ObjectKey.of(service.toNode()));
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject service) {
                onAdd(service);
            }

            @Override
            public void onDelete(StoredObject service) {
                onAdd(service);
            }
        });
        pods.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject pod) {
                servicesOf(services, pod.tree()).forEach(queue::add); // read only
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject pod) {
                servicesToUpdate(services, old.tree(), pod.tree()).forEach(queue::add);
            }

            @Override
            public void onDelete(StoredObject pod) {
                onAdd(pod);
            }
        });
    }

    /**
     * The pods the service's endpoints come from, by name; null when the controllers write none for it: an
     * ExternalName service, or one without selector (its endpoints are someone else's).
     */
    public static List<JsonNode> selectedPods(JsonNode service, Informer pods) {
        if ("ExternalName".equals(Json.text(service.path("spec"), "type"))) return null;
        Map<String, String> selector = selector(service);
        if (selector == null) return null;
        List<JsonNode> selected = new ArrayList<>();
        for (StoredObject o : pods.list(Meta.namespace(service))) {
            JsonNode pod = o.tree(); // read only; the selected ones copied
            if (selects(selector, pod)) selected.add(pod.deepCopy());
        }
        selected.sort(Comparator.comparing(Meta::name));
        return selected;
    }

    /** The service's selector, or null when it has none (then its endpoints are written by someone else). */
    public static Map<String, String> selector(JsonNode service) {
        JsonNode selector = service.path("spec").path("selector");
        // an empty selector does not survive the real server's storage: it is no selector
        return selector.isObject() && selector.size() > 0 ? Meta.stringMap(selector) : null;
    }

    public static boolean selects(Map<String, String> selector, JsonNode pod) {
        Map<String, String> labels = Meta.labels(pod);
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) return false;
        }
        return true;
    }

    /** Keys of the services of the pod's namespace that select it ({@code GetPodServiceMemberships}). */
    public static Set<String> servicesOf(Informer services, JsonNode pod) {
        Set<String> keys = new LinkedHashSet<>();
        for (StoredObject o : services.list(Meta.namespace(pod))) {
            JsonNode svc = o.tree();
            Map<String, String> selector = selector(svc);
            if (selector != null && selects(selector, pod)) keys.add(ObjectKey.of(svc));
        }
        return keys;
    }

    /**
     * The services to look at again after a pod update ({@code GetServicesToUpdateOnPodChange}): none when nothing an
     * endpoint shows changed; those selecting the new pod when only that changed; with new labels also those that
     * selected the old one.
     */
    public static Set<String> servicesToUpdate(Informer services, JsonNode old, JsonNode cur) {
        if (Meta.resourceVersion(old).equals(Meta.resourceVersion(cur))) return Set.of();
        boolean labelsChanged = !Meta.labels(old).equals(Meta.labels(cur));
        if (!labelsChanged && !endpointChanged(old, cur)) return Set.of();
        Set<String> keys = servicesOf(services, cur);
        if (labelsChanged) keys.addAll(servicesOf(services, old));
        return keys;
    }

    /** Whether anything an Endpoints address or a slice's endpoint is made of changed ({@code podEndpointsChanged}). */
    private static boolean endpointChanged(JsonNode old, JsonNode cur) {
        return Pods.isReady(old) != Pods.isReady(cur)
                || Meta.isDeleting(old) != Meta.isDeleting(cur)
                || isTerminal(old) != isTerminal(cur)
                || !Objects.equals(old.path("status").path("podIPs"), cur.path("status").path("podIPs"))
                || !Objects.equals(old.path("status").path("podIP"), cur.path("status").path("podIP"))
                || !Pods.nodeName(old).equals(Pods.nodeName(cur))
                || !Json.text(old.path("spec"), "hostname").equals(Json.text(cur.path("spec"), "hostname"))
                || !Json.text(old.path("spec"), "subdomain").equals(Json.text(cur.path("spec"), "subdomain"));
    }

    private static boolean isTerminal(JsonNode pod) {
        String phase = Pods.phase(pod);
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /**
     * Whether the pod is an endpoint at all ({@code ShouldPodBeInEndpoints}): not finished, with an IP, and not being
     * deleted unless terminating pods are wanted.
     */
    public static boolean shouldBeEndpoint(JsonNode pod, boolean includeTerminating) {
        if (isTerminal(pod)) return false;
        JsonNode status = pod.path("status");
        if (Json.text(status, "podIP").isEmpty() && status.path("podIPs").isEmpty()) return false;
        return includeTerminating || !Meta.isDeleting(pod);
    }

    /** The pod's IPs: status.podIPs, or status.podIP alone. */
    public static Set<String> podIps(JsonNode pod) {
        Set<String> ips = new LinkedHashSet<>();
        for (JsonNode ip : pod.path("status").path("podIPs")) ips.add(Json.text(ip, "ip"));
        if (ips.isEmpty() && !Json.text(pod.path("status"), "podIP").isEmpty()) ips.add(Json.text(pod.path("status"), "podIP"));
        return ips;
    }

    /** Whether the endpoint carries the pod's hostname: it names one and its subdomain is the service. */
    public static boolean shouldSetHostname(JsonNode pod, JsonNode service) {
        return !Json.text(pod.path("spec"), "hostname").isEmpty()
                && Json.text(pod.path("spec"), "subdomain").equals(Meta.name(service))
                && Meta.namespace(pod).equals(Meta.namespace(service));
    }

    /** A ClusterIP is allocated: not headless ({@code IsServiceIPSet}). */
    public static boolean hasClusterIp(JsonNode service) {
        String ip = Json.text(service.path("spec"), "clusterIP");
        return !ip.isEmpty() && !ip.equals("None");
    }

    /**
     * The container port a service port's targetPort reaches on this pod ({@code podutil.FindPort}): a number as it
     * is; a name looked up among the containers' (and sidecars') ports of the same protocol; empty when none has it.
     */
    public static OptionalInt findPort(JsonNode pod, JsonNode servicePort) {
        JsonNode target = servicePort.path("targetPort");
        if (target.isNumber()) return OptionalInt.of(target.asInt());
        if (!target.isTextual()) return OptionalInt.of(servicePort.path("port").asInt());
        String name = target.asText();
        String protocol = Json.text(servicePort, "protocol").isEmpty() ? "TCP" : Json.text(servicePort, "protocol");
        for (JsonNode c : pod.path("spec").path("containers")) {
            OptionalInt p = namedPort(c, name, protocol);
            if (p.isPresent()) return p;
        }
        for (JsonNode c : pod.path("spec").path("initContainers")) {
            if (!"Always".equals(Json.text(c, "restartPolicy"))) continue;
            OptionalInt p = namedPort(c, name, protocol);
            if (p.isPresent()) return p;
        }
        return OptionalInt.empty();
    }

    private static OptionalInt namedPort(JsonNode container, String name, String protocol) {
        for (JsonNode port : container.path("ports")) {
            String proto = Json.text(port, "protocol").isEmpty() ? "TCP" : Json.text(port, "protocol");
            if (name.equals(Json.text(port, "name")) && protocol.equals(proto)) return OptionalInt.of(port.path("containerPort").asInt());
        }
        return OptionalInt.empty();
    }
}
