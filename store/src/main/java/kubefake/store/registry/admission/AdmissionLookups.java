package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

/**
 * The stored objects admission plugins read (a real plugin's listers), straight from the registry. The trees are the
 * stored revisions' shared ones ({@link kubefake.store.registry.StoredObject#tree()}): read them, never change them.
 */
public interface AdmissionLookups {
    /** The namespace or null. */
    ObjectNode namespace(String name);

    /**
     * The namespace as stored now, or null: where {@link #namespace} reads a cache that may be a moment behind (a
     * namespace deleted a moment ago still active in it), this reads the store.
     */
    default ObjectNode namespaceAsStored(String name) {
        return namespace(name);
    }

    /** The service account or null. */
    ObjectNode serviceAccount(String namespace, String name);

    /** Every IngressClass (the DefaultIngressClass plugin's lister). */
    default java.util.List<ObjectNode> ingressClasses() {
        return java.util.List.of();
    }

    /** Every StorageClass (what DefaultStorageClass chooses the default among). */
    default java.util.List<ObjectNode> storageClasses() {
        return java.util.List.of();
    }

    /** The RuntimeClass or null. */
    default ObjectNode runtimeClass(String name) {
        return null;
    }

    /** The cluster's clock (when a deleted pod stops counting against its quota). */
    Clock clock();

    /** The cluster's PriorityClasses. */
    List<ObjectNode> priorityClasses();

    /** The PriorityClass of that name, or null. */
    default ObjectNode priorityClass(String name) {
        for (ObjectNode pc : priorityClasses()) {
            if (pc.path("metadata").path("name").asText().equals(name)) return pc;
        }
        return null;
    }

    /** The namespace's LimitRanges. */
    List<ObjectNode> limitRanges(String namespace);

    /** The namespace's ResourceQuotas, as stored now (admission charges writes against their current status). */
    List<ObjectNode> resourceQuotas(String namespace);

    /**
     * Stores a quota's status as ResourceQuota admission charged it, as kube-apiserver, on the condition that the
     * quota's metadata.resourceVersion is still current: false when the quota changed meanwhile.
     */
    boolean updateQuotaStatus(ObjectNode quota);
}
