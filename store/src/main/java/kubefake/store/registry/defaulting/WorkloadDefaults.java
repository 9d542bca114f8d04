package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static kubefake.store.registry.defaulting.CoreDefaults.absent;
import static kubefake.store.registry.defaulting.CoreDefaults.object;
import static kubefake.store.registry.defaulting.CoreDefaults.objects;
import static kubefake.store.registry.defaulting.CoreDefaults.putIfAbsent;

/**
 * Defaults of the workload kinds (apps/v1 and batch/v1 {@code SetDefaults_*}): replicas, strategies, history
 * limits, deadlines, and the PodSpec defaults of their pod templates.
 */
final class WorkloadDefaults {

    private WorkloadDefaults() {
    }

    static void deployment(ObjectNode d) {
        ObjectNode spec = object(d, "spec");
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = object(spec, "strategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode ru = object(strategy, "rollingUpdate");
            putIfAbsent(ru, "maxUnavailable", "25%");
            putIfAbsent(ru, "maxSurge", "25%");
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        PodSpecDefaults.applyTemplate(object(spec, "template"));
    }

    static void replicaSet(ObjectNode rs) {
        ObjectNode spec = object(rs, "spec");
        putIfAbsent(spec, "replicas", 1);
        PodSpecDefaults.applyTemplate(object(spec, "template"));
    }

    /** ReplicationController: replicas 1; selector and labels from the template's labels. */
    static void replicationController(ObjectNode rc) {
        ObjectNode spec = object(rc, "spec");
        putIfAbsent(spec, "replicas", 1);
        JsonNode labels = spec.path("template").path("metadata").get("labels");
        if (labels != null && labels.isObject() && labels.size() > 0) {
            if (absent(spec, "selector") || spec.get("selector").size() == 0) {
                spec.set("selector", labels.deepCopy());
            }
            ObjectNode meta = object(rc, "metadata");
            if (absent(meta, "labels") || meta.get("labels").size() == 0) {
                meta.set("labels", labels.deepCopy());
            }
        }
        PodSpecDefaults.applyTemplate(object(spec, "template"));
    }

    static void statefulSet(ObjectNode sts) {
        ObjectNode spec = object(sts, "spec");
        putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = object(spec, "updateStrategy");
        if (CoreDefaults.emptyText(strategy, "type")) {
            strategy.put("type", "RollingUpdate");
            object(strategy, "rollingUpdate");
        }
        if (strategy.path("type").asText().equals("RollingUpdate") && strategy.get("rollingUpdate") instanceof ObjectNode ru) {
            putIfAbsent(ru, "partition", 0);
        }
        ObjectNode retention = object(spec, "persistentVolumeClaimRetentionPolicy");
        putIfAbsent(retention, "whenDeleted", "Retain");
        putIfAbsent(retention, "whenScaled", "Retain");
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.applyTemplate(object(spec, "template"));
        for (ObjectNode pvc : objects(spec, "volumeClaimTemplates")) {
            CoreDefaults.persistentVolumeClaim(pvc);
        }
    }

    static void daemonSet(ObjectNode ds) {
        ObjectNode spec = object(ds, "spec");
        ObjectNode strategy = object(spec, "updateStrategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asText().equals("RollingUpdate")) {
            ObjectNode ru = object(strategy, "rollingUpdate");
            putIfAbsent(ru, "maxUnavailable", 1);
            putIfAbsent(ru, "maxSurge", 0);
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.applyTemplate(object(spec, "template"));
    }

    static void job(ObjectNode job) {
        jobSpec(object(job, "spec"));
    }

    private static void jobSpec(ObjectNode spec) {
        if (absent(spec, "completions") && absent(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        putIfAbsent(spec, "parallelism", 1);
        if (absent(spec, "backoffLimit")) {
            spec.put("backoffLimit", absent(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
        }
        putIfAbsent(spec, "completionMode", "NonIndexed");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "podReplacementPolicy", absent(spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
        // a pod condition pattern without a status matches the condition being True
        for (JsonNode rule : spec.path("podFailurePolicy").path("rules")) {
            for (JsonNode pattern : rule.path("onPodConditions")) {
                if (pattern instanceof ObjectNode o) putIfAbsent(o, "status", "True");
            }
        }
        PodSpecDefaults.applyTemplate(object(spec, "template"));
    }

    static void cronJob(ObjectNode cj) {
        ObjectNode spec = object(cj, "spec");
        putIfAbsent(spec, "concurrencyPolicy", "Allow");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        putIfAbsent(spec, "failedJobsHistoryLimit", 1);
        jobSpec(object(object(spec, "jobTemplate"), "spec"));
    }
}
