package kubefake.store.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stored objects admission plugins read (a real plugin's listers), straight from the registry. The trees are the
 * stored revisions' shared ones ({@link kubefake.store.registry.StoredObject#tree()}): read them, never change them.
 */
public interface AdmissionLookups {
    /** The namespace or null. */
    ObjectNode namespace(String name);

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
}
