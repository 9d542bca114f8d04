package kubefake.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.ResourceClient;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.controllers.common.OwnerReference;
import kubefake.store.registry.DeleteOptions;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.errors.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's garbage collector ({@code pkg/controller/garbagecollector}): deletes the objects whose
 * owners are gone, and carries out the deletions that wait for it.
 * <ul>
 *   <li>background: once an owner is gone, each dependent none of whose other owners remains is deleted (with the
 *   propagation its own finalizers ask for), so a Deployment takes its ReplicaSets and their pods;</li>
 *   <li>foreground: an owner deleted with {@code foregroundDeletion} stays (with its deletionTimestamp) while its
 *   dependents are deleted, themselves in the foreground; when no dependent blocks it any more the finalizer is
 *   removed and the owner goes;</li>
 *   <li>orphan: an owner deleted with {@code orphan} has its reference removed from each dependent, then the
 *   finalizer, and the dependents stay.</li>
 * </ul>
 * Owners are resolved by apiVersion and kind among the served resources; a dependent whose owner's kind is not served
 * is left alone. Events are not collected (as in the real collector).
 */
public final class GarbageCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    public static final String NAME = "garbage-collector-controller";
    /** The collector's service account. */
    public static final String SERVICE_ACCOUNT = "generic-garbage-collector";
    private static final int DELETE_WORKERS = 2;

    private final Client client;
    private final DependencyGraph graph;
    private final Controller<String> deleter;
    private final Controller<String> orphaner;
    private final List<Informer> informers = new ArrayList<>();
    /** group/kind → the served resource. */
    private final Map<String, ResourceType> byKind = new HashMap<>();
    /** group/kind → the informer of the served resource. */
    private final Map<String, Informer> informerByKind = new HashMap<>();

    /** @param client acting as the {@code generic-garbage-collector} service account */
    public GarbageCollector(Client client, SharedInformers shared, ClusterRuntime runtime) {
        this.client = client;
        this.deleter = new Controller<>(NAME, runtime, new WorkQueue<>("garbage_collector_attempt_to_delete", runtime), DELETE_WORKERS,
                this::attemptToDelete);
        this.orphaner = new Controller<>(NAME + "-orphan", runtime, new WorkQueue<>("garbage_collector_attempt_to_orphan", runtime), 1,
                this::attemptToOrphan);
        this.graph = new DependencyGraph(deleter.queue()::add, orphaner.queue()::add, this::cached);
        for (ResourceStore rs : client.registry().resources()) {
            ResourceType type = rs.type();
            if (!collected(type)) continue;
            Informer informer = shared.informer(type.group(), type.resource());
            if (byKind.putIfAbsent(type.group() + "/" + type.kind(), type) == null) {
                informerByKind.put(type.group() + "/" + type.kind(), informer);
            }
            informers.add(informer);
            informer.addHandler(new ResourceEventHandler() {
                @Override
                public void onAdd(StoredObject o) {
                    ObjectNode tree = o.tree(); // the graph only reads it
                    graph.observe(identity(type, tree), tree, null);
                }

                @Override
                public void onUpdate(StoredObject old, StoredObject o) {
                    ObjectNode tree = o.tree();
                    graph.observe(identity(type, tree), tree, old::tree);
                }

                @Override
                public void onDelete(StoredObject last) {
                    graph.observeDelete(identity(type, last.tree()), false);
                }
            });
        }
    }

    /** What the collector watches: stored resources that can be listed, watched and deleted, but for events. */
    static boolean collected(ResourceType type) {
        if (type.storage() != null || !type.verbs().containsAll(List.of("list", "watch", "delete"))) return false;
        return !type.resource().equals("events");
    }

    private static ObjectIdentity identity(ResourceType type, JsonNode o) {
        return new ObjectIdentity(type.groupVersion(), type.kind(), Meta.namespace(o), Meta.name(o), Meta.uid(o));
    }

    /** The owner a reference names as its informer holds it (the same uid), or null. */
    private DependencyGraph.Observed cached(OwnerReference ref, String namespace) {
        String kind = ref.group() + "/" + ref.kind();
        ResourceType type = byKind.get(kind);
        if (type == null) return null;
        StoredObject o = informerByKind.get(kind).get(type.namespaced() ? namespace : "", ref.name()).orElse(null);
        if (o == null) return null;
        ObjectNode tree = o.tree(); // the graph only reads it
        return Meta.uid(tree).equals(ref.uid()) ? new DependencyGraph.Observed(identity(type, tree), tree) : null;
    }

    /** Starts collecting once every watched resource is in the graph. */
    public void start() {
        CompletionStage<?>[] synced = informers.stream().map(Informer::synced).toArray(CompletionStage[]::new);
        deleter.start(synced);
        orphaner.start(synced);
    }

    @Override
    public void close() {
        deleter.close();
        orphaner.close();
    }

    int graphSize() {
        return graph.size();
    }

    /** The graph's node of an object, or null when it has none (tests). */
    DependencyGraph.Snapshot graphNode(String uid) {
        return graph.snapshot(uid);
    }

    // ------------------------------------------------------------------ attempt to delete

    private ResourceType typeOf(String group, String kind) {
        return byKind.get(group + "/" + kind);
    }

    private ResourceClient resource(ResourceType type) {
        return client.resource(type.group(), type.resource());
    }

    private Result attemptToDelete(String uid) {
        DependencyGraph.Snapshot item = graph.snapshot(uid);
        if (item == null) return Result.done();
        // being deleted without waiting for dependents: its dependents are looked at once it is gone
        if (!item.virtual() && item.beingDeleted() && !item.deletingDependents()) return Result.done();
        ObjectIdentity id = item.identity();
        ResourceType type = typeOf(id.group(), id.kind());
        if (type == null) {
            LOG.debug("{}: no served resource for {}, leaving it", NAME, id);
            return Result.done();
        }
        String namespace = type.namespaced() ? id.namespace() : "";
        ObjectNode latest = resource(type).find(namespace, id.name()).map(StoredObject::toNode).orElse(null);
        if (latest == null || !Meta.uid(latest).equals(id.uid())) {
            graph.observeDelete(new ObjectIdentity(id.apiVersion(), id.kind(), namespace, id.name(), id.uid()), true);
            return Result.done();
        }
        if (item.deletingDependents()) {
            processDeletingDependents(item, type, latest);
            return Result.done();
        }
        List<OwnerReference> owners = OwnerReference.of(latest);
        if (owners.isEmpty()) return Result.done();

        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        for (OwnerReference ref : owners) {
            ResourceType ownerType = typeOf(ref.group(), ref.kind());
            if (ownerType == null) {
                solid.add(ref); // a kind this cluster does not serve: not ours to judge
                continue;
            }
            ObjectNode owner = resource(ownerType).find(ownerType.namespaced() ? namespace : "", ref.name())
                    .map(StoredObject::toNode).orElse(null);
            if (owner == null || !Meta.uid(owner).equals(ref.uid())) dangling.add(ref);
            else if (Meta.isDeleting(owner) && Meta.hasFinalizer(owner, DependencyGraph.FOREGROUND_FINALIZER)) waiting.add(ref);
            else solid.add(ref);
        }
        if (!solid.isEmpty()) {
            if (dangling.isEmpty() && waiting.isEmpty()) return Result.done();
            // it stays for its solid owners; the others let go of it
            Set<String> remove = new HashSet<>();
            dangling.forEach(r -> remove.add(r.uid()));
            waiting.forEach(r -> remove.add(r.uid()));
            removeOwnerReferences(type, namespace, id, remove);
            return Result.done();
        }
        if (!waiting.isEmpty() && !item.dependents().isEmpty()) {
            delete(type, namespace, id, "Foreground");
            return Result.done();
        }
        String policy = Meta.hasFinalizer(latest, DependencyGraph.ORPHAN_FINALIZER) ? "Orphan"
                : Meta.hasFinalizer(latest, DependencyGraph.FOREGROUND_FINALIZER) ? "Foreground" : "Background";
        delete(type, namespace, id, policy);
        return Result.done();
    }

    /** An owner deleted in the foreground: done when no dependent blocks it, else its blocking dependents are pursued. */
    private void processDeletingDependents(DependencyGraph.Snapshot item, ResourceType type, ObjectNode latest) {
        List<DependencyGraph.Snapshot> blocking = graph.blockingDependents(item.identity().uid());
        if (blocking.isEmpty()) {
            removeFinalizer(type, latest, DependencyGraph.FOREGROUND_FINALIZER);
            return;
        }
        for (DependencyGraph.Snapshot dep : blocking) {
            if (!dep.deletingDependents()) deleter.queue().add(dep.identity().uid());
        }
    }

    private void delete(ResourceType type, String namespace, ObjectIdentity id, String policy) {
        try {
            resource(type).delete(namespace, id.name(), new DeleteOptions(null, id.uid(), null, policy, false));
        } catch (StatusException e) {
            // gone already, or another object of that name now: nothing to collect
            if (e.code() != 404 && e.code() != 409) throw e;
        }
    }

    private void removeOwnerReferences(ResourceType type, String namespace, ObjectIdentity id, Set<String> ownerUids) {
        try {
            resource(type).patch(namespace, id.name(), o -> {
                if (!Meta.uid(o).equals(id.uid())) return null;
                JsonNode refs = o.path("metadata").path("ownerReferences");
                ArrayNode kept = Json.MAPPER.createArrayNode();
                for (JsonNode r : refs) if (!ownerUids.contains(Json.text(r, "uid"))) kept.add(r);
                if (kept.size() == refs.size()) return null;
                if (kept.isEmpty()) Json.metadata(o).remove("ownerReferences");
                else Json.metadata(o).set("ownerReferences", kept);
                return o;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }

    private void removeFinalizer(ResourceType type, ObjectNode object, String finalizer) {
        String uid = Meta.uid(object);
        try {
            resource(type).patch(type.namespaced() ? Meta.namespace(object) : "", Meta.name(object), o -> {
                if (!Meta.uid(o).equals(uid) || !Meta.hasFinalizer(o, finalizer)) return null;
                return Meta.removeFinalizer(o, finalizer);
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }

    // ------------------------------------------------------------------ attempt to orphan

    private Result attemptToOrphan(String uid) {
        DependencyGraph.Snapshot owner = graph.snapshot(uid);
        if (owner == null) return Result.done();
        for (String depUid : owner.dependents()) {
            DependencyGraph.Snapshot dep = graph.snapshot(depUid);
            if (dep == null) continue;
            ResourceType type = typeOf(dep.identity().group(), dep.identity().kind());
            if (type == null) continue;
            removeOwnerReferences(type, type.namespaced() ? dep.identity().namespace() : "", dep.identity(), Set.of(uid));
        }
        ObjectIdentity id = owner.identity();
        ResourceType type = typeOf(id.group(), id.kind());
        if (type == null) return Result.done();
        ObjectNode latest = resource(type).find(type.namespaced() ? id.namespace() : "", id.name()).map(StoredObject::toNode).orElse(null);
        if (latest != null && Meta.uid(latest).equals(uid)) removeFinalizer(type, latest, DependencyGraph.ORPHAN_FINALIZER);
        return Result.done();
    }
}
