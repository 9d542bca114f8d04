package kubefake.store.registry;

import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.registry.errors.StatusException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every served resource over one MVCC store: the entry point for the HTTP handlers, controllers and simulated
 * nodes alike (they all go through the same strategies; nothing writes the store around it).
 */
public final class Registry {
    private final KeyValueStore store;
    private final Clock clock;
    private final Map<String, ResourceStore> byGroupVersionResource = new LinkedHashMap<>();
    private final List<ResourceStore> all = new ArrayList<>();

    public Registry(KeyValueStore store, Clock clock, ResourceCatalogue catalogue) {
        this.store = store;
        this.clock = clock;
        for (ResourceCatalogue.Entry e : catalogue.entries()) {
            ResourceStore rs = new ResourceStore(this, e.type(), e.strategyFactory().apply(this), store);
            byGroupVersionResource.put(gvr(e.type().group(), e.type().version(), e.type().resource()), rs);
            all.add(rs);
        }
    }

    private static String gvr(String group, String version, String resource) {
        return group + "/" + version + "/" + resource;
    }

    public Clock clock() { return clock; }

    public KeyValueStore store() { return store; }

    /** Every served resource, in catalogue order. */
    public List<ResourceStore> resources() { return Collections.unmodifiableList(all); }

    public Optional<ResourceStore> resource(String group, String version, String resource) {
        return Optional.ofNullable(byGroupVersionResource.get(gvr(group, version, resource)));
    }

    /** The store of a resource known to be served (for controllers and bootstrap code). */
    public ResourceStore resource(String group, String resource) {
        for (ResourceStore rs : all) {
            if (rs.type().group().equals(group) && rs.type().resource().equals(resource)) return rs;
        }
        throw new IllegalArgumentException("not served: " + group + "/" + resource);
    }


    /** 404 when the namespace does not exist, 403 when it is terminating (NamespaceLifecycle admission). */
    void checkNamespaceAcceptsCreate(ResourceType type, String name, String namespace) {
        ResourceStore namespaces = resource("", "namespaces");
        StoredObject ns = namespaces.find("", namespace);
        if (ns == null) throw StatusException.notFound("", "namespaces", namespace);
        var node = ns.toNode();
        if (Json.metadata(node).has("deletionTimestamp")
                || "Terminating".equals(node.path("status").path("phase").asText())) {
            throw StatusException.namespaceTerminating(type.group(), type.resource(), name, namespace);
        }
    }
}
