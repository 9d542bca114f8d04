package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.informers.Informer;
import kubefake.client.informers.SharedInformers;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.admission.AdmissionLookups;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The lookups of admission plugins that every namespaced write makes, read first from the API server's informers as
 * kube-apiserver's listers are, instead of from the store (a key lookup among all stored keys each): the namespace
 * (NamespaceLifecycle) from the informer, from the store when the informer does not hold it yet (as the real plugin's
 * live lookup on a miss); the namespace's quotas from the store only when the informer holds one (a namespace without
 * quota is the common case; with one, admission charges against the stored status and needs it current).
 */
final class InformerAdmissionLookups implements AdmissionLookups {
    private final AdmissionLookups store;
    private final Informer namespaces;
    private final Informer quotas;

    InformerAdmissionLookups(AdmissionLookups store, SharedInformers informers) {
        this.store = store;
        this.namespaces = informers.informer("", "namespaces");
        this.quotas = informers.informer("", "resourcequotas");
    }

    @Override
    public ObjectNode namespace(String name) {
        if (namespaces.hasSynced()) {
            Optional<StoredObject> cached = namespaces.get("", name);
            if (cached.isPresent()) return cached.get().tree();
        }
        return store.namespace(name);
    }

    @Override
    public ObjectNode namespaceAsStored(String name) {
        return store.namespace(name);
    }

    @Override
    public List<ObjectNode> resourceQuotas(String namespace) {
        if (quotas.hasSynced() && quotas.list(namespace).isEmpty()) return List.of();
        return store.resourceQuotas(namespace);
    }

    @Override
    public ObjectNode serviceAccount(String namespace, String name) {
        return store.serviceAccount(namespace, name);
    }

    @Override
    public List<ObjectNode> ingressClasses() {
        return store.ingressClasses();
    }

    @Override
    public List<ObjectNode> storageClasses() {
        return store.storageClasses();
    }

    @Override
    public ObjectNode runtimeClass(String name) {
        return store.runtimeClass(name);
    }

    @Override
    public Clock clock() {
        return store.clock();
    }

    @Override
    public List<ObjectNode> priorityClasses() {
        return store.priorityClasses();
    }

    @Override
    public List<ObjectNode> limitRanges(String namespace) {
        return store.limitRanges(namespace);
    }

    @Override
    public boolean updateQuotaStatus(ObjectNode quota) {
        return store.updateQuotaStatus(quota);
    }
}
