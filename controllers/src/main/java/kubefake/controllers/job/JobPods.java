package kubefake.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.controllers.common.PodControl;
import kubefake.controllers.common.Pods;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the Job controller knows about its pods: how it makes them (the tracking finalizer; for Indexed Jobs the
 * completion index as annotation, label, hostname and {@code JOB_COMPLETION_INDEX}), and how it reads them (finished,
 * succeeded, failed, their index, when they finished), and completed indexes as the status writes them ({@code 0-2,5}).
 */
final class JobPods {
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    private JobPods() {
    }

    /** A new pod of the Job; {@code index} is its completion index, or -1 for a NonIndexed Job. */
    static ObjectNode newPod(ObjectNode job, OwnerReference ref, int index) {
        String name = Meta.name(job);
        JsonNode template = job.path("spec").path("template");
        ObjectNode pod = PodControl.podFromTemplate(template, Meta.namespace(job),
                index < 0 ? name + "-" : name + "-" + index + "-", ref);
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        ArrayNode finalizers = meta.withArray("finalizers");
        finalizers.add(TRACKING_FINALIZER);
        if (index < 0) return pod;
        String i = Integer.toString(index);
        Meta.annotationsNode(pod).put(COMPLETION_INDEX, i);
        Meta.labelsNode(pod).put(COMPLETION_INDEX, i);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        // a pod's hostname is <job>-<index>, so that a headless Service names each index
        spec.put("hostname", name + "-" + index);
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                ArrayNode env = ((ObjectNode) c).withArray("env");
                boolean has = false;
                for (JsonNode e : env) has |= e.path("name").asText().equals("JOB_COMPLETION_INDEX");
                if (has) continue;
                env.addObject().put("name", "JOB_COMPLETION_INDEX").putObject("valueFrom").putObject("fieldRef")
                        .put("apiVersion", "v1").put("fieldPath", "metadata.labels['" + COMPLETION_INDEX + "']");
            }
        }
        return pod;
    }

    static boolean hasFinalizer(JsonNode pod) {
        return Meta.hasFinalizer(pod, TRACKING_FINALIZER);
    }

    static boolean succeeded(JsonNode pod) {
        return Pods.phase(pod).equals("Succeeded");
    }

    /**
     * A failed pod: phase Failed, or (when the Job replaces terminating pods too) deleted before succeeding, since such a
     * pod may never reach a phase.
     */
    static boolean failed(JsonNode pod, JsonNode job) {
        String phase = Pods.phase(pod);
        if (phase.equals("Failed")) return true;
        // with a podFailurePolicy a pod's failure is only known once it has a phase (its exit codes)
        JsonNode spec = job.path("spec");
        if (spec.path("podReplacementPolicy").asText().equals("Failed") || spec.hasNonNull("podFailurePolicy")) return false;
        return Meta.isDeleting(pod) && !phase.equals("Succeeded");
    }

    /** Neither finished nor being deleted. */
    static boolean active(JsonNode pod) {
        String phase = Pods.phase(pod);
        return !phase.equals("Succeeded") && !phase.equals("Failed") && !Meta.isDeleting(pod);
    }

    /** Being deleted, not yet finished. */
    static boolean terminating(JsonNode pod) {
        String phase = Pods.phase(pod);
        return Meta.isDeleting(pod) && !phase.equals("Succeeded") && !phase.equals("Failed");
    }

    /** The pod's completion index, or -1 when it has none or one outside {@code [0, completions)}. */
    static int index(JsonNode pod, int completions) {
        String v = Meta.annotation(pod, COMPLETION_INDEX);
        if (v == null) return -1;
        try {
            int i = Integer.parseInt(v);
            return i >= 0 && i < completions ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** When the pod's last container finished, or {@code fallback} when none says. */
    static Instant finishedAt(JsonNode pod, Instant fallback) {
        Instant last = null;
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            Instant t = Meta.time(s.path("state").path("terminated").path("finishedAt"));
            if (t != null && (last == null || t.isAfter(last))) last = t;
        }
        return last == null ? fallback : last;
    }

    /** Container restarts of the pod (what {@code restartPolicy: OnFailure} counts against the backoff limit). */
    static int restarts(JsonNode pod) {
        int n = 0;
        for (String list : List.of("initContainerStatuses", "containerStatuses")) {
            for (JsonNode s : pod.path("status").path(list)) n += s.path("restartCount").asInt(0);
        }
        return n;
    }

    /** Parses {@code status.completedIndexes} ("1,3-5"). */
    static TreeSet<Integer> parseIndexes(String text, int completions) {
        TreeSet<Integer> out = new TreeSet<>();
        if (text == null || text.isEmpty()) return out;
        for (String part : text.split(",")) {
            try {
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                for (int i = from; i <= to && i < completions; i++) if (i >= 0) out.add(i);
            } catch (NumberFormatException e) {
                // what the controller cannot read it writes again from the pods
            }
        }
        return out;
    }

    /** Indexes as ranges: {@code 0-2,5}, {@code 0,1}. */
    static String formatIndexes(TreeSet<Integer> indexes) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (start == null) {
                start = i;
            } else if (i != prev + 1) {
                parts.add(range(start, prev));
                start = i;
            }
            prev = i;
        }
        if (start != null) parts.add(range(start, prev));
        return String.join(",", parts);
    }

    /** One interval as Kubernetes writes it: {@code 3}, {@code 3,4} (two are listed), {@code 3-5}. */
    private static String range(int first, int last) {
        if (first == last) return Integer.toString(first);
        return first + (last == first + 1 ? "," : "-") + last;
    }
}
