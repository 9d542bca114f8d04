package kubefake.store.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.patch.SchemaType;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How one resource differs from the generic machinery of {@link ResourceStore} (Kubernetes' RESTCreateStrategy,
 * RESTUpdateStrategy and RESTDeleteStrategy in one place). Every method has the common behaviour as default.
 */
public interface ResourceStrategy {

    /** The kind's own defaults, validation and field labels. */
    KindRules rules();

    /** Whether the resource has a status subresource: then the main resource ignores status writes and vice versa. */
    default boolean hasStatusSubresource() { return false; }

    /**
     * Whether objects are stored at all: reviews (SelfSubjectAccessReview and the like) are answered by the
     * server on create and never kept.
     */
    default boolean persisted() { return true; }

    /** Whether metadata.generation is kept (1 on create, +1 on every change outside metadata and status). */
    default boolean tracksGeneration() { return false; }

    /**
     * The schema objects are typed with for server-side apply when Kubernetes' bundled OpenAPI does not describe the
     * kind (a custom resource's version); null for built-in kinds.
     */
    default SchemaType objectSchema() { return null; }

    /** Whether PUT of a missing object creates it. */
    default boolean allowCreateOnUpdate() { return false; }

    /**
     * Whether a PUT without a resourceVersion (or with "0") replaces whatever is stored; when false it is refused
     * with 422 ({@code must be specified for an update}), as for custom resources and CRDs.
     */
    default boolean allowUnconditionalUpdate() { return true; }

    /** Clears what a client may not set on create (usually status) and sets server-owned initial fields. */
    default void prepareForCreate(ObjectNode object) {
        if (hasStatusSubresource()) object.remove("status");
    }

    /**
     * Ends what prepareForCreate or prepareForUpdate reserved for this object (allocated IPs and ports): called
     * once the write is stored, failed or was a dry run, when the store itself says what is taken.
     */
    default void releaseReservations(ObjectNode object) {
    }

    /** Adjusts a main-resource update given the stored object (status is already carried over when there is a status subresource). */
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {
    }

    /**
     * The object a write to a subresource produces from the stored one: by default "status" takes only the
     * proposed status; other subresources are refused.
     *
     * @param old      the stored object, shared with its other readers: never changed, nor anything taken from it
     * @param proposed the request's object, the caller's to change: its nodes may be taken into the result
     */
    default ObjectNode subresourceUpdate(String subresource, ObjectNode old, ObjectNode proposed) {
        if (!subresource.equals("status")) {
            throw kubefake.store.registry.errors.StatusException.resourceNotFound();
        }
        return withStatusOf(old, proposed);
    }

    /**
     * The stored object with {@code proposed}'s status, in the stored object's field order, and private to the
     * caller: every other field is taken from {@code proposed} where it equals the stored one (a patch of the status
     * leaves them so), and copied from the stored object only where the request changed it.
     */
    static ObjectNode withStatusOf(ObjectNode old, ObjectNode proposed) {
        JsonNode status = proposed.get("status");
        boolean hasStatus = status != null && !status.isNull();
        ObjectNode updated = proposed.objectNode();
        for (var fields = old.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String name = field.getKey();
            if (name.equals("status")) {
                if (hasStatus) updated.set(name, status);
                continue;
            }
            JsonNode mine = proposed.get(name);
            updated.set(name, field.getValue().equals(mine) ? mine : field.getValue().deepCopy());
        }
        if (hasStatus && !old.has("status")) updated.set("status", status);
        return updated;
    }

    /**
     * A POST to a subresource that acts on the object instead of creating one (pods/binding): the change the request
     * body makes to the stored object, checked against it when applied. Resources without such a subresource answer
     * 404.
     *
     * @param name the object named in the URL
     * @param body the request body, of the subresource's kind (a Binding)
     */
    default UnaryOperator<ObjectNode> subresourceAction(String subresource, String name, ObjectNode body, Instant now) {
        throw kubefake.store.registry.errors.StatusException.resourceNotFound();
    }

    /**
     * The object's Scale (autoscaling/v1), for a resource with a scale subresource; others answer 404.
     */
    default ObjectNode toScale(ObjectNode object) {
        throw kubefake.store.registry.errors.StatusException.resourceNotFound();
    }

    /**
     * The object with a desired Scale applied (its replicas), checked against it; a resource without a scale
     * subresource answers 404.
     */
    default ObjectNode applyScale(ObjectNode object, ObjectNode scale, ResourceType type) {
        throw kubefake.store.registry.errors.StatusException.resourceNotFound();
    }

    /**
     * The fields of a request's object this resource does not keep, beyond those its Go type lacks (a custom
     * resource's fields its schema prunes): reported as the request's fieldValidation asks ({@code spec.foo}).
     */
    default List<String> unknownFields(ObjectNode object) {
        return List.of();
    }

    /**
     * The validation a write to the subresource goes through: the kind's update validation, unless the subresource
     * has rules of its own (pods/ephemeralcontainers may change the spec where a pod update may not).
     */
    default kubefake.store.registry.validation.ObjectValidator subresourceValidator(String subresource) {
        return rules().validator();
    }

    /** Extra validation beyond {@link KindRules#validator()}; update checks (immutable fields) see the old object. */
    default List<Cause> validate(ObjectNode object, ObjectNode oldOrNull) {
        return List.of();
    }

    /**
     * Decides how a delete proceeds for an object without finalizers: return a grace period in seconds to mark the
     * object deleting (deletionTimestamp = now + grace) and keep it until something finishes the deletion, or null to
     * delete it at once. {@code requestedGrace} is the DeleteOptions' gracePeriodSeconds or null.
     */
    default Long gracefulDeletionSeconds(ObjectNode object, Long requestedGrace) {
        return null;
    }

    /** Called when a delete marks the object as deleting (namespaces turn Terminating here). */
    default void prepareForGracefulDeletion(ObjectNode object, Instant now) {
    }

    /** Whether a deletion is finished once finalizers are gone (namespaces also wait for spec.finalizers). */
    default boolean readyToDelete(ObjectNode object) {
        return !object.path("metadata").has("finalizers") || object.path("metadata").path("finalizers").isEmpty();
    }

    /**
     * Whether objects stored as another version of this same resource differ in shape and go through
     * {@link #fromStorage}/{@link #toStorage} (another group's or resource's objects always do).
     */
    default boolean convertsStoredVersion() { return false; }

    /** The object as this resource's API shows it, from the stored form (identity unless stored as another kind). */
    default ObjectNode fromStorage(ObjectNode stored) {
        return stored;
    }

    /** The stored form of an object of this resource's API (the inverse of {@link #fromStorage}). */
    default ObjectNode toStorage(ObjectNode object) {
        return object;
    }

    /** Whether the HTTP DELETE answers with the object (true) or with a Status of kind Success. */
    default boolean returnsDeletedObject() { return false; }

    /** What a delete that names no propagation policy does to the object's dependents (rest.GarbageCollectionPolicy). */
    enum GarbageCollectionPolicy {
        /** Dependents go after the owner (in the background unless the owner carries foregroundDeletion). */
        DELETE_DEPENDENTS,
        /** The owner gets the orphan finalizer: dependents stay, their ownerReferences are removed. */
        ORPHAN_DEPENDENTS,
        /** No garbage-collection finalizers at all, whatever the delete asks (events). */
        UNSUPPORTED
    }

    default GarbageCollectionPolicy defaultGarbageCollectionPolicy() { return GarbageCollectionPolicy.DELETE_DEPENDENTS; }
}
