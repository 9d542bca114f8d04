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
    final Set<String> dependents = new LinkedHashSet<>();
    boolean virtual;
    boolean beingDeleted;
    boolean deletingDependents;

    Node(ObjectIdentity identity, List<OwnerReference> owners, boolean virtual) {
        this.identity = identity;
        this.owners = owners;
        this.virtual = virtual;
    }
}
