package kubefake.store.registry;

import kubefake.store.mvcc.KeyValueStore;
import kubefake.store.mvcc.RevisionStamper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.admission.AdmissionChain;
import kubefake.store.registry.admission.AdmissionLookups;

import java.security.SecureRandom;

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
    private volatile AdmissionChain admission;

    public Registry(KeyValueStore store, Clock clock, ResourceCatalogue catalogue) {
        this.store = store;
        this.clock = clock;
        for (ResourceCatalogue.Entry e : catalogue.entries()) {
            ResourceStore rs = new ResourceStore(this, e.type(), e.strategyFactory().apply(this), store);
            byGroupVersionResource.put(gvr(e.type().group(), e.type().version(), e.type().resource()), rs);
            all.add(rs);
        }
        this.admission = AdmissionChain.standard(lookups(), false, new SecureRandom());
    }

    private static String gvr(String group, String version, String resource) {
        return group + "/" + version + "/" + resource;
    }

    public Clock clock() { return clock; }

    public KeyValueStore store() { return store; }

    /** How a store that commits before it knows the revision (etcd) gives the registry's objects their resourceVersion. */
    public static RevisionStamper revisionStamper() { return ObjectCodec.STAMPER; }

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
        };
    }
}
