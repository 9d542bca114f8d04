package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.nodesim.runtime.ContainerProcess;
import kubefake.nodesim.runtime.ProcessTable;

import java.time.Instant;
import java.util.function.IntFunction;

/** Which running container of a pod listens on a port: what port-forward and the proxies connect to. */
final class ContainerPorts {
    private ContainerPorts() {
    }

    /** For each port, the pod's running container process that serves it, or null (connection refused). */
    static IntFunction<ContainerProcess> serving(JsonNode pod, ProcessTable processes, Instant now) {
        JsonNode statuses = pod.path("status").path("containerStatuses");
        return port -> {
            for (JsonNode s : statuses) {
                if (!s.path("state").path("running").isObject()) continue;
                ContainerProcess run = processes.get(s.path("containerID").asText("")).orElse(null);
                if (run != null && !run.endedBy(now) && run.timeline().serves(port)) return run;
            }
            return null;
        };
    }

    /** The ports the pod's running containers listen on, in order. */
    static java.util.List<Integer> listening(JsonNode pod, ProcessTable processes, Instant now) {
        java.util.TreeSet<Integer> ports = new java.util.TreeSet<>();
        for (JsonNode s : pod.path("status").path("containerStatuses")) {
            if (!s.path("state").path("running").isObject()) continue;
            ContainerProcess run = processes.get(s.path("containerID").asText("")).orElse(null);
            if (run != null && !run.endedBy(now)) ports.addAll(run.timeline().ports());
        }
        return java.util.List.copyOf(ports);
    }
}
