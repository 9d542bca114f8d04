package kubefake.controllers.statefulset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.Pods;
import kubefake.controllers.history.ControllerHistory;
import kubefake.store.registry.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A StatefulSet's pods and claims by ordinal ({@code stateful_set_utils.go}). */
final class StatefulPods {
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    static final String REVISION_LABEL = ControllerHistory.POD_REVISION_LABEL;
    private static final Pattern ORDINAL = Pattern.compile("^(.*)-([0-9]+)$");

    private StatefulPods() {
    }

    /** The ordinal in a pod's name, or -1 when it has none. */
    static int ordinal(JsonNode pod) {
        Matcher m = ORDINAL.matcher(Meta.name(pod));
        if (!m.matches()) return -1;
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the pod's name says it belongs to the set ({@code isMemberOf}). */
    static boolean isMemberOf(JsonNode set, JsonNode pod) {
        Matcher m = ORDINAL.matcher(Meta.name(pod));
        return m.matches() && m.group(1).equals(Meta.name(set));
    }

    static String podName(JsonNode set, int ordinal) {
        return Meta.name(set) + "-" + ordinal;
    }

    static String claimName(JsonNode set, JsonNode claimTemplate, int ordinal) {
        return Meta.name(claimTemplate) + "-" + Meta.name(set) + "-" + ordinal;
    }

    static String revision(JsonNode pod) {
        String r = Meta.labels(pod).get(REVISION_LABEL);
        return r == null ? "" : r;
    }

    static int startOrdinal(JsonNode set) {
        return set.path("spec").path("ordinals").path("start").asInt(0);
    }

    static boolean isTerminating(JsonNode pod) {
        return Meta.isDeleting(pod);
    }

    static boolean isRunningAndReady(JsonNode pod) {
        return Pods.phase(pod).equals("Running") && Pods.isReady(pod);
    }

    static boolean isRunningAndAvailable(JsonNode pod, long minReadySeconds, Instant now) {
        return Pods.phase(pod).equals("Running") && Pods.isAvailable(pod, minReadySeconds, now);
    }

    static boolean isHealthy(JsonNode pod) {
        return isRunningAndReady(pod) && !isTerminating(pod);
    }

    static boolean hasFinished(JsonNode pod) {
        String phase = Pods.phase(pod);
        return phase.equals("Failed") || phase.equals("Succeeded");
    }

    /**
     * The pod of an ordinal at a revision ({@code newVersionedStatefulSetPod}): from the template, named
     * {@code <set>-<ordinal>} with {@code generateName: <set>-}, its identity labels, hostname and subdomain, its
     * claims' volumes and the revision label.
     */
    static ObjectNode newPod(JsonNode set, JsonNode template, int ordinal, String revision) {
        OwnerReference ref = OwnerReference.controllerRef(set, "apps/v1", "StatefulSet");
        ObjectNode pod = PodControl.podFromTemplate(template, Meta.namespace(set), Meta.name(set) + "-", ref);
        String name = podName(set, ordinal);
        ObjectNode meta = Json.metadata(pod);
        meta.put("name", name);
        ObjectNode labels = meta.with("labels");
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(REVISION_LABEL, revision);
        ObjectNode spec = pod.with("spec");
        spec.put("hostname", name);
        String serviceName = Json.text(set.path("spec"), "serviceName");
        if (!serviceName.isEmpty()) spec.put("subdomain", serviceName);
        updateStorage(set, pod, ordinal);
        return pod;
    }

    /** Each claim template becomes a volume of the pod, replacing a template volume of the same name. */
    private static void updateStorage(JsonNode set, ObjectNode pod, int ordinal) {
        JsonNode templates = set.path("spec").path("volumeClaimTemplates");
        if (templates.isEmpty()) return;
        List<String> claimNames = new ArrayList<>();
        templates.forEach(t -> claimNames.add(Meta.name(t)));
        ArrayNode volumes = Json.MAPPER.createArrayNode();
        for (JsonNode t : templates) {
            ObjectNode v = volumes.addObject();
            v.put("name", Meta.name(t));
            v.putObject("persistentVolumeClaim").put("claimName", claimName(set, t, ordinal));
        }
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (!claimNames.contains(Json.text(v, "name"))) volumes.add(v);
        }
        pod.with("spec").set("volumes", volumes);
    }

    /** The claims of an ordinal ({@code getPersistentVolumeClaims}): the templates, named for the pod, with the selector's labels. */
    static List<ObjectNode> claims(JsonNode set, int ordinal) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode matchLabels = set.path("spec").path("selector").path("matchLabels");
        for (JsonNode t : set.path("spec").path("volumeClaimTemplates")) {
            ObjectNode claim = t.deepCopy();
            claim.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
            ObjectNode meta = Json.metadata(claim);
            meta.put("name", claimName(set, t, ordinal)).put("namespace", Meta.namespace(set));
            meta.remove(List.of("uid", "resourceVersion", "creationTimestamp"));
            ObjectNode labels = meta.with("labels");
            matchLabels.properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
            if (labels.isEmpty()) meta.remove("labels");
            claim.remove("status");
            out.add(claim);
        }
        return out;
    }
}
