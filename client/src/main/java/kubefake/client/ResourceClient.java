package kubefake.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.DeleteResult;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One resource through the registry, as trees: what a dynamic client is to client-go. Errors are the registry's
 * {@code StatusException}s (404, 409, 422...), as a remote client would get them.
 */
public final class ResourceClient {
    private final ResourceStore store;
    private final RegistryAccess access;

    ResourceClient(ResourceStore store, RegistryAccess access) {
        this.store = store;
        this.access = access;
    }

    public ResourceType type() {
        return store.type();
    }

    /** The object; 404 when absent. */
    public StoredObject get(String namespace, String name) {
        return access.get(store, namespace, name);
    }

    public Optional<StoredObject> find(String namespace, String name) {
        return Optional.ofNullable(access.find(store, namespace, name));
    }

    /** Every object of the namespace (all namespaces when null). */
    public List<StoredObject> list(String namespace) {
        return list(namespace, ListOptions.ALL);
    }

    public List<StoredObject> list(String namespace, ListOptions options) {
        return access.list(store, namespace, options).items();
    }

    /** Creates the object in the namespace its metadata names. */
    public StoredObject create(ObjectNode object) {
        return access.create(store, namespaceOf(object), object);
    }

    /** Replaces the object; a metadata.resourceVersion in it is a precondition (409 Conflict when stale). */
    public StoredObject update(ObjectNode object) {
        return access.update(store, namespaceOf(object), nameOf(object), object, null);
    }

    /** Replaces the object's status (the status subresource). */
    public StoredObject updateStatus(ObjectNode object) {
        return access.update(store, namespaceOf(object), nameOf(object), object, "status");
    }

    /**
     * Applies {@code change} to the current object and stores the result; when someone else wrote meanwhile the
     * change is applied again to the fresh object (unless it sets a resourceVersion: then that is a precondition).
     * A change that returns null leaves the object as it is.
     */
    public StoredObject patch(String namespace, String name, UnaryOperator<ObjectNode> change) {
        return access.patch(store, namespace, name, change, null);
    }

    /** As {@link #patch}, on the status subresource. */
    public StoredObject patchStatus(String namespace, String name, UnaryOperator<ObjectNode> change) {
        return access.patch(store, namespace, name, change, "status");
    }

    /** As {@link #patch}, on another subresource (e.g. namespaces' {@code finalize}). */
    public StoredObject patchSubresource(String subresource, String namespace, String name, UnaryOperator<ObjectNode> change) {
        return access.patch(store, namespace, name, change, subresource);
    }

    /** The object's autoscaling/v1 Scale (Deployments, ReplicaSets, StatefulSets, ReplicationControllers); 404 for others. */
    public ObjectNode getScale(String namespace, String name) {
        return access.getScale(store, namespace, name);
    }

    /**
     * Writes the scale subresource: {@code change} turns the current Scale into the desired one, whose
     * spec.replicas becomes the object's (retried on concurrent writes like {@link #patch}); returns the new Scale.
     */
    public ObjectNode updateScale(String namespace, String name, UnaryOperator<ObjectNode> change) {
        return access.updateScale(store, namespace, name, change);
    }

    /** Sets the object's replicas through its scale subresource, as {@code kubectl scale} does. */
    public ObjectNode scale(String namespace, String name, int replicas) {
        return updateScale(namespace, name, scale -> {
            ((ObjectNode) scale.get("spec")).put("replicas", replicas);
            return scale;
        });
    }

    /**
     * A POST to a subresource that acts on the object (pods/binding with a Binding): what the object became.
     */
    public StoredObject createSubresource(String subresource, String namespace, String name, ObjectNode body) {
        return access.createSubresource(store, subresource, namespace, name, body);
    }

    public DeleteResult delete(String namespace, String name) {
        return delete(namespace, name, DeleteOptions.DEFAULT);
    }

    public DeleteResult delete(String namespace, String name, DeleteOptions options) {
        return access.delete(store, namespace, name, options);
    }

    /** Deletes every selected object of the namespace; returns what was deleted or marked for deletion. */
    public List<StoredObject> deleteCollection(String namespace, ListOptions selection, DeleteOptions options) {
        return access.deleteCollection(store, namespace, selection, options);
    }

    static String namespaceOf(ObjectNode object) {
        return Json.text(object.path("metadata"), "namespace");
    }

    static String nameOf(ObjectNode object) {
        return Json.text(object.path("metadata"), "name");
    }
}
