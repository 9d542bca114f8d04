package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;

import java.time.Instant;
import java.util.Locale;

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions (apiextensions-apiserver's {@code registry/customresourcedefinition}):
 * the v1 defaults (singular and listKind from the kind, conversion {@code None}), {@code status.storedVersions}
 * kept by the server, generation, the status subresource, and a delete that only marks the definition
 * Terminating with the {@code customresourcecleanup.apiextensions.k8s.io} finalizer, which the finalizing
 * controller removes once the custom resources are gone.
 */
public final class CustomResourceDefinitionStrategy implements ResourceStrategy {
    public static final String GROUP = "apiextensions.k8s.io";
    public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private static final KindRules RULES = new KindRules(CustomResourceDefinitionStrategy::defaults,
            (crd, old) -> Validators.toCauses(CrdValidation.validate(crd, old)), FieldLabels.METADATA);

    @Override
    public KindRules rules() {
        return RULES;
    }

    /** Their registry's strategy requires a resourceVersion in every update. */
    @Override
    public boolean allowUnconditionalUpdate() {
        return false;
    }

    @Override
    public boolean hasStatusSubresource() {
        return true;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    /** SetDefaults_CustomResourceDefinition(Spec) of apiextensions/v1. */
    static void defaults(ObjectNode crd) {
        if (!(crd.get("spec") instanceof ObjectNode spec)) return;
        if (spec.get("names") instanceof ObjectNode names) {
            String kind = Json.text(names, "kind");
            if (Json.text(names, "singular").isEmpty() && !kind.isEmpty()) names.put("singular", kind.toLowerCase(Locale.ROOT));
            if (Json.text(names, "listKind").isEmpty() && !kind.isEmpty()) names.put("listKind", kind + "List");
        }
        if (!(spec.get("conversion") instanceof ObjectNode)) spec.putObject("conversion").put("strategy", "None");
        JsonNode webhook = spec.path("conversion").path("webhook").path("clientConfig").path("service");
        if (webhook instanceof ObjectNode service && !service.has("port")) service.put("port", 443);
    }

    @Override
    public void prepareForCreate(ObjectNode crd) {
        ObjectNode status = crd.putObject("status");
        status.putObject("acceptedNames").put("plural", "").put("kind", "");
        addStoredVersion(crd, status);
    }

    @Override
    public void prepareForUpdate(ObjectNode crd, ObjectNode old) {
        ObjectNode status = crd.get("status") instanceof ObjectNode s ? s : crd.putObject("status");
        addStoredVersion(crd, status);
    }

    /** The storage version joins status.storedVersions (a version once stored stays listed). */
    private static void addStoredVersion(ObjectNode crd, ObjectNode status) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (!v.path("storage").asBoolean(false)) continue;
            String name = Json.text(v, "name");
            ArrayNode stored = status.get("storedVersions") instanceof ArrayNode a ? a : status.putArray("storedVersions");
            boolean present = false;
            for (JsonNode s : stored) present |= s.asText().equals(name);
            if (!present) stored.add(name);
        }
    }

    /** A CRD is never deleted at once: it is marked and waits for the cleanup finalizer. */
    @Override
    public Long gracefulDeletionSeconds(ObjectNode object, Long requestedGrace) {
        return object.path("metadata").has("deletionTimestamp") ? null : 0L;
    }

    @Override
    public void prepareForGracefulDeletion(ObjectNode crd, Instant now) {
        ObjectNode meta = Json.metadata(crd);
        // the CRD's own delete sets only deletionTimestamp (no grace period) and its finalizer
        meta.remove("deletionGracePeriodSeconds");
        ArrayNode finalizers = meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
        boolean present = false;
        for (JsonNode f : finalizers) present |= f.asText().equals(CLEANUP_FINALIZER);
        if (!present) finalizers.add(CLEANUP_FINALIZER);
        CrdConditions.set(crd, "Terminating", "True", "InstanceDeletionPending",
                "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon", now);
    }
}
