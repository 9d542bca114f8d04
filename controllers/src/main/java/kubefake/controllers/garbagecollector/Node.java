package kubefake.controllers.garbagecollector;

import kubefake.controllers.common.OwnerReference;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One object in the garbage collector's graph: who owns it and who depends on it. A virtual node stands for an owner
 * that dependents name but no informer has shown yet; it is verified against the registry. Guarded by the graph.
 */
final class Node {
    ObjectIdentity identity;
    List<OwnerReference> owners;
    /**
     * The dependents' uids, made at the first: most objects (every ConfigMap, Secret, Event...) never have one, and an
     * empty set per object is two more objects for every young collection to copy while the store grows.
     */
    private Set<String> dependents;
    boolean virtual;
    boolean beingDeleted;
    boolean deletingDependents;

    Node(ObjectIdentity identity, List<OwnerReference> owners, boolean virtual) {
        this.identity = identity;
        this.owners = owners.isEmpty() ? List.of() : owners; // the shared empty list, for the same reason
        this.virtual = virtual;
    }

    /** The dependents' uids, in the order they turned up (read only: change them by the two methods below). */
    Set<String> dependents() {
        return dependents == null ? Set.of() : dependents;
    }

    void addDependent(String uid) {
        if (dependents == null) dependents = new LinkedHashSet<>();
        dependents.add(uid);
    }

    void removeDependent(String uid) {
        if (dependents != null) dependents.remove(uid);
    }

    void setOwners(List<OwnerReference> owners) {
        this.owners = owners.isEmpty() ? List.of() : owners;
    }
}
