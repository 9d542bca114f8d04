package kubefake.controllers.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.Client;
import kubefake.client.informers.Informer;
import kubefake.client.informers.ResourceEventHandler;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.client.workqueue.Controller;
import kubefake.client.workqueue.Result;
import kubefake.client.workqueue.WorkQueue;
import kubefake.controllers.common.Meta;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.apiextensions.CrdConditions;
import kubefake.store.registry.apiextensions.CustomResourceDefinitionStrategy;
import kubefake.store.registry.apiextensions.CustomResourceEntries;
import kubefake.store.registry.errors.StatusException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server's own CRD controllers (apiextensions-apiserver's naming, establishing and finalizing
 * controllers, and its CRD handler's serving), in one reconciler per definition:
 * <ul>
 *   <li>naming: the spec's names are accepted unless another definition of the group uses the plural or kind
 *       ({@code NamesAccepted}, reasons {@code NoConflicts} / {@code NameConflict});</li>
 *   <li>serving: the accepted names' versions join the registry's catalogue (so discovery, OpenAPI and the
 *       generic handlers serve them) before the definition is {@code Established};</li>
 *   <li>finalizing: a definition being deleted has its custom resources deleted, then leaves the catalogue and
 *       loses the {@code customresourcecleanup.apiextensions.k8s.io} finalizer, which ends its deletion.</li>
 * </ul>
 */
public final class CustomResourceDefinitionController implements AutoCloseable {
    public static final String NAME = "apiextensions-controllers";
    private static final Duration INSTANCES_LEFT_RETRY = Duration.ofSeconds(1);

    private final Client client;
    private final Registry registry;
    private final ClusterRuntime runtime;
    private final Informer definitions;
    private final Controller<String> controller;
    /** What each definition serves now: its spec and accepted names, to serve again only when they change. */
    private final Map<String, JsonNode> served = new ConcurrentHashMap<>();

    /** @param client the API server's own identity */
    public CustomResourceDefinitionController(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.client = client;
        this.registry = client.registry();
        this.runtime = runtime;
        this.definitions = informers.informer(CustomResourceDefinitionStrategy.GROUP, "customresourcedefinitions");
        this.controller = new Controller<>(NAME, runtime, new WorkQueue<>("crd", runtime), 2, this::sync);
        definitions.addHandler(new ResourceEventHandler() {
            @Override
            public void onAdd(StoredObject crd) {
                enqueue(crd);
            }

            @Override
            public void onUpdate(StoredObject old, StoredObject current) {
                enqueue(current);
            }

            @Override
            public void onDelete(StoredObject last) {
                enqueue(last);
                // a name it held may now be free for another definition of the group
                String group = Json.text(last.tree().path("spec"), "group");
                for (StoredObject other : definitions.list()) {
                    if (Json.text(other.tree().path("spec"), "group").equals(group)) enqueue(other);
                }
            }
        });
    }

    public void start() {
        controller.start(definitions.synced());
    }

    @Override
    public void close() {
        controller.close();
    }

    private void enqueue(StoredObject crd) {
        controller.queue().add(Meta.name(crd.tree()));
    }

    Result sync(String name) {
        StoredObject stored = definitions.get("", name).orElse(null);
        if (stored == null) {
            stopServing(name);
            return Result.done();
        }
        ObjectNode crd = stored.toNode();
        if (Meta.isDeleting(crd)) return finalize(crd);
        ObjectNode proposed = crd.deepCopy();
        Instant now = runtime.clock().instant();
        String conflict = nameConflict(crd);
        if (conflict == null) {
            acceptNames(proposed);
            CrdConditions.set(proposed, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now);
        } else {
            CrdConditions.set(proposed, "NamesAccepted", "False", "NameConflict", conflict, now);
        }
        serve(name, proposed);
        if (CrdConditions.isTrue(proposed, "NamesAccepted") && !CrdConditions.isTrue(proposed, "Established")) {
            CrdConditions.set(proposed, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now);
        }
        if (!proposed.path("status").equals(crd.path("status"))) writeStatus(crd, proposed.get("status"));
        return Result.done();
    }

    /** The spec's names become the accepted ones (the real controller takes only the parts without conflict). */
    private static void acceptNames(ObjectNode crd) {
        ObjectNode status = crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
        JsonNode names = crd.path("spec").path("names");
        ObjectNode accepted = status.putObject("acceptedNames");
        for (String f : List.of("plural", "singular", "shortNames", "kind", "listKind", "categories")) {
            if (names.has(f)) accepted.set(f, names.get(f).deepCopy());
        }
        if (!accepted.has("plural")) accepted.put("plural", "");
        if (!accepted.has("kind")) accepted.put("kind", "");
    }

    /** Why another definition of the group keeps this one's names, or null when there is no conflict. */
    private String nameConflict(ObjectNode crd) {
        String name = Meta.name(crd);
        JsonNode names = crd.path("spec").path("names");
        String group = Json.text(crd.path("spec"), "group");
        for (StoredObject other : definitions.list()) {
            JsonNode o = other.tree();
            if (Meta.name(o).equals(name) || !Json.text(o.path("spec"), "group").equals(group)) continue;
            JsonNode accepted = o.path("status").path("acceptedNames");
            String plural = Json.text(names, "plural");
            if (plural.equals(Json.text(accepted, "plural"))) return "\"" + plural + "\" is already in use";
            String kind = Json.text(names, "kind");
            if (kind.equals(Json.text(accepted, "kind"))) return "\"" + kind + "\" is already in use";
            for (JsonNode shortName : names.path("shortNames")) {
                for (JsonNode taken : accepted.path("shortNames")) {
                    if (shortName.asText().equals(taken.asText())) return "\"" + shortName.asText() + "\" is already in use";
                }
            }
        }
        return null;
    }

    /** Puts the definition's versions in the catalogue (again only when its spec or accepted names changed). */
    private void serve(String name, ObjectNode crd) {
        ObjectNode key = Json.MAPPER.createObjectNode();
        key.set("spec", crd.path("spec"));
        key.set("acceptedNames", crd.path("status").path("acceptedNames"));
        if (key.equals(served.get(name))) return;
        registry.serve(name, CustomResourceEntries.of(crd));
        served.put(name, key);
    }

    private void stopServing(String name) {
        if (served.remove(name) != null) registry.serve(name, List.of());
    }

    /** A definition being deleted: its custom resources go first, then its finalizer. */
    private Result finalize(ObjectNode crd) {
        String name = Meta.name(crd);
        if (!Meta.hasFinalizer(crd, CustomResourceDefinitionStrategy.CLEANUP_FINALIZER)) return Result.done();
        Instant now = runtime.clock().instant();
        setStatusCondition(crd, "Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress", now);
        JsonNode names = crd.path("status").path("acceptedNames");
        String group = Json.text(crd.path("spec"), "group");
        String plural = Json.text(names, "plural");
        boolean left = false;
        if (!plural.isEmpty()) {
            for (ResourceStore rs : registry.resources()) {
                if (!rs.type().group().equals(group) || !rs.type().resource().equals(plural)) continue;
                for (StoredObject o : rs.list("", kubefake.store.registry.ListOptions.ALL).items()) {
                    left = true;
                    if (Meta.isDeleting(o.tree())) continue;
                    try {
                        client.resource(group, plural).delete(Meta.namespace(o.tree()), Meta.name(o.tree()));
                    } catch (StatusException e) {
                        if (e.code() != 404) throw e;
                    }
                }
                break;
            }
        }
        if (left && stillHasInstances(group, plural)) return Result.requeueAfter(INSTANCES_LEFT_RETRY);
        setStatusCondition(crd, "Terminating", "False", "InstanceDeletionCompleted", "removed all instances", now);
        stopServing(name);
        try {
            client.resource(CustomResourceDefinitionStrategy.GROUP, "customresourcedefinitions").patch("", name, current -> {
                if (!Meta.uid(current).equals(Meta.uid(crd))) return null;
                return Meta.removeFinalizer(current, CustomResourceDefinitionStrategy.CLEANUP_FINALIZER);
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
        return Result.done();
    }

    private boolean stillHasInstances(String group, String plural) {
        for (ResourceStore rs : registry.resources()) {
            if (rs.type().group().equals(group) && rs.type().resource().equals(plural)) {
                return !rs.list("", kubefake.store.registry.ListOptions.ALL).items().isEmpty();
            }
        }
        return false;
    }

    private void setStatusCondition(ObjectNode crd, String type, String status, String reason, String message, Instant now) {
        ObjectNode proposed = crd.deepCopy();
        if (!CrdConditions.set(proposed, type, status, reason, message, now)) return;
        writeStatus(crd, proposed.get("status"));
        crd.set("status", proposed.get("status"));
    }

    /** Writes the definition's status (not to a definition of the same name made since: its uid differs). */
    private void writeStatus(ObjectNode crd, JsonNode status) {
        try {
            client.resource(CustomResourceDefinitionStrategy.GROUP, "customresourcedefinitions").patchStatus("", Meta.name(crd), current -> {
                if (!Meta.uid(current).equals(Meta.uid(crd))) return null;
                current.set("status", status.deepCopy());
                return current;
            });
        } catch (StatusException e) {
            if (e.code() != 404) throw e;
        }
    }
}
