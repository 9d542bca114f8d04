package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;

/**
 * What an admission plugin sees of one write (admission.Attributes).
 *
 * @param name      the object's name as the request gave it (empty for a create with generateName)
 * @param object    the object being written (mutating plugins change it in place); null on delete
 * @param oldObject the stored object on update and delete, else null
 */
public record AdmissionAttributes(ResourceType type, String namespace, String name, ObjectNode object,
                                  ObjectNode oldObject, RequestContext context) {

    public Operation operation() {
        return context.operation();
    }

    /** The subresource written, or "" for the main resource. */
    public String subresource() {
        return context.subresource() == null ? "" : context.subresource();
    }

    public boolean isResource(String group, String resource) {
        return type.group().equals(group) && type.resource().equals(resource);
    }

    /**
     * The pod this write creates (a CREATE of the pods resource itself), or null for every other write: what the
     * pod plugins (ServiceAccount, Priority, DefaultTolerationSeconds) act on.
     */
    public ObjectNode createdPod() {
        boolean podCreate = isResource("", "pods") && subresource().isEmpty() && operation() == Operation.CREATE;
        return podCreate ? object : null;
    }

    /** The created pod's spec (made when absent), or null for every other write. */
    public ObjectNode createdPodSpec() {
        ObjectNode pod = createdPod();
        if (pod == null) return null;
        return pod.get("spec") instanceof ObjectNode s ? s : pod.putObject("spec");
    }

    /**
     * admission.NewForbidden as a validating plugin raises it: named after the object as it will be stored, so a pod
     * with generateName is named by its generated name ({@code pods "web-7d4b9-x2x7k" is forbidden: ...}).
     */
    public StatusException forbiddenAsStored(String reason) {
        String stored = object == null ? "" : object.path("metadata").path("name").asText("");
        return StatusException.forbidden(type.group(), type.resource(), stored.isEmpty() ? name : stored, reason);
    }

    /** admission.NewForbidden: {@code pods "x" is forbidden: <reason>}. */
    public StatusException forbidden(String reason) {
        return StatusException.forbidden(type.group(), type.resource(), name, reason);
    }
}
