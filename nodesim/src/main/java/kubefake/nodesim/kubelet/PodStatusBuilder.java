package kubefake.nodesim.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.lifecycle.Step;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The pod status a kubelet 1.33 writes ({@code generateAPIPodStatus} and the status manager's merge): phase,
 * conditions with their reasons and messages (a condition keeps its lastTransitionTime while its status stays),
 * container statuses, host and pod IPs, start time.
 */
final class PodStatusBuilder {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The conditions the kubelet owns; others (DisruptionTarget...) are kept as they are, first. */
    private static final Set<String> KUBELET_CONDITIONS = Set.of("PodReadyToStartContainers", "Initialized", "Ready",
            "ContainersReady", "PodScheduled");

    /** What the builder reads of a pod worker. */
    record Input(ObjectNode pod, List<ContainerRecord> initContainers, List<ContainerRecord> containers,
                 List<ContainerRecord> ephemeralContainers, String hostIp,
                 String podIp, Instant startTime, boolean sandboxReady, boolean podIsTerminal, Instant now) {
    }

    private PodStatusBuilder() {
    }

    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The new status, given the stored one. */
    static ObjectNode build(Input in, JsonNode oldStatus) {
        boolean hasInit = !in.initContainers().isEmpty();
        ArrayNode initStatuses = JSON.arrayNode();
        for (ContainerRecord c : in.initContainers()) initStatuses.add(containerStatus(c, hasInit));
        ArrayNode statuses = JSON.arrayNode();
        for (ContainerRecord c : in.containers()) statuses.add(containerStatus(c, hasInit));

        String restartPolicy = in.pod().path("spec").path("restartPolicy").asText("Always");
        String oldPhase = oldStatus.path("phase").asText("");
        String phase = phase(in.pod(), initStatuses, statuses, restartPolicy, in.podIsTerminal());
        // a pod in a terminal phase stays there
        if (oldPhase.equals("Succeeded") || oldPhase.equals("Failed")) phase = oldPhase;

        ObjectNode status = JSON.objectNode();
        ArrayNode conditions = status.putArray("conditions");
        for (JsonNode c : oldStatus.path("conditions")) {
            if (!KUBELET_CONDITIONS.contains(c.path("type").asText())) conditions.add(c.deepCopy());
        }
        boolean readyToStart = in.sandboxReady() && !phase.equals("Succeeded") && !phase.equals("Failed");
        conditions.add(condition(oldStatus, in.now(), "PodReadyToStartContainers", readyToStart ? "True" : "False", null, null));
        conditions.add(initialized(in, initStatuses, statuses, phase, oldStatus));
        ObjectNode containersReady = containersReady(in, statuses, phase, oldStatus);
        conditions.add(ready(in, containersReady, oldStatus));
        conditions.add(containersReady);
        conditions.add(condition(oldStatus, in.now(), "PodScheduled", "True", null, null));

        status.set("containerStatuses", statuses);
        if (!in.ephemeralContainers().isEmpty()) {
            ArrayNode ephemeral = status.putArray("ephemeralContainerStatuses");
            for (ContainerRecord c : in.ephemeralContainers()) ephemeral.add(ephemeralStatus(c));
        }
        status.put("hostIP", in.hostIp());
        status.putArray("hostIPs").addObject().put("ip", in.hostIp());
        if (hasInit) status.set("initContainerStatuses", initStatuses);
        status.put("phase", phase);
        if (in.podIp() != null) {
            status.put("podIP", in.podIp());
            status.putArray("podIPs").addObject().put("ip", in.podIp());
        } else if (oldStatus.hasNonNull("podIP")) {
            // the sandbox went with the pod's end; the status keeps the address it had, as the kubelet's does
            status.set("podIP", oldStatus.get("podIP"));
            if (oldStatus.has("podIPs")) status.set("podIPs", oldStatus.get("podIPs"));
        }
        if (oldStatus.has("qosClass")) status.set("qosClass", oldStatus.get("qosClass"));
        if (in.startTime() != null) status.put("startTime", time(in.startTime()));
        return status;
    }

    // ---------------------------------------------------------------- containers

    private static ObjectNode containerStatus(ContainerRecord c, boolean podHasInit) {
        ObjectNode s = JSON.objectNode();
        JsonNode resources = c.spec().path("resources");
        JsonNode requests = resources.path("requests");
        if (requests.isObject() && !requests.isEmpty()) s.set("allocatedResources", requests.deepCopy());
        // a container shows its ID and the runtime's image name once it has run (created and started at once)
        boolean created = c.hasRun;
        String containerId = c.running() ? c.containerId : c.current != null ? c.current.containerId() : null;
        if (containerId != null) s.put("containerID", containerId);
        s.put("image", created ? c.image.reference().normalized() : c.spec().path("image").asText());
        s.put("imageID", created ? c.image.imageId() : "");

        ObjectNode state = JSON.objectNode();
        ObjectNode lastState = JSON.objectNode();
        if (c.running()) {
            state.putObject("running").put("startedAt", time(c.startedAt));
            if (c.current != null) lastState.set("terminated", terminated(c.current));
        } else if (c.waitingReason != null) {
            ObjectNode w = state.putObject("waiting");
            if (c.waitingMessage != null) w.put("message", c.waitingMessage);
            w.put("reason", c.waitingReason);
            if (c.current != null) lastState.set("terminated", terminated(c.current));
        } else if (c.current != null) {
            state.set("terminated", terminated(c.current));
            if (c.previous != null) lastState.set("terminated", terminated(c.previous));
        } else {
            state.putObject("waiting").put("reason", podHasInit ? "PodInitializing" : "ContainerCreating");
        }
        s.set("lastState", lastState);
        s.put("name", c.name);
        s.put("ready", c.ready);
        ObjectNode res = JSON.objectNode();
        if (resources.has("limits")) res.set("limits", resources.get("limits").deepCopy());
        if (resources.has("requests")) res.set("requests", resources.get("requests").deepCopy());
        s.set("resources", res);
        s.put("restartCount", c.restartCount);
        s.put("started", c.running() && c.started);
        s.set("state", state);
        ArrayNode mounts = JSON.arrayNode();
        for (JsonNode m : c.spec().path("volumeMounts")) {
            ObjectNode mount = mounts.addObject();
            mount.put("mountPath", m.path("mountPath").asText());
            mount.put("name", m.path("name").asText());
            if (m.path("readOnly").asBoolean(false)) {
                mount.put("readOnly", true);
                mount.put("recursiveReadOnly", m.path("recursiveReadOnly").asText("Disabled"));
            }
        }
        if (!mounts.isEmpty()) s.set("volumeMounts", mounts);
        return s;
    }

    /**
     * An ephemeral container's status: as a container's, never ready, without what probes and resizes keep up to
     * date (started, resources), which the kubelet reports only for the pod's own containers.
     */
    private static ObjectNode ephemeralStatus(ContainerRecord c) {
        ObjectNode s = containerStatus(c, false);
        s.put("ready", false);
        s.remove("allocatedResources");
        s.remove("resources");
        s.remove("started");
        return s;
    }

    private static ObjectNode terminated(ContainerRecord.Terminated t) {
        ObjectNode o = JSON.objectNode();
        if (t.containerId() != null) o.put("containerID", t.containerId());
        o.put("exitCode", t.exitCode());
        o.put("finishedAt", time(t.finishedAt()));
        o.put("reason", t.reason());
        o.put("startedAt", time(t.startedAt()));
        return o;
    }

    // ---------------------------------------------------------------- phase (the kubelet's getPhase)

    static String phase(ObjectNode pod, ArrayNode initStatuses, ArrayNode statuses, String restartPolicy, boolean podIsTerminal) {
        int pendingInit = 0;
        int failedInit = 0;
        for (JsonNode s : initStatuses) {
            JsonNode state = s.path("state");
            if (state.has("running")) {
                pendingInit++;
            } else if (state.has("terminated")) {
                if (state.path("terminated").path("exitCode").asInt() != 0) failedInit++;
            } else if (state.has("waiting")) {
                JsonNode last = s.path("lastState").path("terminated");
                if (!last.isMissingNode()) {
                    if (last.path("exitCode").asInt() != 0) failedInit++;
                } else {
                    pendingInit++;
                }
            } else {
                pendingInit++;
            }
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (JsonNode s : statuses) {
            JsonNode state = s.path("state");
            if (state.has("running")) {
                running++;
            } else if (state.has("terminated")) {
                stopped++;
                if (state.path("terminated").path("exitCode").asInt() == 0) succeeded++;
            } else if (s.path("lastState").has("terminated")) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if (failedInit > 0 && restartPolicy.equals("Never")) return "Failed";
        if (pendingInit > 0 || waiting > 0) return "Pending";
        if (running > 0) return "Running";
        if (stopped > 0) {
            boolean isStatic = pod.path("metadata").path("annotations").has("kubernetes.io/config.source")
                    && !pod.path("metadata").path("annotations").path("kubernetes.io/config.source").asText().equals("api");
            if (podIsTerminal && !isStatic) return stopped == succeeded ? "Succeeded" : "Failed";
            if (restartPolicy.equals("Always")) return "Running";
            if (stopped == succeeded) return "Succeeded";
            if (restartPolicy.equals("Never")) return "Failed";
            return "Running";
        }
        return "Pending";
    }

    // ---------------------------------------------------------------- conditions

    private static ObjectNode initialized(Input in, ArrayNode initStatuses, ArrayNode statuses, String phase, JsonNode old) {
        List<String> incomplete = new ArrayList<>();
        for (JsonNode s : initStatuses) {
            JsonNode t = s.path("state").path("terminated");
            if (t.isMissingNode() || t.path("exitCode").asInt() != 0) incomplete.add(s.path("name").asText());
        }
        if (phase.equals("Succeeded")) return condition(old, in.now(), "Initialized", "True", "PodCompleted", null);
        boolean regularStarted = false;
        for (JsonNode s : statuses) {
            if (s.path("state").has("running") || s.path("state").has("terminated") || s.path("lastState").has("terminated")) regularStarted = true;
        }
        if (regularStarted || incomplete.isEmpty()) return condition(old, in.now(), "Initialized", "True", null, null);
        return condition(old, in.now(), "Initialized", "False", "ContainersNotInitialized",
                "containers with incomplete status: " + goList(incomplete));
    }

    private static ObjectNode containersReady(Input in, ArrayNode statuses, String phase, JsonNode old) {
        if (phase.equals("Succeeded")) return condition(old, in.now(), "ContainersReady", "False", "PodCompleted", null);
        if (phase.equals("Failed")) return condition(old, in.now(), "ContainersReady", "False", "PodFailed", null);
        List<String> unready = new ArrayList<>();
        for (JsonNode s : statuses) if (!s.path("ready").asBoolean()) unready.add(s.path("name").asText());
        if (!unready.isEmpty()) {
            return condition(old, in.now(), "ContainersReady", "False", "ContainersNotReady",
                    "containers with unready status: " + goList(unready));
        }
        return condition(old, in.now(), "ContainersReady", "True", null, null);
    }

    private static ObjectNode ready(Input in, ObjectNode containersReady, JsonNode old) {
        if (!containersReady.path("status").asText().equals("True")) {
            return condition(old, in.now(), "Ready", containersReady.path("status").asText(),
                    containersReady.path("reason").asText(null), containersReady.path("message").asText(null));
        }
        List<String> gatesNotTrue = new ArrayList<>();
        for (JsonNode gate : in.pod().path("spec").path("readinessGates")) {
            String type = gate.path("conditionType").asText();
            boolean isTrue = false;
            for (JsonNode c : old.path("conditions")) {
                if (c.path("type").asText().equals(type) && c.path("status").asText().equals("True")) isTrue = true;
            }
            if (!isTrue) gatesNotTrue.add(type);
        }
        if (!gatesNotTrue.isEmpty()) {
            String message = gatesNotTrue.size() == 1
                    ? "corresponding condition of pod readiness gate \"" + gatesNotTrue.get(0) + "\" does not exist."
                    : "the status of pod readiness gates are not \"True\", but " + goList(gatesNotTrue);
            return condition(old, in.now(), "Ready", "False", "ReadinessGatesNotReady", message);
        }
        return condition(old, in.now(), "Ready", "True", null, null);
    }

    /** A condition whose lastTransitionTime is the old one's when its status did not change. */
    private static ObjectNode condition(JsonNode oldStatus, Instant now, String type, String status, String reason, String message) {
        String transition = time(now);
        for (JsonNode c : oldStatus.path("conditions")) {
            if (c.path("type").asText().equals(type) && c.path("status").asText().equals(status) && c.hasNonNull("lastTransitionTime")) {
                transition = c.path("lastTransitionTime").asText();
            }
        }
        ObjectNode c = JSON.objectNode();
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", transition);
        if (message != null) c.put("message", message);
        if (reason != null) c.put("reason", reason);
        c.put("status", status);
        c.put("type", type);
        return c;
    }

    /** A list as Go's {@code %s} prints a []string: {@code [a b]}. */
    static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
