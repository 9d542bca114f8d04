package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.events.EventRecorder;
import kubefake.client.workqueue.SyncException;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;

/**
 * Creates pods from a controller's template and deletes them, recording what happened on the controller
 * ({@code controller.RealPodControl}): {@code SuccessfulCreate} "Created pod: NAME", {@code FailedCreate}
 * "Error creating: ERROR", {@code SuccessfulDelete} "Deleted pod: NAME", {@code FailedDelete} "Error deleting: ERROR".
 */
public final class PodControl {
    public static final String SUCCESSFUL_CREATE = "SuccessfulCreate";
    public static final String FAILED_CREATE = "FailedCreate";
    public static final String SUCCESSFUL_DELETE = "SuccessfulDelete";
    public static final String FAILED_DELETE = "FailedDelete";
    /** The cause the API server gives when a namespace is terminating: no event, the creates would all fail. */
    static final String NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating";

    private final ResourceClient pods;
    private final EventRecorder recorder;

    public PodControl(Client client, EventRecorder recorder) {
        this.pods = client.resource("", "pods");
        this.recorder = recorder;
    }

    /**
     * The pod a template makes ({@code GetPodFromTemplate}): the template's labels, annotations and finalizers, its
     * spec, {@code generateName: <controller name>-} and the controller reference.
     */
    public static ObjectNode podFromTemplate(JsonNode template, String namespace, String generateName, OwnerReference controllerRef) {
        ObjectNode pod = Json.MAPPER.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("generateName", generateName).put("namespace", namespace);
        JsonNode tmeta = template.path("metadata");
        for (String f : new String[]{"labels", "annotations", "finalizers"}) {
            JsonNode v = tmeta.get(f);
            if (v != null && !v.isNull() && !v.isEmpty()) meta.set(f, v.deepCopy());
        }
        if (controllerRef != null) meta.putArray("ownerReferences").add(controllerRef.toJson());
        JsonNode spec = template.get("spec");
        pod.set("spec", spec == null ? Json.MAPPER.createObjectNode() : spec.deepCopy());
        return pod;
    }

    /**
     * Creates a pod from the controller's template; throws the registry's error after recording {@code FailedCreate}
     * (except for a terminating namespace).
     */
    public StoredObject createPod(StoredObject controller, JsonNode template, OwnerReference controllerRef) {
        ObjectNode owner = controller.toNode();
        return createPod(controller, podFromTemplate(template, Meta.namespace(owner), Meta.name(owner) + "-", controllerRef));
    }

    /** Creates the given pod on behalf of the controller, with the same events. */
    public StoredObject createPod(StoredObject controller, ObjectNode pod) {
        if (Meta.labels(pod).isEmpty()) throw new SyncException("unable to create pods, no labels");
        StoredObject created;
        try {
            created = pods.create(pod);
        } catch (StatusException e) {
            if (!isNamespaceTerminating(e)) {
                recorder.event(controller, EventRecorder.WARNING, FAILED_CREATE, "Error creating: " + e.getMessage());
            }
            throw e;
        }
        recorder.event(controller, EventRecorder.NORMAL, SUCCESSFUL_CREATE, "Created pod: " + Meta.name(created.toNode()));
        return created;
    }

    /** Deletes a pod of the controller; 404 is thrown without an event, other errors after {@code FailedDelete}. */
    public void deletePod(StoredObject controller, String namespace, String name) {
        try {
            pods.delete(namespace, name, DeleteOptions.DEFAULT);
        } catch (StatusException e) {
            if (e.code() != 404) recorder.event(controller, EventRecorder.WARNING, FAILED_DELETE, "Error deleting: " + e.getMessage());
            throw e;
        }
        recorder.event(controller, EventRecorder.NORMAL, SUCCESSFUL_DELETE, "Deleted pod: " + name);
    }

    public static boolean isNamespaceTerminating(StatusException e) {
        return e.details() != null && e.details().causes().stream().anyMatch(c -> NAMESPACE_TERMINATING_CAUSE.equals(c.reason()));
    }
}
