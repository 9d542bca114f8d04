package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;
import kubefake.store.registry.ResourceType;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.patch.PatchSchema;
import kubefake.store.registry.patch.SchemaType;
import kubefake.store.registry.resources.ScaleView;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.NameRule;
import kubefake.store.registry.validation.ObjectMetaValidation;
import kubefake.store.registry.validation.Validators;

import java.util.ArrayList;
import java.util.List;

/**
 * The strategy of a custom resource at one version, made from its CustomResourceDefinition
 * (apiextensions-apiserver's {@code customResourceStrategy}): unknown fields pruned and the schema's defaults
 * applied on every write, the object checked against the version's schema, generation kept, and the status and
 * scale subresources when the version declares them (the scale's replicas at its specReplicasPath).
 */
public final class CustomResourceStrategy implements ResourceStrategy {
    private final JsonNode schema;
    private final JsonNode schemaOutsideMetadata;
    private final SchemaType objectSchema;
    private final boolean namespaced;
    private final boolean status;
    /** The version's subresources.scale, or null. */
    private final JsonNode scale;
    private final KindRules rules;
    /** The schema's x-kubernetes-validations, compiled; null when it has none. */
    private final CelRules celRules;

    CustomResourceStrategy(JsonNode version, boolean namespaced) {
        this.schema = version.path("schema").path("openAPIV3Schema");
        this.schemaOutsideMetadata = withoutMetadata(schema);
        this.objectSchema = PatchSchema.forCustomResource(schema);
        this.celRules = CelRules.of(schema);
        this.namespaced = namespaced;
        JsonNode subresources = version.path("subresources");
        this.status = subresources.has("status") && !subresources.get("status").isNull();
        this.scale = subresources.has("scale") && !subresources.get("scale").isNull() ? subresources.get("scale") : null;
        Defaulter defaulter = this::pruneAndDefault;
        this.rules = new KindRules(defaulter, (obj, old) -> Validators.toCauses(validateObject(obj, old)), FieldLabels.METADATA);
    }

    @Override
    public KindRules rules() {
        return rules;
    }

    /** The version's openAPIV3Schema (what OpenAPI publishes and explain describes). */
    public JsonNode schema() {
        return schema;
    }

    /** Server-side apply types this version's objects with its schema (list types, map-list keys, atomic maps). */
    @Override
    public SchemaType objectSchema() {
        return objectSchema;
    }

    /** Their registry's strategy requires a resourceVersion in every update. */
    @Override
    public boolean allowUnconditionalUpdate() {
        return false;
    }

    @Override
    public boolean hasStatusSubresource() {
        return status;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    /** The fields a write would prune: the field-validation warnings (or strict errors) of a request. */
    @Override
    public List<String> unknownFields(ObjectNode object) {
        return SchemaPruning.unknownFields(object, schema);
    }

    private void pruneAndDefault(ObjectNode object) {
        SchemaPruning.prune(object, schema);
        SchemaDefaulting.apply(object, schema);
    }

    /** Schema errors after which the x-kubernetes-validations rules are not run. */
    private static final java.util.Set<FieldError.Type> BLOCKING = java.util.EnumSet.of(FieldError.Type.NOT_SUPPORTED,
            FieldError.Type.REQUIRED, FieldError.Type.TOO_LONG, FieldError.Type.TOO_MANY, FieldError.Type.TYPE_INVALID);

    private List<FieldError> validateObject(ObjectNode object, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(object.path("metadata"), namespaced, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(object.path("metadata"), old.path("metadata")));
        // metadata is ObjectMeta's to check; the schema says nothing more about it than name's format
        ObjectNode checked = object.deepCopy();
        checked.remove("metadata");
        errs.addAll(SchemaValidation.validate(checked, schemaOutsideMetadata));
        if (celRules != null) {
            if (errs.stream().anyMatch(e -> BLOCKING.contains(e.type()))) {
                // the real server does not run the rules over a value of the wrong shape (hasBlockingErr)
                errs.add(FieldError.invalid(FieldPath.of("<nil>"), "null", "some validation rules were not checked because the "
                        + "object was invalid; correct the existing errors to complete validation"));
            } else {
                errs.addAll(celRules.validate(object, old));
            }
        }
        return errs;
    }

    private static JsonNode withoutMetadata(JsonNode schema) {
        if (!schema.path("properties").has("metadata")) return schema;
        ObjectNode copy = schema.deepCopy();
        ((ObjectNode) copy.get("properties")).remove("metadata");
        return copy;
    }

    @Override
    public ObjectNode subresourceUpdate(String subresource, ObjectNode old, ObjectNode proposed) {
        ObjectNode updated = ResourceStrategy.super.subresourceUpdate(subresource, old, proposed);
        pruneAndDefault(updated);
        return updated;
    }

    // ---------------------------------------------------------------- scale

    @Override
    public ObjectNode toScale(ObjectNode object) {
        if (scale == null) throw StatusException.resourceNotFound();
        String selectorPath = Json.text(scale, "labelSelectorPath");
        JsonNode selector = selectorPath.isEmpty() ? null : at(object, selectorPath);
        return ScaleView.of(object, at(object, Json.text(scale, "specReplicasPath")).asLong(0),
                at(object, Json.text(scale, "statusReplicasPath")).asLong(0),
                selector != null && selector.isTextual() ? selector.asText() : null);
    }

    @Override
    public ObjectNode applyScale(ObjectNode object, ObjectNode desired, ResourceType type) {
        if (scale == null) throw StatusException.resourceNotFound();
        String name = Json.text(object.path("metadata"), "name");
        String rv = Json.text(desired.path("metadata"), "resourceVersion");
        if (!rv.isEmpty() && !rv.equals(Json.text(object.path("metadata"), "resourceVersion"))) {
            throw StatusException.conflictModified(type.group(), type.resource(), name);
        }
        JsonNode replicas = desired.path("spec").path("replicas");
        long value = replicas.isMissingNode() || replicas.isNull() ? 0 : replicas.asLong();
        if (value < 0) {
            throw StatusException.invalid("autoscaling", "Scale", name, List.of(new Cause("FieldValueInvalid",
                    "Invalid value: " + value + ": must be greater than or equal to 0", "spec.replicas")));
        }
        set(object, Json.text(scale, "specReplicasPath"), value);
        return object;
    }

    /** The value at a simple JSONPath such as {@code .spec.replicas}, or a missing node. */
    private static JsonNode at(JsonNode object, String path) {
        JsonNode n = object;
        for (String part : path.replaceFirst("^\\.", "").split("\\.")) {
            if (part.isEmpty()) continue;
            n = n.path(part);
        }
        return n;
    }

    private static void set(ObjectNode object, String path, long value) {
        String[] parts = path.replaceFirst("^\\.", "").split("\\.");
        ObjectNode n = object;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.get(parts[i]) instanceof ObjectNode child ? child : n.putObject(parts[i]);
        }
        n.put(parts[parts.length - 1], value);
    }
}
