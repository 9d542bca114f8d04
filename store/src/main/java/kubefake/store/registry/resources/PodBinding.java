package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * pods/binding, the real server's {@code BindingREST}: a Binding names the node a pod runs on. It sets
 * {@code spec.nodeName}, merges the Binding's annotations into the pod's and marks the pod {@code PodScheduled=True};
 * the Binding's uid and resourceVersion are preconditions. A pod that is being deleted, already bound or still gated
 * is refused with 409 Conflict on {@code pods/binding}.
 */
final class PodBinding {
    private PodBinding() {
    }

    /** Checks the Binding as the real server does before it touches the pod, and returns the change it makes. */
    static UnaryOperator<ObjectNode> change(String name, ObjectNode binding, Instant now) {
        JsonNode meta = binding.path("metadata");
        if (!Json.text(meta, "name").equals(name)) {
            throw StatusException.badRequest("name in URL does not match name in Binding object");
        }
        validate(binding.path("target"));
        String node = Json.text(binding.path("target"), "name");
        String uid = Json.text(meta, "uid");
        String resourceVersion = Json.text(meta, "resourceVersion");
        JsonNode annotations = meta.path("annotations");
        return pod -> {
            ObjectNode podMeta = Json.metadata(pod);
            checkPrecondition(pod, "UID", uid, Json.text(podMeta, "uid"));
            checkPrecondition(pod, "ResourceVersion", resourceVersion, Json.text(podMeta, "resourceVersion"));
            String podName = Json.text(podMeta, "name");
            if (podMeta.hasNonNull("deletionTimestamp")) {
                throw conflict(name, "pod " + podName + " is being deleted, cannot be assigned to a host");
            }
            ObjectNode spec = pod.with("spec");
            String bound = Json.text(spec, "nodeName");
            if (!bound.isEmpty()) {
                throw conflict(name, "pod " + podName + " is already assigned to node " + GoFormat.quote(bound));
            }
            if (!spec.path("schedulingGates").isEmpty()) {
                throw conflict(name, "pod " + podName + " has non-empty .spec.schedulingGates");
            }
            spec.put("nodeName", node);
            ObjectNode podAnnotations = podMeta.with("annotations");
            annotations.properties().forEach(e -> podAnnotations.set(e.getKey(), e.getValue()));
            if (podAnnotations.isEmpty()) podMeta.remove("annotations");
            PodConditions.update(pod, "PodScheduled", "True", null, null, now);
            return pod;
        };
    }

    /** {@code ValidatePodBinding}: the target is a Node (or unnamed kind) with a name. */
    private static void validate(JsonNode target) {
        List<String> errors = new ArrayList<>();
        String kind = Json.text(target, "kind");
        if (!kind.isEmpty() && !kind.equals("Node")) {
            errors.add("target.kind: Unsupported value: " + GoFormat.quote(kind) + ": supported values: \"Node\", \"<empty>\"");
        }
        if (Json.text(target, "name").isEmpty()) errors.add("target.name: Required value");
        if (errors.isEmpty()) return;
        // BindingREST returns the field errors as a plain error aggregate, which the API server answers with a 500
        // whose reason is empty (apiserver's ErrorToAPIStatus for errors that are not a Status)
        throw new StatusException(500, "", errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]", null);
    }

    /** A storage precondition that fails: the conflict the generic store makes of the storage error. */
    private static void checkPrecondition(ObjectNode pod, String field, String wanted, String actual) {
        if (wanted.isEmpty() || wanted.equals(actual)) return;
        ObjectNode meta = Json.metadata(pod);
        String key = "/registry/pods/" + Json.text(meta, "namespace") + "/" + Json.text(meta, "name");
        throw StatusException.conflict("", "pods", Json.text(meta, "name"), "StorageError: invalid object, Code: 4, Key: "
                + key + ", ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: " + field + " in precondition: "
                + wanted + ", " + field + " in object meta: " + actual);
    }

    private static StatusException conflict(String name, String detail) {
        return StatusException.conflict("", "pods/binding", name, detail);
    }
}
