package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.defaulting.PodSpecDefaults;
import kubefake.store.registry.validation.ObjectValidator;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Pods: status subresource, generation, QoS class on create, binding to a node (pods/binding), ephemeral containers
 * added by kubectl debug (pods/ephemeralcontainers), and graceful deletion — a pod bound to a node stays
 * (Terminating) until its kubelet confirms, an unbound or finished pod goes at once.
 */
public class PodStrategy extends StatusStrategy {
    public PodStrategy() {
        super(new KindRules(Defaulter.POD, Validators.POD, FieldLabels.POD));
    }

    @Override
    public boolean tracksGeneration() { return true; }

    @Override
    public boolean returnsDeletedObject() { return true; }

    @Override
    public void prepareForCreate(ObjectNode pod) {
        pod.remove("status");
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(pod.path("spec")));
    }



    /**
     * pods/ephemeralcontainers (kubectl debug): takes only spec.ephemeralContainers from the request, defaulted as
     * the decoded object is on the real server, and bumps the generation as that spec change does there.
     */
    @Override
    public ObjectNode subresourceUpdate(String subresource, ObjectNode old, ObjectNode proposed) {
        if (!subresource.equals("ephemeralcontainers")) return super.subresourceUpdate(subresource, old, proposed);
        ObjectNode updated = old.deepCopy();
        ObjectNode spec = updated.get("spec") instanceof ObjectNode s ? s : updated.putObject("spec");
        if (proposed.path("spec").get("ephemeralContainers") instanceof ArrayNode containers && !containers.isEmpty()) {
            ArrayNode copy = containers.deepCopy();
            copy.forEach(c -> {
                if (c instanceof ObjectNode container) PodSpecDefaults.applyContainer(container);
            });
            spec.set("ephemeralContainers", copy);
        } else {
            spec.remove("ephemeralContainers");
        }
        if (!spec.path("ephemeralContainers").equals(old.path("spec").path("ephemeralContainers"))) {
            ObjectNode meta = Json.metadata(updated);
            meta.put("generation", meta.path("generation").asLong(1) + 1);
        }
        return updated;
    }

    @Override
    public ObjectValidator subresourceValidator(String subresource) {
        return subresource.equals("ephemeralcontainers") ? Validators.POD_EPHEMERAL_CONTAINERS
                : super.subresourceValidator(subresource);
    }

    /** pods/binding: the scheduler (or anyone allowed to) assigns the pod to a node. */
    @Override
    public UnaryOperator<ObjectNode> subresourceAction(String subresource, String name, ObjectNode body, Instant now) {
        if (!subresource.equals("binding")) return super.subresourceAction(subresource, name, body, now);
        return PodBinding.change(name, body, now);
    }

    @Override
    public Long gracefulDeletionSeconds(ObjectNode pod, Long requestedGrace) {
        String phase = pod.path("status").path("phase").asText("");
        if (Json.text(pod.path("spec"), "nodeName").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
            return null;
        }
        long grace = requestedGrace != null ? requestedGrace
                : pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        // the real API server turns a 0 grace period without force into 1 s; kubectl's --force sends 0 to delete now
        return grace <= 0 ? null : grace;
    }

    /** Guaranteed, Burstable or BestEffort, from the containers' requests and limits (pkg/apis/core/helper/qos). */
    static String qosClass(JsonNode spec) {
        List<JsonNode> containers = new ArrayList<>();
        spec.path("containers").forEach(containers::add);
        spec.path("initContainers").forEach(containers::add);
        boolean any = false;
        boolean guaranteed = true;
        for (JsonNode c : containers) {
            JsonNode req = c.path("resources").path("requests");
            JsonNode lim = c.path("resources").path("limits");
            for (String r : List.of("cpu", "memory")) {
                if (req.has(r) || lim.has(r)) any = true;
                JsonNode l = lim.get(r);
                JsonNode q = req.has(r) ? req.get(r) : l;
                if (l == null || q == null || !l.asText().equals(q.asText())) guaranteed = false;
            }
        }
        if (!any) return "BestEffort";
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
