package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.string;
import static kubefake.server.printers.Columns.wide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods: Name, Ready ({@code 1/2}), Status (the phase refined by container states:
 * {@code Init:0/1}, {@code CrashLoopBackOff}, {@code Completed}, {@code Terminating}...),
 * Restarts ({@code 3 (5m ago)}), Age; wide: IP, Node, Nominated Node, Readiness Gates.
 */
final class PodPrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(
            NAME,
            string("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            string("Status", "The aggregate status of the containers in this pod."),
            string("Restarts", "The number of times the containers in this pod have been restarted and when the"
                    + " last container in this pod has restarted."),
            AGE,
            wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet"
                    + " allocated."),
            wide("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate"
                    + " for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet"
                    + " for this node becomes responsible for the lifecycle of this pod. This field should not be used"
                    + " to express a desire for the pod to be scheduled on a specific node."
                    + " https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename"),
            wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node,"
                    + " but it cannot be scheduled right away as preemption victims receive their graceful"
                    + " termination periods. This field does not guarantee that the pod will be scheduled on this"
                    + " node. Scheduler may decide to place the pod elsewhere if other nodes become available"
                    + " sooner. Scheduler may also decide to give the resources on this node to a higher priority pod"
                    + " that is created after preemption. As a result, this field may be different than"
                    + " PodSpec.nodeName when the pod is scheduled."),
            wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is"
                    + " ready when all its containers are ready AND all conditions specified in the readiness gates"
                    + " have status equal to \"True\" More info:"
                    + " https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates"));

    /** What {@link #cells} and {@link #rowConditions} read (the containers' specs only to be counted). */
    private static final FieldSet CONTAINER_STATUS = FieldSet.of("name", FieldSet.WHOLE, "restartCount", FieldSet.WHOLE,
            "state", FieldSet.WHOLE, "lastState", FieldSet.WHOLE, "ready", FieldSet.WHOLE, "started", FieldSet.WHOLE);
    private static final FieldSet READS = FieldSet.of(
            "metadata", FieldSet.of("name", FieldSet.WHOLE, "creationTimestamp", FieldSet.WHOLE,
                    "deletionTimestamp", FieldSet.WHOLE),
            "spec", FieldSet.of("containers", FieldSet.NONE,
                    "initContainers", FieldSet.of("name", FieldSet.WHOLE, "restartPolicy", FieldSet.WHOLE),
                    "nodeName", FieldSet.WHOLE, "readinessGates", FieldSet.WHOLE),
            "status", FieldSet.of("phase", FieldSet.WHOLE, "reason", FieldSet.WHOLE, "conditions", FieldSet.WHOLE,
                    "initContainerStatuses", CONTAINER_STATUS, "containerStatuses", CONTAINER_STATUS,
                    "podIP", FieldSet.WHOLE, "podIPs", FieldSet.WHOLE, "nominatedNodeName", FieldSet.WHOLE));

    /** The reason the node lifecycle controller gives pods of a node that stopped reporting. */
    private static final String NODE_LOST = "NodeLost";

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public FieldSet reads() {
        return READS;
    }

    @Override
    public List<Object> cells(ObjectNode pod, Instant now) {
        Summary summary = summarize(pod);
        String restarts = Integer.toString(summary.restarts);
        if (summary.restarts != 0 && summary.lastRestart != null) {
            restarts = summary.restarts + " (" + Formats.since(summary.lastRestart, now) + " ago)";
        }
        return List.of(
                Fields.name(pod),
                summary.ready + "/" + summary.total,
                summary.reason,
                restarts,
                Formats.age(pod, now),
                orNone(podIP(pod)),
                orNone(Fields.text(pod, "spec", "nodeName")),
                orNone(Fields.text(pod, "status", "nominatedNodeName")),
                readinessGates(pod));
    }

    @Override
    public List<RowCondition> rowConditions(ObjectNode pod) {
        return switch (Fields.text(pod, "status", "phase")) {
            case "Succeeded" -> List.of(new RowCondition("Completed", "True", "Succeeded",
                    "The pod has completed successfully."));
            case "Failed" -> List.of(new RowCondition("Completed", "True", "Failed", "The pod failed."));
            default -> List.of();
        };
    }

    /** What the Ready, Status and Restarts cells are made of. */
    private static final class Summary {
        int ready;
        int total;
        int restarts;
        Instant lastRestart;
        String reason;
    }

    private static Summary summarize(JsonNode pod) {
        Summary s = new Summary();
        JsonNode status = Fields.at(pod, "status");
        String phase = Fields.text(status, "phase");
        s.total = Fields.size(pod, "spec", "containers");
        s.reason = Fields.text(status, "reason").isEmpty() ? phase : Fields.text(status, "reason");
        for (JsonNode condition : Fields.list(status, "conditions")) {
            if (Fields.text(condition, "type").equals("PodScheduled")
                    && Fields.text(condition, "reason").equals("SchedulingGated")) {
                s.reason = "SchedulingGated";
            }
        }

        // Sidecars (init containers with restartPolicy Always) count as regular containers.
        Map<String, JsonNode> initContainers = new HashMap<>();
        List<JsonNode> initSpecs = Fields.list(pod, "spec", "initContainers");
        for (JsonNode init : initSpecs) {
            initContainers.put(Fields.text(init, "name"), init);
            if (isSidecar(init)) {
                s.total++;
            }
        }

        int sidecarRestarts = 0;
        Instant lastSidecarRestart = null;
        boolean initializing = false;
        List<JsonNode> initStatuses = Fields.list(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode container = initStatuses.get(i);
            int restartCount = (int) Fields.number(container, "restartCount");
            Instant finished = Fields.time(container, "lastState", "terminated", "finishedAt");
            s.restarts += restartCount;
            s.lastRestart = later(s.lastRestart, finished);
            boolean sidecar = isSidecar(initContainers.get(Fields.text(container, "name")));
            if (sidecar) {
                sidecarRestarts += restartCount;
                lastSidecarRestart = later(lastSidecarRestart, finished);
            }
            JsonNode state = Fields.at(container, "state");
            boolean terminated = Fields.has(state, "terminated");
            if (terminated && Fields.number(state, "terminated", "exitCode") == 0) {
                continue;
            }
            if (sidecar && Fields.bool(container, "started")) {
                if (Fields.bool(container, "ready")) {
                    s.ready++;
                }
                continue;
            }
            String waitingReason = Fields.text(state, "waiting", "reason");
            if (terminated) {
                s.reason = "Init:" + terminatedReason(Fields.at(state, "terminated"));
            } else if (Fields.has(state, "waiting") && !waitingReason.isEmpty()
                    && !waitingReason.equals("PodInitializing")) {
                s.reason = "Init:" + waitingReason;
            } else {
                s.reason = "Init:" + i + "/" + initSpecs.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionIsTrue(status, "Initialized")) {
            s.restarts = sidecarRestarts;
            s.lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Fields.list(status, "containerStatuses");
            // Backwards, so the first container's state wins the Status cell.
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode container = statuses.get(i);
                s.restarts += (int) Fields.number(container, "restartCount");
                s.lastRestart = later(s.lastRestart, Fields.time(container, "lastState", "terminated", "finishedAt"));
                JsonNode state = Fields.at(container, "state");
                String waitingReason = Fields.text(state, "waiting", "reason");
                if (Fields.has(state, "waiting") && !waitingReason.isEmpty()) {
                    s.reason = waitingReason;
                } else if (Fields.has(state, "terminated")) {
                    s.reason = terminatedReason(Fields.at(state, "terminated"));
                } else if (Fields.bool(container, "ready") && Fields.has(state, "running")) {
                    hasRunning = true;
                    s.ready++;
                }
            }
            // A pod whose first container completed but another still runs is not "Completed".
            if (s.reason.equals("Completed") && hasRunning) {
                s.reason = conditionIsTrue(status, "Ready") ? "Running" : "NotReady";
            }
        }

        if (Fields.has(pod, "metadata", "deletionTimestamp")) {
            if (Fields.text(status, "reason").equals(NODE_LOST)) {
                s.reason = "Unknown";
            } else if (!phase.equals("Failed") && !phase.equals("Succeeded")) {
                s.reason = "Terminating";
            }
        }
        return s;
    }

    /** A terminated state's reason, or {@code Signal:9} / {@code ExitCode:1} when it has none. */
    private static String terminatedReason(JsonNode terminated) {
        String reason = Fields.text(terminated, "reason");
        if (!reason.isEmpty()) {
            return reason;
        }
        long signal = Fields.number(terminated, "signal");
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + Fields.number(terminated, "exitCode");
    }

    private static boolean isSidecar(JsonNode initContainer) {
        return initContainer != null && Fields.text(initContainer, "restartPolicy").equals("Always");
    }

    /** Whether the pod's first condition of this type is True. */
    private static boolean conditionIsTrue(JsonNode status, String type) {
        for (JsonNode condition : Fields.list(status, "conditions")) {
            if (Fields.text(condition, "type").equals(type)) {
                return Fields.text(condition, "status").equals("True");
            }
        }
        return false;
    }

    private static Instant later(Instant current, Instant candidate) {
        if (candidate == null) {
            return current;
        }
        return current == null || candidate.isAfter(current) ? candidate : current;
    }

    /** The first pod IP; the API server fills podIPs from podIP when only the latter is set. */
    private static String podIP(JsonNode pod) {
        List<JsonNode> ips = Fields.list(pod, "status", "podIPs");
        return ips.isEmpty() ? Fields.text(pod, "status", "podIP") : Fields.text(ips.get(0), "ip");
    }

    private static String readinessGates(JsonNode pod) {
        List<JsonNode> gates = Fields.list(pod, "spec", "readinessGates");
        if (gates.isEmpty()) {
            return Formats.NONE;
        }
        int trueConditions = 0;
        for (JsonNode gate : gates) {
            String type = Fields.text(gate, "conditionType");
            for (JsonNode condition : Fields.list(pod, "status", "conditions")) {
                if (Fields.text(condition, "type").equals(type)) {
                    if (Fields.text(condition, "status").equals("True")) {
                        trueConditions++;
                    }
                    break;
                }
            }
        }
        return trueConditions + "/" + gates.size();
    }

    private static String orNone(String value) {
        return value.isEmpty() ? Formats.NONE : value;
    }
}
