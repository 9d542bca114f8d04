package kubefake.client;

import kubefake.store.registry.request.UserInfo;
import io.fabric8.kubernetes.api.model.HasMetadata;
import kubefake.store.registry.Registry;

/**
 * The in-process client of the registry (no HTTP): a component's identity and field manager, and access to each
 * resource as trees ({@link #resource}) or as fabric8's typed model ({@link #typed}). Writes go through the same
 * defaulting, validation and strategies as kubectl's requests.
 */
public final class Client {
    private final Registry registry;
    private final RegistryAccess access;

    /**
     * @param user         who the writes come from (e.g. {@link UserInfo#KUBE_CONTROLLER_MANAGER})
     * @param fieldManager the name managedFields will carry (e.g. {@code kube-controller-manager}, {@code kubelet})
     */
    public Client(Registry registry, UserInfo user, String fieldManager) {
        this.registry = registry;
        this.access = new RegistryAccess(user, fieldManager);
    }

    public Registry registry() {
        return registry;
    }

    public UserInfo user() {
        return access.user();
    }

    public String fieldManager() {
        return access.fieldManager();
    }

    /** A served resource, as trees; IllegalArgumentException when it is not served. */
    public ResourceClient resource(String group, String resource) {
        return new ResourceClient(registry.resource(group, resource), access);
    }

    /** The resource of a fabric8 model class ({@code Pod.class} → core pods), as typed objects. */
    public <T extends HasMetadata> TypedClient<T> typed(Class<T> type) {
        return new TypedClient<>(type, resource(HasMetadata.getGroup(type), HasMetadata.getPlural(type)));
    }
}
