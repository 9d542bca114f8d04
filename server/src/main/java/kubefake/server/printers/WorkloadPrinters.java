package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.CONTAINERS_WIDE;
import static kubefake.server.printers.Columns.IMAGES_WIDE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.bool;
import static kubefake.server.printers.Columns.integer;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Printers of workloads: apps (deployments, replica sets...), batch (jobs, cron jobs) and pod disruption budgets. */
final class WorkloadPrinters {

    private static final List<Column> DEPLOYMENTS = List.of(
            NAME,
            string("Ready", "Number of the pod with ready state"),
            string("Up-to-date", "Total number of non-terminating pods targeted by this deployment that have the desired "
                    + "template spec."),
            string("Available", "Total number of available non-terminating pods (ready for at least minReadySeconds) "
                    + "targeted by this deployment."),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE,
            wide("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the "
                    + "ones affected by this deployment."));

    private static final List<Column> REPLICA_SETS = List.of(
            NAME,
            integer("Desired", "Replicas is the number of desired pods. This is a pointer to distinguish between explicit "
                    + "zero and unspecified. Defaults to 1. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
            integer("Current", "Replicas is the most recently observed number of non-terminating pods. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"),
            integer("Ready", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE,
            wide("Selector", "Selector is a label query over pods that should match the replica count. If the selector "
                    + "is empty, it is defaulted to the labels present on the pod template. Label keys and "
                    + "values that must match in order to be controlled by this replica set. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    private static final List<Column> STATEFUL_SETS = List.of(
            NAME,
            string("Ready", "Number of the pod with ready state"),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE);

    private static final List<Column> DAEMON_SETS = List.of(
            NAME,
            integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes "
                    + "correctly running the daemon pod). More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the "
                    + "daemon pod. More info: "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
            integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the "
                    + "daemon pod running and ready."),
            integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
            integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the "
                    + "daemon pod running and available (ready for at least spec.minReadySeconds)"),
            string("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector "
                    + "which must match a node's labels for the pod to be scheduled on that node. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE,
            wide("Selector", "A label query over pods that are managed by the daemon set. Must match in order to be "
                    + "controlled. If empty, defaulted to labels on Pod template. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    private static final List<Column> CONTROLLER_REVISIONS = List.of(
            NAME,
            string("Controller", "Controller of the object"),
            string("Revision", "revision indicates the revision of the state represented by Data."),
            AGE);

    private static final List<Column> JOBS = List.of(
            NAME,
            string("Status", "Status of the job."),
            string("Completions", "The number of pods which reached phase Succeeded. The value increases monotonically for a "
                    + "given spec. However, it may decrease in reaction to scale down of elastic indexed jobs."),
            string("Duration", "Time required to complete the job."),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE,
            wide("Selector", "A label query over pods that should match the pod count. Normally, the system sets this "
                    + "field for you. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    private static final List<Column> CRON_JOBS = List.of(
            NAME,
            string("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            string("Timezone", "The time zone name for the given schedule, see "
                    + "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will "
                    + "default to the time zone of the kube-controller-manager process. The set of valid time "
                    + "zone names and the time zone offset is loaded from the system-wide time zone database by "
                    + "the API server during CronJob validation and the controller manager during execution. If "
                    + "no system-wide time zone database can be found a bundled version of the database is used "
                    + "instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to "
                    + "a change in host configuration, the controller will stop creating new new Jobs and will "
                    + "create a system event with the reason UnknownTimeZone. More information can be found in "
                    + "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
            bool("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to "
                    + "already started executions.  Defaults to false."),
            integer("Active", "A list of pointers to currently running jobs."),
            string("Last Schedule", "Information when was the last time the job was successfully scheduled."),
            AGE,
            CONTAINERS_WIDE,
            IMAGES_WIDE,
            wide("Selector", "A label query over pods that should match the pod count. Normally, the system sets this "
                    + "field for you. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"));

    private static final List<Column> POD_DISRUPTION_BUDGETS = List.of(
            NAME,
            string("Min Available", "The minimum number of pods that must be available."),
            string("Max Unavailable", "The maximum number of pods that may be unavailable."),
            integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
            AGE);

    private WorkloadPrinters() {
    }

    static void register(TablePrinters.Registry registry) {
        registry.add("apps", "deployments", new SimplePrinter(DEPLOYMENTS, (deploy, now) -> {
            List<String> containers = Formats.containers(Fields.at(deploy, "spec", "template", "spec"));
            return List.of(Fields.name(deploy),
                    Fields.number(deploy, "status", "readyReplicas") + "/" + desiredReplicas(deploy),
                    Fields.number(deploy, "status", "updatedReplicas"),
                    Fields.number(deploy, "status", "availableReplicas"),
                    Formats.age(deploy, now), containers.get(0), containers.get(1),
                    LabelSelectors.formatOrInvalid(Fields.at(deploy, "spec", "selector")));
        }));
        registry.add("apps", "replicasets", new SimplePrinter(REPLICA_SETS, (rs, now) -> {
            List<String> containers = Formats.containers(Fields.at(rs, "spec", "template", "spec"));
            return List.of(Fields.name(rs), desiredReplicas(rs), Fields.number(rs, "status", "replicas"),
                    Fields.number(rs, "status", "readyReplicas"), Formats.age(rs, now),
                    containers.get(0), containers.get(1),
                    LabelSelectors.formatOrNone(Fields.at(rs, "spec", "selector")));
        }));
        registry.add("apps", "statefulsets", new SimplePrinter(STATEFUL_SETS, (sts, now) -> {
            List<String> containers = Formats.containers(Fields.at(sts, "spec", "template", "spec"));
            return List.of(Fields.name(sts),
                    Fields.number(sts, "status", "readyReplicas") + "/" + desiredReplicas(sts),
                    Formats.age(sts, now), containers.get(0), containers.get(1));
        }));
        registry.add("apps", "daemonsets", new SimplePrinter(DAEMON_SETS, (ds, now) -> {
            JsonNode status = Fields.at(ds, "status");
            List<String> containers = Formats.containers(Fields.at(ds, "spec", "template", "spec"));
            return List.of(Fields.name(ds),
                    Fields.number(status, "desiredNumberScheduled"), Fields.number(status, "currentNumberScheduled"),
                    Fields.number(status, "numberReady"), Fields.number(status, "updatedNumberScheduled"),
                    Fields.number(status, "numberAvailable"),
                    Formats.labels(Fields.stringMap(ds, "spec", "template", "spec", "nodeSelector")),
                    Formats.age(ds, now), containers.get(0), containers.get(1),
                    LabelSelectors.formatOrNone(Fields.at(ds, "spec", "selector")));
        }));
        registry.add("apps", "controllerrevisions", new SimplePrinter(CONTROLLER_REVISIONS, (revision, now) ->
                List.of(Fields.name(revision), controllerName(revision), Fields.number(revision, "revision"),
                        Formats.age(revision, now))));
        registry.add("batch", "jobs", new SimplePrinter(JOBS, WorkloadPrinters::jobCells));
        registry.add("batch", "cronjobs", new SimplePrinter(CRON_JOBS, (cronJob, now) -> {
            JsonNode spec = Fields.at(cronJob, "spec");
            Instant lastSchedule = Fields.time(cronJob, "status", "lastScheduleTime");
            String timeZone = Fields.text(spec, "timeZone");
            List<String> containers = Formats.containers(Fields.at(spec, "jobTemplate", "spec", "template", "spec"));
            return List.of(Fields.name(cronJob), Fields.text(spec, "schedule"),
                    Fields.has(spec, "timeZone") ? timeZone : Formats.NONE,
                    Fields.has(spec, "suspend") ? Formats.boolText(Fields.bool(spec, "suspend")) : Formats.UNSET,
                    (long) Fields.size(cronJob, "status", "active"),
                    lastSchedule == null ? Formats.NONE : Formats.since(lastSchedule, now),
                    Formats.age(cronJob, now), containers.get(0), containers.get(1),
                    LabelSelectors.formatOrNone(Fields.at(spec, "jobTemplate", "spec", "selector")));
        }));
        registry.add("autoscaling", "horizontalpodautoscalers", new HorizontalPodAutoscalerPrinter());
        registry.add("policy", "poddisruptionbudgets", new SimplePrinter(POD_DISRUPTION_BUDGETS, (pdb, now) ->
                List.of(Fields.name(pdb),
                        Fields.has(pdb, "spec", "minAvailable") ? Fields.text(pdb, "spec", "minAvailable") : "N/A",
                        Fields.has(pdb, "spec", "maxUnavailable") ? Fields.text(pdb, "spec", "maxUnavailable") : "N/A",
                        Fields.number(pdb, "status", "disruptionsAllowed"), Formats.age(pdb, now))));
    }

    /** spec.replicas; a missing value means 1, as the v1 defaulting would have made it. */
    static long desiredReplicas(JsonNode object) {
        return Fields.has(object, "spec", "replicas") ? Fields.number(object, "spec", "replicas") : 1;
    }

    private static List<Object> jobCells(JsonNode job, Instant now) {
        JsonNode spec = Fields.at(job, "spec");
        JsonNode status = Fields.at(job, "status");
        long succeeded = Fields.number(status, "succeeded");
        String completions;
        if (Fields.has(spec, "completions")) {
            completions = succeeded + "/" + Fields.number(spec, "completions");
        } else {
            long parallelism = Fields.number(spec, "parallelism");
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }
        Instant start = Fields.time(status, "startTime");
        Instant completion = Fields.time(status, "completionTime");
        String duration = "";
        if (start != null) {
            duration = completion == null ? Formats.since(start, now)
                    : HumanDuration.format(Duration.between(start, completion));
        }
        String state;
        if (jobCondition(status, "Complete")) {
            state = "Complete";
        } else if (jobCondition(status, "Failed")) {
            state = "Failed";
        } else if (Fields.has(job, "metadata", "deletionTimestamp")) {
            state = "Terminating";
        } else if (jobCondition(status, "Suspended")) {
            state = "Suspended";
        } else if (jobCondition(status, "FailureTarget")) {
            state = "FailureTarget";
        } else {
            state = "Running";
        }
        List<String> containers = Formats.containers(Fields.at(spec, "template", "spec"));
        return List.of(Fields.name(job), state, completions, duration, Formats.age(job, now),
                containers.get(0), containers.get(1), LabelSelectors.formatOrNone(Fields.at(spec, "selector")));
    }

    /** Whether the job's first condition of this type is True. */
    private static boolean jobCondition(JsonNode status, String type) {
        for (JsonNode condition : Fields.list(status, "conditions")) {
            if (Fields.text(condition, "type").equals(type)) {
                return Fields.text(condition, "status").equals("True");
            }
        }
        return false;
    }

    /** The controlling owner as {@code kind.group/name} in lower case ({@code daemonset.apps/fluentd}). */
    private static String controllerName(JsonNode object) {
        for (JsonNode owner : Fields.list(object, "metadata", "ownerReferences")) {
            if (!Fields.bool(owner, "controller")) {
                continue;
            }
            String apiVersion = Fields.text(owner, "apiVersion");
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String kind = Fields.text(owner, "kind");
            String groupKind = group.isEmpty() ? kind : kind + "." + group;
            String name = Fields.text(owner, "name");
            return groupKind.isEmpty() ? name : groupKind.toLowerCase(Locale.ROOT) + "/" + name;
        }
        return Formats.NONE;
    }
}
