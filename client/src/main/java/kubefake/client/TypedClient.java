package kubefake.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.DeleteResult;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.StoredObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** One resource through the registry, as fabric8's typed model ({@code client.typed(Pod.class)}). */
public final class TypedClient<T extends HasMetadata> {
    private final Class<T> type;
    private final ResourceClient resource;

    TypedClient(Class<T> type, ResourceClient resource) {
        this.type = type;
        this.resource = resource;
    }

    /** The same resource as trees. */
    public ResourceClient trees() {
        return resource;
    }

    public T get(String namespace, String name) {
        return typed(resource.get(namespace, name));
    }

    public Optional<T> find(String namespace, String name) {
        return resource.find(namespace, name).map(this::typed);
    }

    public List<T> list(String namespace) {
        return list(namespace, ListOptions.ALL);
    }

    public List<T> list(String namespace, ListOptions options) {
        List<StoredObject> items = resource.list(namespace, options);
        List<T> out = new ArrayList<>(items.size());
        for (StoredObject o : items) out.add(typed(o));
        return out;
    }

    public T create(T object) {
        return typed(resource.create(TypedObjects.toTree(object)));
    }

    /** Replaces the object; its metadata.resourceVersion, when set, is a precondition. */
    public T update(T object) {
        return typed(resource.update(TypedObjects.toTree(object)));
    }

    public T updateStatus(T object) {
        return typed(resource.updateStatus(TypedObjects.toTree(object)));
    }

    /** {@link ResourceClient#patch} with the change made on the typed object (null leaves the object as it is). */
    public T patch(String namespace, String name, UnaryOperator<T> change) {
        return typed(resource.patch(namespace, name, tree -> typedChange(tree, change)));
    }

    public T patchStatus(String namespace, String name, UnaryOperator<T> change) {
        return typed(resource.patchStatus(namespace, name, tree -> typedChange(tree, change)));
    }

    private ObjectNode typedChange(ObjectNode tree, UnaryOperator<T> change) {
        T changed = change.apply(TypedObjects.as(tree, type));
        return changed == null ? null : TypedObjects.toTree(changed);
    }

    public DeleteResult delete(String namespace, String name) {
        return resource.delete(namespace, name);
    }

    public DeleteResult delete(String namespace, String name, DeleteOptions options) {
        return resource.delete(namespace, name, options);
    }

    private T typed(StoredObject o) {
        return TypedObjects.as(o, type);
    }
}
