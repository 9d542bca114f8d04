package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.nodesim.runtime.ProcessTable;
import kubefake.server.http.HttpExchange;
import kubefake.server.http.Reply;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;

import java.time.Clock;

/**
 * {@code GET pods/NAME/log}: the API server's part (options, the pod, its container; 204 for a pod on no node yet),
 * then the kubelet's (which run of the container, from the pod's status; its refusals come back as 400 BadRequest
 * with the kubelet's text, as the API server passes them on), then the log itself as a {@link LogStream}.
 */
public final class PodLogs {
    private final ProcessTable processes;
    private final Clock clock;

    public PodLogs(ProcessTable processes, Clock clock) {
        this.processes = processes;
        this.clock = clock;
    }

    public void serve(ResourceStore pods, String namespace, String name, PodLogOptions options, HttpExchange exchange) {
        options.validate(name);
        ObjectNode pod = pods.get(namespace, name).toNode();
        String container = ContainerChoice.choose(pod, options.container());
        if (Json.text(pod.path("spec"), "nodeName").isEmpty()) {
            // no kubelet to ask: the API server's null stream, answered 204
            exchange.reply(Reply.of(204, "text/plain", new byte[0]));
            return;
        }
        String containerId = kubeletContainerId(name, container, ContainerChoice.status(pod, container), options.previous());
        LogStream.start(exchange.context(), () -> processes.get(containerId), options, clock, exchange.keepAlive());
    }

    /** The kubelet's validateContainerLogStatus: the container run whose log is read, or its refusal. */
    static String kubeletContainerId(String podName, String container, JsonNode status, boolean previous) {
        JsonNode state = status.path("state");
        JsonNode lastTerminated = status.path("lastState").path("terminated");
        String prefix = "container " + GoFormat.quote(container) + " in pod " + GoFormat.quote(podName);
        if (previous) {
            if (!lastTerminated.isObject() || lastTerminated.path("containerID").asText("").isEmpty()) {
                throw StatusException.badRequest("previous terminated " + prefix + " not found");
            }
            return lastTerminated.path("containerID").asText();
        }
        if (state.path("running").isObject()) return status.path("containerID").asText();
        JsonNode terminated = state.path("terminated");
        if (terminated.isObject()) {
            String id = terminated.path("containerID").asText("");
            if (!id.isEmpty()) return id;
            if (lastTerminated.isObject() && !lastTerminated.path("containerID").asText("").isEmpty()) {
                return lastTerminated.path("containerID").asText();
            }
            throw StatusException.badRequest(prefix + " is terminated");
        }
        if (lastTerminated.isObject()) {
            String id = lastTerminated.path("containerID").asText("");
            if (id.isEmpty()) throw StatusException.badRequest(prefix + " is terminated");
            return id;
        }
        JsonNode waiting = state.path("waiting");
        if (waiting.isObject()) {
            String reason = waiting.path("reason").asText("");
            throw StatusException.badRequest(prefix + " is waiting to start: " + switch (reason) {
                case "ErrImagePull" -> "image can't be pulled";
                case "ImagePullBackOff" -> "trying and failing to pull image";
                default -> reason;
            });
        }
        throw StatusException.badRequest(prefix + " is waiting to start - no logs yet");
    }
}
