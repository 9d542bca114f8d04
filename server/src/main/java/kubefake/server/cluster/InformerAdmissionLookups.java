package kubefake.server.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.informers.Informer;
import kubefake.client.informers.SharedInformers;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.admission.AdmissionLookups;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The lookups of admission plugins that every namespaced write makes, read first from the API server's informers as
 * kube-apiserver's listers are, instead of from the store (a key lookup among all stored keys each): the namespace
 * (NamespaceLifecycle) from the informer, from the store when the informer does not hold it yet (as the real plugin's
 * live lookup on a miss); the namespace's quotas from the store only when the informer holds one (a namespace without
 * quota is the common case; with one, admission charges against the stored status and needs it current). A pod
 * create's other lookups as the real plugins make them: the service account from the informer, from the store on a
 * miss (ServiceAccount admission's live lookup); the PriorityClasses from the informer (Priority's lister), a class
 * the pod names that it does not hold from the store; the namespace's LimitRanges from the informer, and when it holds
 * none from the store, that empty answer then kept for {@value #LIMIT_RANGE_LIVE_TTL_SECONDS} s (LimitRanger's
 * live-lookup cache; the real one keeps found ranges too, this one only the empty answers, so that a range never
 * outlives its deletion here).
 */
final class InformerAdmissionLookups implements AdmissionLookups {
    private final AdmissionLookups store;
    private final Informer namespaces;
    private final Informer quotas;
    private final Informer serviceAccounts;
    private final Informer priorityClasses;
    private final Informer limitRanges;
    /** LimitRanger's liveTTL: how long a live lookup's answer stands in for an informer that holds no range. */
    static final int LIMIT_RANGE_LIVE_TTL_SECONDS = 30;
    /** The namespaces whose live lookup found no LimitRange, and until when (System.nanoTime) that answer stands. */
    private final ConcurrentHashMap<String, Long> noLimitRangesUntil = new ConcurrentHashMap<>();

    InformerAdmissionLookups(AdmissionLookups store, SharedInformers informers) {
        this.store = store;
        this.namespaces = informers.informer("", "namespaces");
        this.quotas = informers.informer("", "resourcequotas");
        this.serviceAccounts = informers.informer("", "serviceaccounts");
        this.priorityClasses = informers.informer("scheduling.k8s.io", "priorityclasses");
        this.limitRanges = informers.informer("", "limitranges");
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
        if (serviceAccounts.hasSynced()) {
            Optional<StoredObject> cached = serviceAccounts.get(namespace, name);
            if (cached.isPresent()) return cached.get().tree();
        }
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
        if (!priorityClasses.hasSynced()) return store.priorityClasses();
        return priorityClasses.list().stream().map(StoredObject::tree).toList();
    }

    @Override
    public ObjectNode priorityClass(String name) {
        if (priorityClasses.hasSynced()) {
            Optional<StoredObject> cached = priorityClasses.get("", name);
            if (cached.isPresent()) return cached.get().tree();
        }
        return store.priorityClass(name);
    }

    @Override
    public List<ObjectNode> limitRanges(String namespace) {
        if (!limitRanges.hasSynced()) return store.limitRanges(namespace);
        List<StoredObject> cached = limitRanges.list(namespace);
        if (!cached.isEmpty()) return cached.stream().map(StoredObject::tree).toList();
        Long until = noLimitRangesUntil.get(namespace);
        if (until != null && System.nanoTime() - until < 0) return List.of();
        if (until != null) noLimitRangesUntil.remove(namespace, until); // expired: a deleted namespace's entry goes too
        List<ObjectNode> live = store.limitRanges(namespace);
        if (live.isEmpty()) {
            // bounded as the real cache (an LRU of 4096): past it, the expired entries go, or all of them
            if (noLimitRangesUntil.size() >= 4096) {
                long now = System.nanoTime();
                noLimitRangesUntil.values().removeIf(u -> now - u >= 0);
                if (noLimitRangesUntil.size() >= 4096) noLimitRangesUntil.clear();
            }
            noLimitRangesUntil.put(namespace, System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_RANGE_LIVE_TTL_SECONDS));
        }
        return live;
    }

    @Override
    public boolean updateQuotaStatus(ObjectNode quota) {
        return store.updateQuotaStatus(quota);
    }
}
