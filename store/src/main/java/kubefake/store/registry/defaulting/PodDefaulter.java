package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import static kubefake.store.registry.defaulting.CoreDefaults.object;
import static kubefake.store.registry.defaulting.CoreDefaults.objects;
import static kubefake.store.registry.defaulting.CoreDefaults.putIfAbsent;
import kubefake.store.registry.validation.Quantity;
import java.util.ArrayList;

/**
 * What a pod gets on create: the PodSpec scheme defaults, {@code SetDefaults_Pod} (requests from limits,
 * {@code enableServiceLinks}, host-network ports) and the strategy's initial status ({@code phase: Pending},
 * {@code qosClass}). What the admission plugins add (service account and its token volume, priority, default
 * tolerations) is theirs: {@link kubefake.store.registry.admission.AdmissionChain}.
 */
public final class PodDefaulter implements Defaulter {

    @Override
    public void apply(ObjectNode pod) {
        applyOnUpdate(pod);
        applyAfterPrepare(pod);
    }

    @Override
    public void applyAfterPrepare(ObjectNode pod) {
        ObjectNode status = object(pod, "status");
        putIfAbsent(status, "phase", "Pending");
        if (CoreDefaults.emptyText(status, "qosClass")) status.put("qosClass", qosClass(object(pod, "spec")));
    }

    /** The scheme defaults alone (what decoding an update applies). */
    @Override
    public void applyOnUpdate(ObjectNode pod) {
        ObjectNode spec = object(pod, "spec");
        PodSpecDefaults.applySpec(spec);
        for (String list : List.of("initContainers", "containers")) {
            for (ObjectNode c : objects(spec, list)) {
                requestsFromLimits(c);
                if (spec.path("hostNetwork").asBoolean(false)) {
                    for (ObjectNode port : objects(c, "ports")) {
                        if (port.path("hostPort").asLong(0) == 0 && port.has("containerPort")) {
                            port.set("hostPort", port.get("containerPort"));
                        }
                    }
                }
            }
        }
        putIfAbsent(spec, "enableServiceLinks", true);
    }

    private static void requestsFromLimits(ObjectNode c) {
        JsonNode limits = c.path("resources").get("limits");
        if (limits == null || !limits.isObject()) {
            return;
        }
        ObjectNode requests = object(object(c, "resources"), "requests");
        for (var e : CoreDefaults.fields(limits)) {
            if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static List<ObjectNode> containersOf(ObjectNode spec) {
        List<ObjectNode> all = new ArrayList<>(objects(spec, "initContainers"));
        all.addAll(objects(spec, "containers"));
        return all;
    }

    /** The pod's QoS class from its containers' cpu and memory requests and limits. */
    static String qosClass(ObjectNode spec) {
        boolean any = false;
        boolean guaranteed = true;
        for (ObjectNode c : containersOf(spec)) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            for (String r : List.of("cpu", "memory")) {
                JsonNode req = requests.get(r);
                JsonNode lim = limits.get(r);
                if (req != null || lim != null) {
                    any = true;
                }
                if (lim == null || (req != null && !sameQuantity(req.asText(), lim.asText()))) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static boolean sameQuantity(String a, String b) {
        try {
            return Quantity.parse(a)
                    .compareTo(Quantity.parse(b)) == 0;
        } catch (IllegalArgumentException e) {
            return a.equals(b);
        }
    }
}
