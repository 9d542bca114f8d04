package kubefake.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The garbage collector's graph of owner references ({@code GraphBuilder}): the objects the informers show that take
 * part in ownership, with their owners and their dependents, plus virtual nodes for owners not seen yet. Changes to
 * the graph decide what the collector looks at: the dependents of a deleted owner, an owner whose deletion waits for
 * its dependents ({@code foregroundDeletion}) or wants them orphaned ({@code orphan}), an owner unblocked by a
 * dependent letting go.
 *
 * <p>Unlike the real graph, an object with no owner that is not being deleted gets no node until a dependent names
 * it (most objects: every ConfigMap, Secret, Service of a cluster): nothing the collector does starts from such an
 * object, and the informers' caches already hold it, so a dependent naming it finds it there ({@link ObservedObjects})
 * and gets the node it would have found. Each such node was nine long-lived objects per stored object for every young
 * collection to copy. Thread-safe: informers of several resources change it, the collector's workers read it.
 */
final class DependencyGraph {
    static final String ORPHAN_FINALIZER = "orphan";
    static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    private final Map<String, Node> nodes = new HashMap<>();
    private final Consumer<String> attemptToDelete;
    private final Consumer<String> attemptToOrphan;
    private final ObservedObjects observed;

    /** An object the informers have shown, as they show it now. */
    record Observed(ObjectIdentity identity, JsonNode object) {
    }

    /** The informers' caches, where the graph looks for an owner it holds no node of. */
    interface ObservedObjects {
        /**
         * The object {@code ref} names, if an informer's cache holds it with that uid; {@code namespace}: the
         * dependent's (a namespaced owner's).
         */
        Observed find(OwnerReference ref, String namespace);
    }

    DependencyGraph(Consumer<String> attemptToDelete, Consumer<String> attemptToOrphan, ObservedObjects observed) {
        this.attemptToDelete = attemptToDelete;
        this.attemptToOrphan = attemptToOrphan;
        this.observed = observed;
    }

    /** A node as the workers see it: a copy taken under the graph's lock. */
    record Snapshot(ObjectIdentity identity, boolean virtual, boolean beingDeleted, boolean deletingDependents,
                    List<String> dependents) {
    }

    synchronized Snapshot snapshot(String uid) {
        Node n = nodes.get(uid);
        if (n == null) return null;
        return new Snapshot(n.identity, n.virtual, n.beingDeleted, n.deletingDependents, new ArrayList<>(n.dependents()));
    }

    /** The dependents whose reference to this owner blocks its deletion. */
    synchronized List<Snapshot> blockingDependents(String ownerUid) {
        Node owner = nodes.get(ownerUid);
        List<Snapshot> out = new ArrayList<>();
        if (owner == null) return out;
        for (String depUid : owner.dependents()) {
            Node dep = nodes.get(depUid);
            if (dep == null) continue;
            for (OwnerReference ref : dep.owners) {
                if (ref.uid().equals(ownerUid) && ref.blockOwnerDeletion()) {
                    out.add(new Snapshot(dep.identity, dep.virtual, dep.beingDeleted, dep.deletingDependents, new ArrayList<>(dep.dependents())));
                    break;
                }
            }
        }
        return out;
    }

    synchronized int size() {
        return nodes.size();
    }

    // ------------------------------------------------------------------ observed changes

    /**
     * An object added or updated ({@code old} null for an addition). The previous revision is asked for only when the
     * new one is being deleted with a finalizer: its tree, no longer shared by anyone, would be parsed again.
     */
    synchronized void observe(ObjectIdentity id, JsonNode object, Supplier<JsonNode> old) {
        List<OwnerReference> owners = OwnerReference.of(object);
        Node n = nodes.get(id.uid());
        if (n == null) {
            // nothing starts from an object that has no owner and is not being deleted: it gets its node when a
            // dependent names it (found in the informers' caches) or its deletion starts
            if (owners.isEmpty() && !Meta.isDeleting(object)) return;
            n = add(id, object, owners);
        } else {
            if (n.virtual) {
                // the owner dependents named turned up: it is real now, with its own coordinates
                n.virtual = false;
                n.identity = id;
            }
            List<OwnerReference> removed = new ArrayList<>();
            List<OwnerReference> added = new ArrayList<>();
            for (OwnerReference r : n.owners) if (find(owners, r.uid()) == null) removed.add(r);
            for (OwnerReference r : owners) {
                OwnerReference before = find(n.owners, r.uid());
                if (before == null) added.add(r);
                else if (before.blockOwnerDeletion() && !r.blockOwnerDeletion()) attemptToDelete.accept(r.uid()); // unblocked
            }
            for (OwnerReference r : removed) if (r.blockOwnerDeletion() && nodes.containsKey(r.uid())) attemptToDelete.accept(r.uid());
            n.setOwners(owners);
            addDependentToOwners(n, added);
            for (OwnerReference r : removed) {
                Node owner = nodes.get(r.uid());
                if (owner != null) owner.removeDependent(n.identity.uid());
            }
            if (Meta.isDeleting(object)) n.beingDeleted = true;
        }
        processTransitions(n, object, old);
    }

    /** An object deleted, observed or confirmed absent (virtual: a node the registry does not know). */
    synchronized void observeDelete(ObjectIdentity id, boolean virtual) {
        Node n = nodes.get(id.uid());
        if (n == null) return;
        if (virtual && !n.virtual && !sameCoordinates(n.identity, id)) return; // not a reason to drop a real node
        nodes.remove(id.uid());
        for (OwnerReference r : n.owners) {
            Node owner = nodes.get(r.uid());
            if (owner != null) owner.removeDependent(id.uid());
        }
        for (String dep : n.dependents()) attemptToDelete.accept(dep);
        for (OwnerReference r : n.owners) {
            Node owner = nodes.get(r.uid());
            // an owner waiting for its dependents may be done now
            if (owner != null && owner.deletingDependents) attemptToDelete.accept(owner.identity.uid());
        }
    }

    private static boolean sameCoordinates(ObjectIdentity a, ObjectIdentity b) {
        return a.group().equals(b.group()) && a.kind().equals(b.kind()) && a.namespace().equals(b.namespace())
                && a.name().equals(b.name());
    }

    /** A node for an observed object the graph did not hold. */
    private Node add(ObjectIdentity id, JsonNode object, List<OwnerReference> owners) {
        Node n = new Node(id, owners, false);
        n.beingDeleted = Meta.isDeleting(object);
        n.deletingDependents = n.beingDeleted && Meta.hasFinalizer(object, FOREGROUND_FINALIZER);
        nodes.put(id.uid(), n);
        addDependentToOwners(n, owners);
        return n;
    }

    private void addDependentToOwners(Node n, List<OwnerReference> owners) {
        for (OwnerReference r : owners) {
            Node owner = nodes.get(r.uid());
            if (owner == null) {
                // an owner the informers show but the graph did not need so far: its node as its observation made it
                // (its own events, still to come, find the node as they would have)
                Observed seen = observed.find(r, n.identity.namespace());
                if (seen != null) owner = add(seen.identity(), seen.object(), OwnerReference.of(seen.object()));
            }
            if (owner == null) {
                // an owner not seen yet: a virtual node, verified against the registry by the collector
                owner = new Node(new ObjectIdentity(r.apiVersion(), r.kind(), n.identity.namespace(), r.name(), r.uid()), List.of(), true);
                nodes.put(r.uid(), owner);
                owner.addDependent(n.identity.uid());
                attemptToDelete.accept(r.uid());
            } else {
                owner.addDependent(n.identity.uid());
            }
        }
    }

    /** A deletion that starts with the orphan or the foregroundDeletion finalizer puts the owner to work. */
    private void processTransitions(Node n, JsonNode object, Supplier<JsonNode> old) {
        if (deletionStartsWith(object, old, ORPHAN_FINALIZER)) {
            attemptToOrphan.accept(n.identity.uid());
            return;
        }
        if (deletionStartsWith(object, old, FOREGROUND_FINALIZER)) {
            n.deletingDependents = true;
            for (String dep : n.dependents()) attemptToDelete.accept(dep);
            attemptToDelete.accept(n.identity.uid());
        }
    }

    private static boolean deletionStartsWith(JsonNode object, Supplier<JsonNode> previous, String finalizer) {
        if (!Meta.isDeleting(object) || !Meta.hasFinalizer(object, finalizer)) return false;
        JsonNode old = previous == null ? null : previous.get();
        return old == null || !Meta.isDeleting(old) || !Meta.hasFinalizer(old, finalizer);
    }

    private static OwnerReference find(List<OwnerReference> refs, String uid) {
        for (OwnerReference r : refs) if (Objects.equals(r.uid(), uid)) return r;
        return null;
    }

    static String uidOf(JsonNode o) {
        return Json.text(o.path("metadata"), "uid");
    }
}
