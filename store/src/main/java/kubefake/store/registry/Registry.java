package kubefake.store.registry;

import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.RevisionStamper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.admission.AdmissionChain;
import kubefake.store.registry.admission.AdmissionLookups;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;

import java.security.SecureRandom;
import java.util.Random;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every served resource over one MVCC store: the entry point for the HTTP handlers, controllers and simulated
 * nodes alike (they all go through the same strategies; nothing writes the store around it).
 */
public final class Registry {
    private final KeyValueStore store;
    private final Clock clock;
    private final Map<String, ResourceStore> byGroupVersionResource = new ConcurrentHashMap<>();
    /** Built-in resources first, in catalogue order, then those served from definitions (CRDs) as they come. */
    private final List<ResourceStore> all = new CopyOnWriteArrayList<>();
    /** What each definition (a CRD's name) has added to the catalogue. */
    private final Map<String, List<ResourceStore>> bySource = new LinkedHashMap<>();
    private final List<Runnable> catalogueListeners = new CopyOnWriteArrayList<>();
    private volatile AdmissionChain admission;
    /**
     * {@link #preferred(List)} of {@link #all}, made again whenever the catalogue changes: admission looks resources up
     * on every write (namespaces, service accounts, quotas, limit ranges), and a scan of the catalogue each time showed.
     */
    private volatile Map<String, ResourceStore> preferred;
    /** Where generated names' random characters come from (replaced by tests that need names to collide). */
    private volatile Random names = new SecureRandom();

    public Registry(KeyValueStore store, Clock clock, ResourceCatalogue catalogue) {
        this.store = store;
        this.clock = clock;
        for (ResourceCatalogue.Entry e : catalogue.entries()) {
            ResourceStore rs = new ResourceStore(this, e.type(), e.strategyFactory().apply(this), store);
            byGroupVersionResource.put(gvr(e.type().group(), e.type().version(), e.type().resource()), rs);
            all.add(rs);
        }
        this.preferred = preferred(all);
        this.admission = AdmissionChain.standard(lookups(), false, new SecureRandom());
    }

    private static String gvr(String group, String version, String resource) {
        return group + "/" + version + "/" + resource;
    }

    public Clock clock() { return clock; }

    /** The random source of names generated from {@code metadata.generateName}. */
    public Random nameRandom() { return names; }

    /** Replaces {@link #nameRandom()}: for tests that make generated names collide. */
    public void useNameRandom(Random random) { this.names = random; }

    public KeyValueStore store() { return store; }

    /** How a store that commits before it knows the revision (etcd) gives the registry's objects their resourceVersion. */
    public static RevisionStamper revisionStamper() { return ObjectCodec.STAMPER; }

    /** Every served resource, in catalogue order (a snapshot: the catalogue grows and shrinks with CRDs). */
    public List<ResourceStore> resources() { return List.copyOf(all); }

    /**
     * Serves what one definition adds to the catalogue (a CustomResourceDefinition's versions), replacing what it
     * served before; an empty list stops serving them. Objects stay in the store: only the API changes. Discovery,
     * OpenAPI and anything else listening hear of it once the catalogue has changed.
     *
     * @param source the definition's name, e.g. {@code crontabs.stable.example.com}
     */
    public void serve(String source, List<ResourceCatalogue.Entry> entries) {
        synchronized (bySource) {
            List<ResourceStore> previous = bySource.remove(source);
            if (previous != null) {
                for (ResourceStore rs : previous) {
                    ResourceType t = rs.type();
                    byGroupVersionResource.remove(gvr(t.group(), t.version(), t.resource()), rs);
                }
                all.removeAll(previous);
            }
            List<ResourceStore> added = new ArrayList<>();
            for (ResourceCatalogue.Entry e : entries) {
                String key = gvr(e.type().group(), e.type().version(), e.type().resource());
                // a built-in resource, or another definition's, keeps its name
                if (byGroupVersionResource.containsKey(key)) continue;
                ResourceStore rs = new ResourceStore(this, e.type(), e.strategyFactory().apply(this), store);
                byGroupVersionResource.put(key, rs);
                added.add(rs);
            }
            all.addAll(added);
            preferred = preferred(all);
            if (!added.isEmpty()) bySource.put(source, added);
            if (previous == null && added.isEmpty()) return;
        }
        for (Runnable listener : catalogueListeners) listener.run();
    }

    /** Called after every change of the served resources (a CRD served, changed or removed). */
    public void onCatalogueChange(Runnable listener) {
        catalogueListeners.add(listener);
    }

    public Optional<ResourceStore> resource(String group, String version, String resource) {
        return Optional.ofNullable(byGroupVersionResource.get(gvr(group, version, resource)));
    }

    /** The store of a resource known to be served (for controllers and bootstrap code). */
    public ResourceStore resource(String group, String resource) {
        ResourceStore rs = preferred.get(group + "/" + resource);
        if (rs == null) throw new IllegalArgumentException("not served: " + group + "/" + resource);
        return rs;
    }

    /** The first served version of each group/resource, in catalogue order: what {@link #resource(String, String)} finds. */
    private static Map<String, ResourceStore> preferred(List<ResourceStore> all) {
        Map<String, ResourceStore> first = new java.util.HashMap<>();
        for (ResourceStore rs : all) first.putIfAbsent(rs.type().group() + "/" + rs.type().resource(), rs);
        return first;
    }


    /** The admission plugins every write of every resource passes (see {@link AdmissionChain#standard}). */
    public AdmissionChain admission() {
        return admission;
    }

    /**
     * Replaces the admission chain (at startup, before anything writes): the control plane turns on the
     * ServiceAccount plugin's existence check together with the controller that creates service accounts.
     */
    public void useAdmission(AdmissionChain chain) {
        this.admission = chain;
    }

    private static List<ObjectNode> trees(ListResult list) {
        List<ObjectNode> out = new ArrayList<>(list.items().size());
        for (StoredObject o : list.items()) out.add(o.tree());
        return out;
    }

    /** What admission plugins read, straight from this registry's stores. */
    public AdmissionLookups lookups() {
        return new AdmissionLookups() {
            @Override
            public ObjectNode namespace(String name) {
                StoredObject ns = resource("", "namespaces").find("", name);
                return ns == null ? null : ns.tree();
            }

            @Override
            public ObjectNode serviceAccount(String namespace, String name) {
                StoredObject sa = resource("", "serviceaccounts").find(namespace, name);
                return sa == null ? null : sa.tree();
            }

            @Override
            public List<ObjectNode> ingressClasses() {
                return resource("networking.k8s.io", "v1", "ingressclasses")
                        .map(rs -> rs.list("", ListOptions.ALL).items().stream().map(StoredObject::tree).toList())
                        .orElse(List.of());
            }

            @Override
            public List<ObjectNode> storageClasses() {
                List<ObjectNode> out = new java.util.ArrayList<>();
                for (StoredObject sc : resource("storage.k8s.io", "storageclasses").list("", ListOptions.ALL).items()) out.add(sc.tree());
                return out;
            }

            @Override
            public ObjectNode runtimeClass(String name) {
                StoredObject rc = resource("node.k8s.io", "runtimeclasses").find("", name);
                return rc == null ? null : rc.tree();
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public List<ObjectNode> priorityClasses() {
                return trees(resource("scheduling.k8s.io", "priorityclasses").list("", ListOptions.ALL));
            }

            @Override
            public ObjectNode priorityClass(String name) {
                StoredObject pc = resource("scheduling.k8s.io", "priorityclasses").find("", name);
                return pc == null ? null : pc.tree();
            }

            @Override
            public List<ObjectNode> limitRanges(String namespace) {
                return trees(resource("", "limitranges").list(namespace, ListOptions.ALL));
            }

            @Override
            public List<ObjectNode> resourceQuotas(String namespace) {
                return trees(resource("", "resourcequotas").list(namespace, ListOptions.ALL));
            }

            @Override
            public boolean updateQuotaStatus(ObjectNode quota) {
                ObjectNode meta = Json.metadata(quota);
                RequestContext context = RequestContext.LOOPBACK.withFieldManager("kube-apiserver").withSubresource("status");
                try {
                    resource("", "resourcequotas").update(Json.text(meta, "namespace"), Json.text(meta, "name"), quota, context);
                    return true;
                } catch (StatusException e) {
                    if (e.code() == 409) return false;
                    throw e;
                }
            }
        };
    }
}
