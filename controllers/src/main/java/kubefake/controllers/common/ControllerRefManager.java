package kubefake.controllers.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.client.ResourceClient;
import kubefake.client.workqueue.SyncException;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Claims a controller's dependents ({@code controller.BaseControllerRefManager.ClaimObject}): those it owns and
 * that still match are its own; those it owns that no longer match are released (its owner reference removed);
 * orphans that match are adopted (its controller reference added), unless the controller or the orphan is being
 * deleted. Adopting first re-reads the controller, uncached, once: a controller deleted meanwhile adopts nothing.
 */
public final class ControllerRefManager {
    private final JsonNode controller;
    private final OwnerReference controllerRef;
    private final ResourceClient dependents;
    private final Predicate<JsonNode> matches;
    private final Supplier<JsonNode> freshController;
    private RuntimeException cannotAdopt;
    private boolean checked;

    /**
     * @param controller      the controller's object (from the cache)
     * @param apiVersion      its apiVersion and kind, as its controller reference names them
     * @param dependents      where the dependents live (patched to adopt and release)
     * @param matches         whether a dependent matches the controller's selector (and any filter)
     * @param freshController reads the controller from the registry, not the cache (null when it is gone)
     */
    public ControllerRefManager(JsonNode controller, String apiVersion, String kind, ResourceClient dependents,
                                Predicate<JsonNode> matches, Supplier<JsonNode> freshController) {
        this.controller = controller;
        this.controllerRef = OwnerReference.controllerRef(controller, apiVersion, kind);
        this.dependents = dependents;
        this.matches = matches;
        this.freshController = freshController;
    }

    /**
     * The dependents that belong to the controller after claiming. A failed adoption or release is reported after
     * the others are done, as one exception (the controller retries).
     */
    public List<ObjectNode> claim(List<ObjectNode> candidates) {
        List<ObjectNode> claimed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : candidates) {
            try {
                ObjectNode mine = claimOne(o);
                if (mine != null) claimed.add(mine);
            } catch (RuntimeException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) throw new SyncException(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        return claimed;
    }

    private ObjectNode claimOne(ObjectNode o) {
        OwnerReference ref = OwnerReference.controllerOf(o);
        if (ref != null) {
            if (!ref.uid().equals(controllerRef.uid())) return null; // someone else's
            if (matches.test(o)) return o;
            if (Meta.isDeleting(controller)) return null;
            release(o);
            return null;
        }
        if (Meta.isDeleting(controller) || !matches.test(o) || Meta.isDeleting(o)) return null;
        if (!Meta.namespace(controller).isEmpty() && !Meta.namespace(controller).equals(Meta.namespace(o))) return null;
        try {
            return adopt(o);
        } catch (StatusException e) {
            if (e.code() == 404) return null;
            throw e;
        }
    }

    private void checkCanAdopt() {
        if (!checked) {
            checked = true;
            JsonNode fresh = freshController.get();
            if (fresh == null || !Meta.uid(fresh).equals(controllerRef.uid())) {
                cannotAdopt = new SyncException("can't recheck DeletionTimestamp: " + controllerRef.kind() + " "
                        + Meta.namespace(controller) + "/" + controllerRef.name() + " is gone");
            } else if (Meta.isDeleting(fresh)) {
                cannotAdopt = new SyncException(Meta.namespace(fresh) + "/" + Meta.name(fresh) + " has just been deleted at "
                        + Json.text(fresh.path("metadata"), "deletionTimestamp"));
            }
        }
        if (cannotAdopt != null) throw cannotAdopt;
    }

    private ObjectNode adopt(ObjectNode o) {
        try {
            checkCanAdopt();
        } catch (SyncException e) {
            throw new SyncException("can't adopt " + kindOf(o) + " " + Meta.namespace(o) + "/" + Meta.name(o) + " ("
                    + Meta.uid(o) + "): " + e.getMessage());
        }
        String uid = Meta.uid(o);
        return dependents.patch(Meta.namespace(o), Meta.name(o), current -> {
            checkUid(current, uid);
            ArrayNode refs = Json.metadata(current).withArray("ownerReferences");
            for (int i = refs.size() - 1; i >= 0; i--) {
                if (controllerRef.uid().equals(Json.text(refs.get(i), "uid"))) refs.remove(i);
            }
            refs.add(controllerRef.toJson());
            return current;
        }).toNode();
    }

    private void release(ObjectNode o) {
        String uid = Meta.uid(o);
        try {
            dependents.patch(Meta.namespace(o), Meta.name(o), current -> {
                checkUid(current, uid);
                JsonNode refs = current.path("metadata").path("ownerReferences");
                ArrayNode kept = Json.MAPPER.createArrayNode();
                for (JsonNode r : refs) if (!controllerRef.uid().equals(Json.text(r, "uid"))) kept.add(r);
                if (kept.size() == refs.size()) return null;
                if (kept.isEmpty()) Json.metadata(current).remove("ownerReferences");
                else Json.metadata(current).set("ownerReferences", kept);
                return current;
            });
        } catch (StatusException e) {
            // gone, or replaced by another object of the same name: nothing of ours to release
            if (e.code() != 404 && e.code() != 409) throw e;
        }
    }

    /** The patch names the dependent's uid, as the real controller's does: another object of that name is not it. */
    private void checkUid(ObjectNode current, String uid) {
        String actual = Meta.uid(current);
        if (!actual.equals(uid)) {
            throw StatusException.conflict(dependents.type().group(), dependents.type().resource(), Meta.name(current),
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + actual);
        }
    }

    private String kindOf(JsonNode o) {
        return dependents.type().kind();
    }
}
