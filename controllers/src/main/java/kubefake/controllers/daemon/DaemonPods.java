package kubefake.controllers.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.scheduling.RequiredNodeAffinity;
import kubefake.client.scheduling.Taint;
import kubefake.client.scheduling.Toleration;
import kubefake.client.scheduling.Tolerations;
import kubefake.controllers.history.ControllerHistory;
import kubefake.store.registry.Json;

import java.util.List;

/**
 * What the DaemonSet controller knows about its pods ({@code pkg/controller/daemon/util} and
 * {@code NodeShouldRunDaemonPod}): which nodes should run one, the template its pods are made from (with the
 * tolerations every daemon pod gets, the revision hash and template generation labels) and the node affinity that
 * ties each pod to its node for the scheduler.
 */
final class DaemonPods {
    static final String TEMPLATE_GENERATION_LABEL = "pod-template-generation";
    static final String TEMPLATE_GENERATION_ANNOTATION = "deprecated.daemonset.template.generation";

    private DaemonPods() {
    }

    /** Whether a daemon pod should be created on the node, and whether one already there may stay. */
    record Eligibility(boolean shouldRun, boolean shouldContinueRunning) {
    }

    /**
     * {@code NodeShouldRunDaemonPod}'s view of a DaemonSet's template, read once per sync rather than once per node: the
     * nodeName it names (if any), its required node affinity and nodeSelector, and its tolerations with the daemon ones.
     */
    record Placement(String nodeName, RequiredNodeAffinity affinity, List<Toleration> tolerations) {
        static Placement of(JsonNode ds) {
            JsonNode spec = ds.path("spec").path("template").path("spec");
            return new Placement(Json.text(spec, "nodeName"), RequiredNodeAffinity.ofSpec(spec), DaemonPods.tolerations(spec));
        }

        /**
         * {@code NodeShouldRunDaemonPod}: the template's nodeName (if any) and required node affinity must match; a
         * NoSchedule or NoExecute taint the pod does not tolerate keeps new pods off, and only an untolerated NoExecute
         * taint removes one already there.
         */
        Eligibility eligibility(DaemonNode node) {
            if (!nodeName.isEmpty() && !nodeName.equals(node.name())) return new Eligibility(false, false);
            if (!affinity.matches(node.labels(), node.name())) return new Eligibility(false, false);
            if (Tolerations.findUntolerated(node.taints(), tolerations, Tolerations.DO_NOT_SCHEDULE).isPresent()) {
                return new Eligibility(false, Tolerations.findUntolerated(node.taints(), tolerations, Tolerations.NO_EXECUTE).isEmpty());
            }
            return new Eligibility(true, true);
        }
    }

    /**
     * {@code AddOrUpdateDaemonPodTolerations}: daemon pods stay on nodes that are not ready or unreachable, and go
     * to nodes under pressure, cordoned, or (for host-network pods) without a network yet.
     */
    static List<Toleration> tolerations(JsonNode podSpec) {
        List<Toleration> t = Toleration.ofSpec(podSpec);
        t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.NOT_READY, Taint.NO_EXECUTE));
        t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.UNREACHABLE, Taint.NO_EXECUTE));
        t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.DISK_PRESSURE, Taint.NO_SCHEDULE));
        t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.MEMORY_PRESSURE, Taint.NO_SCHEDULE));
        t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.PID_PRESSURE, Taint.NO_SCHEDULE));
        t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.UNSCHEDULABLE, Taint.NO_SCHEDULE));
        if (podSpec.path("hostNetwork").asBoolean(false)) {
            t = Tolerations.addOrUpdate(t, Toleration.exists(Taint.NETWORK_UNAVAILABLE, Taint.NO_SCHEDULE));
        }
        return t;
    }

    /** {@code CreatePodTemplate}: the DaemonSet's template with the daemon tolerations and the generation and hash labels. */
    static ObjectNode podTemplate(ObjectNode ds, String hash) {
        ObjectNode template = ds.path("spec").path("template").deepCopy();
        ObjectNode spec = template.with("spec");
        List<Toleration> all = tolerations(spec);
        ArrayNode tolerations = spec.putArray("tolerations");
        all.forEach(t -> tolerations.add(t.toJson()));
        ObjectNode labels = template.with("metadata").with("labels");
        String generation = Json.text(ds.path("metadata").path("annotations"), TEMPLATE_GENERATION_ANNOTATION);
        if (!generation.isEmpty()) labels.put(TEMPLATE_GENERATION_LABEL, generation);
        if (!hash.isEmpty()) labels.put(ControllerHistory.POD_REVISION_LABEL, hash);
        return template;
    }

    /**
     * A pod of the template for one node ({@code GetPodFromTemplate} with {@code ReplaceDaemonSetPodNodeNameNodeAffinity}):
     * generateName {@code <ds>-}, the template's labels, annotations and finalizers, the DaemonSet as controller, and a
     * required node affinity on the node's name in place of the template's terms.
     */
    static ObjectNode pod(ObjectNode ds, ObjectNode template, String node) {
        JsonNode dsMeta = ds.path("metadata");
        JsonNode templateMeta = template.path("metadata");
        ObjectNode pod = Json.MAPPER.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("generateName", Json.text(dsMeta, "name") + "-").put("namespace", Json.text(dsMeta, "namespace"));
        for (String f : List.of("labels", "annotations", "finalizers")) {
            if (!templateMeta.path(f).isEmpty()) meta.set(f, templateMeta.get(f).deepCopy());
        }
        meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "DaemonSet")
                .put("name", Json.text(dsMeta, "name")).put("uid", Json.text(dsMeta, "uid"))
                .put("controller", true).put("blockOwnerDeletion", true);
        ObjectNode spec = template.path("spec").deepCopy();
        ObjectNode nodeAffinity = spec.with("affinity").with("nodeAffinity");
        ObjectNode required = nodeAffinity.with("requiredDuringSchedulingIgnoredDuringExecution");
        ObjectNode term = required.putArray("nodeSelectorTerms").addObject();
        term.putArray("matchFields").addObject().put("key", "metadata.name").put("operator", "In").putArray("values").add(node);
        pod.set("spec", spec);
        return pod;
    }

    /** {@code GetTargetNodeName}: the pod's node, or the one its node affinity names; "" when neither. */
    static String targetNode(JsonNode pod) {
        String node = Json.text(pod.path("spec"), "nodeName");
        if (!node.isEmpty()) return node;
        JsonNode terms = pod.path("spec").path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        for (JsonNode term : terms) {
            for (JsonNode r : term.path("matchFields")) {
                if ("metadata.name".equals(Json.text(r, "key")) && "In".equals(Json.text(r, "operator"))) {
                    return r.path("values").size() == 1 ? r.path("values").get(0).asText() : "";
                }
            }
        }
        return "";
    }
}
