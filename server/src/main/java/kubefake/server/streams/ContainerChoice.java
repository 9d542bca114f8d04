package kubefake.server.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.List;

/**
 * Which container of a pod a log, exec or attach request means, as the API server decides it before it calls the
 * kubelet ({@code pod/strategy.go}'s LogLocation and friends): the one named, or the pod's only container.
 */
final class ContainerChoice {
    private ContainerChoice() {
    }

    /** The container's name; 400 with the real messages when none is named and the pod has several, or it has none. */
    static String choose(ObjectNode pod, String requested) {
        String name = Json.text(Json.metadata(pod), "name");
        JsonNode spec = pod.path("spec");
        if (requested != null && !requested.isEmpty()) {
            if (!has(spec, requested)) {
                throw StatusException.badRequest("container " + requested + " is not valid for pod " + name);
            }
            return requested;
        }
        List<String> containers = names(spec.path("containers"));
        if (containers.size() == 1) return containers.get(0);
        if (containers.isEmpty()) throw StatusException.badRequest("a container name must be specified for pod " + name);
        String message = "a container name must be specified for pod " + name + ", choose one of: [" + String.join(" ", containers) + "]";
        List<String> init = names(spec.path("initContainers"));
        if (!init.isEmpty()) message += " or one of the init containers: [" + String.join(" ", init) + "]";
        throw StatusException.badRequest(message);
    }

    private static boolean has(JsonNode spec, String container) {
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            if (names(spec.path(field)).contains(container)) return true;
        }
        return false;
    }

    private static List<String> names(JsonNode containers) {
        List<String> out = new ArrayList<>();
        containers.forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    /** The container's status in the pod's status (containers, init containers, ephemeral ones), or a missing node. */
    static JsonNode status(ObjectNode pod, String container) {
        JsonNode status = pod.path("status");
        for (String field : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            for (JsonNode s : status.path(field)) if (s.path("name").asText().equals(container)) return s;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
