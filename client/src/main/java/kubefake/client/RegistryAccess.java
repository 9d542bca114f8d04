package kubefake.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.DeleteResult;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.ListResult;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Every call a {@link Client} makes into the registry, in one place: the request context a write carries (the
 * component's identity and field manager) is decided here only.
 */
final class RegistryAccess {
    private final RequestContext context;

    RegistryAccess(UserInfo user, String fieldManager) {
        this.context = RequestContext.of(user).withFieldManager(fieldManager);
    }

    UserInfo user() {
        return context.user();
    }

    String fieldManager() {
        return context.fieldManager();
    }

    /** What a write carries. */
    private RequestContext write(Operation operation, String subresource) {
        return context.withOperation(operation).withSubresource(subresource);
    }

    StoredObject get(ResourceStore rs, String namespace, String name) {
        return rs.get(namespace, name);
    }

    StoredObject find(ResourceStore rs, String namespace, String name) {
        return rs.find(namespace, name);
    }

    ListResult list(ResourceStore rs, String namespace, ListOptions options) {
        return rs.list(namespace, options);
    }

    /** The registry fills in the object it is given (uid, timestamps, defaults): it gets a copy, the caller's stays as it was. */
    StoredObject create(ResourceStore rs, String namespace, ObjectNode object) {
        return rs.create(namespace, object.deepCopy(), write(Operation.CREATE, null));
    }

    StoredObject update(ResourceStore rs, String namespace, String name, ObjectNode object, String subresource) {
        return rs.update(namespace, name, object.deepCopy(), write(Operation.UPDATE, subresource));
    }

    StoredObject patch(ResourceStore rs, String namespace, String name, UnaryOperator<ObjectNode> change, String subresource) {
        return rs.patch(namespace, name, change, write(Operation.UPDATE, subresource));
    }

    ObjectNode getScale(ResourceStore rs, String namespace, String name) {
        return rs.getScale(namespace, name);
    }

    ObjectNode updateScale(ResourceStore rs, String namespace, String name, UnaryOperator<ObjectNode> change) {
        return rs.updateScale(namespace, name, change, write(Operation.UPDATE, "scale"));
    }

    StoredObject createSubresource(ResourceStore rs, String subresource, String namespace, String name, ObjectNode body) {
        return rs.createSubresource(subresource, namespace, name, body.deepCopy(), write(Operation.CREATE, subresource));
    }

    DeleteResult delete(ResourceStore rs, String namespace, String name, DeleteOptions options) {
        return rs.delete(namespace, name, options, write(Operation.DELETE, null));
    }

    List<StoredObject> deleteCollection(ResourceStore rs, String namespace, ListOptions selection, DeleteOptions options) {
        return rs.deleteCollection(namespace, selection, options, write(Operation.DELETE, null));
    }
}
