package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.GoLiteral;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Validation of {@code metadata} shared by every kind (apimachinery's {@code ValidateObjectMeta} and
 * {@code ValidateObjectMetaUpdate}): name and generateName, namespace, labels, annotations, owner references,
 * finalizers, and the fields an update may not change.
 */
public final class ObjectMetaValidation {

    /** Total size of all annotation keys and values: 256 KiB. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
    /** The message of every immutable-field error. */
    public static final String FIELD_IMMUTABLE = "field is immutable";
    /** The message for a negative count. */
    public static final String IS_NEGATIVE = "must be greater than or equal to 0";

    private ObjectMetaValidation() {
    }

    /** Create-time checks of {@code metadata} (path {@code metadata}). */
    public static List<FieldError> validate(JsonNode metadata, boolean namespaced, NameRule nameRule) {
        return validate(metadata, namespaced, nameRule, FieldPath.of("metadata"));
    }

    /** Create-time checks of an ObjectMeta at the given path. */
    public static List<FieldError> validate(JsonNode metadata, boolean namespaced, NameRule nameRule,
                                            FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String generateName = Json.text(metadata, "generateName");
        if (!generateName.isEmpty()) {
            for (String msg : nameRule.check(generateName, true)) {
                errs.add(FieldError.invalid(path.child("generateName"), generateName, msg));
            }
        }
        String name = Json.text(metadata, "name");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), "name or generateName is required"));
        } else {
            for (String msg : nameRule.check(name, false)) {
                errs.add(FieldError.invalid(path.child("name"), name, msg));
            }
        }
        errs.addAll(validateCommon(metadata, namespaced, path));
        return errs;
    }

    private static List<FieldError> validateCommon(JsonNode metadata, boolean namespaced, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String namespace = Json.text(metadata, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required(path.child("namespace"), ""));
            } else {
                for (String msg : Formats.nameIsDNSLabel(namespace, false)) {
                    errs.add(FieldError.invalid(path.child("namespace"), namespace, msg));
                }
            }
        } else if (!namespace.isEmpty()) {
            errs.add(FieldError.forbidden(path.child("namespace"), "not allowed on this type"));
        }
        JsonNode generation = metadata == null ? null : metadata.get("generation");
        if (Json.present(generation) && generation.asLong() < 0) {
            errs.add(FieldError.invalid(path.child("generation"), generation.asLong(), IS_NEGATIVE));
        }
        errs.addAll(validateLabels(Json.stringMap(metadata == null ? null : metadata.get("labels")),
                path.child("labels")));
        errs.addAll(validateAnnotations(Json.stringMap(metadata == null ? null : metadata.get("annotations")),
                path.child("annotations")));
        errs.addAll(validateOwnerReferences(metadata == null ? null : metadata.get("ownerReferences"),
                path.child("ownerReferences")));
        errs.addAll(validateFinalizers(metadata == null ? null : metadata.get("finalizers"),
                path.child("finalizers")));
        return errs;
    }

    /** Label keys must be qualified names and values label values; all errors carry the map's path. */
    public static List<FieldError> validateLabels(Map<String, String> labels, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (labels == null) {
            return errs;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            errs.addAll(validateLabelName(e.getKey(), path));
            for (String msg : Formats.isValidLabelValue(e.getValue())) {
                errs.add(FieldError.invalid(path, e.getValue(), msg));
            }
        }
        return errs;
    }

    /** A label key (qualified name). */
    public static List<FieldError> validateLabelName(String key, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : Formats.isQualifiedName(key)) {
            errs.add(FieldError.invalid(path, key, msg));
        }
        return errs;
    }

    /** Annotation keys are qualified names (case-insensitive); the total size is limited. */
    public static List<FieldError> validateAnnotations(Map<String, String> annotations, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (annotations == null) {
            return errs;
        }
        long total = 0;
        for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
            for (String msg : Formats.isQualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                errs.add(FieldError.invalid(path, e.getKey(), msg));
            }
            total += Formats.byteLength(e.getKey()) + Formats.byteLength(e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.add(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
        }
        return errs;
    }

    private static List<FieldError> validateOwnerReferences(JsonNode refs, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (!Json.present(refs)) {
            return errs;
        }
        String firstController = "";
        for (JsonNode ref : refs) {
            String apiVersion = Json.text(ref, "apiVersion");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1)
                    : apiVersion;
            if (version.isEmpty()) {
                errs.add(FieldError.invalid(path.child("apiVersion"), apiVersion, "version must not be empty"));
            }
            if (Json.text(ref, "kind").isEmpty()) {
                errs.add(FieldError.invalid(path.child("kind"), "", "must not be empty"));
            }
            if (Json.text(ref, "name").isEmpty()) {
                errs.add(FieldError.invalid(path.child("name"), "", "must not be empty"));
            }
            if (Json.text(ref, "uid").isEmpty()) {
                errs.add(FieldError.invalid(path.child("uid"), "", "must not be empty"));
            }
            if (ref.path("controller").asBoolean(false)) {
                String current = Json.text(ref, "kind") + "/" + Json.text(ref, "name");
                if (!firstController.isEmpty()) {
                    errs.add(FieldError.invalid(path, new GoLiteral(refs.toString()),
                            "Only one reference can have Controller set to true. Found \"true\" in references for "
                                    + firstController + " and " + current));
                } else {
                    firstController = current;
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validateFinalizers(JsonNode finalizers, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (!Json.present(finalizers)) {
            return errs;
        }
        boolean orphan = false;
        boolean foreground = false;
        List<String> all = new ArrayList<>();
        for (JsonNode f : finalizers) {
            String name = f.asText();
            all.add(name);
            for (String msg : Formats.isQualifiedName(name)) {
                errs.add(FieldError.invalid(path, name, msg));
            }
            orphan |= name.equals("orphan");
            foreground |= name.equals("foregroundDeletion");
        }
        if (orphan && foreground) {
            errs.add(FieldError.invalid(path, all, "finalizer orphan and foregroundDeletion cannot be both set"));
        }
        return errs;
    }

    /**
     * Update-time checks: name, namespace, uid, creationTimestamp, deletionTimestamp and
     * deletionGracePeriodSeconds may not change, generation may not go down, no finalizer may be added to an
     * object being deleted, and labels/annotations/owners/finalizers must still be valid.
     */
    public static List<FieldError> validateUpdate(JsonNode metadata, JsonNode oldMetadata) {
        FieldPath path = FieldPath.of("metadata");
        List<FieldError> errs = new ArrayList<>();
        if (Json.present(oldMetadata.get("deletionTimestamp"))) {
            List<String> oldF = new ArrayList<>();
            oldMetadata.path("finalizers").forEach(f -> oldF.add(f.asText()));
            TreeSet<String> extra = new TreeSet<>();
            metadata.path("finalizers").forEach(f -> {
                if (!oldF.contains(f.asText())) {
                    extra.add(f.asText());
                }
            });
            if (!extra.isEmpty()) {
                errs.add(FieldError.forbidden(path.child("finalizers"),
                        "no new finalizers can be added if the object is being deleted, found new finalizers "
                                + GoFormat.stringSlice(new ArrayList<>(extra))));
            }
        }
        long gen = metadata.path("generation").asLong(0);
        if (gen < oldMetadata.path("generation").asLong(0)) {
            errs.add(FieldError.invalid(path.child("generation"), gen, "must not be decremented"));
        }
        for (String f : List.of("name", "namespace", "uid")) {
            String now = Json.text(metadata, f);
            if (!now.equals(Json.text(oldMetadata, f))) {
                errs.add(FieldError.invalid(path.child(f), now, FIELD_IMMUTABLE));
            }
        }
        for (String f : List.of("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")) {
            JsonNode now = metadata.get(f);
            JsonNode before = oldMetadata.get(f);
            if (!Objects.equals(Json.present(now) ? now : null, Json.present(before) ? before : null)) {
                Object shown = Json.present(now) ? (now.isNumber() ? (Object) now.asLong() : now.asText()) : null;
                errs.add(FieldError.invalid(path.child(f), shown, FIELD_IMMUTABLE));
            }
        }
        errs.addAll(validateLabels(Json.stringMap(metadata.get("labels")), path.child("labels")));
        errs.addAll(validateAnnotations(Json.stringMap(metadata.get("annotations")), path.child("annotations")));
        errs.addAll(validateOwnerReferences(metadata.get("ownerReferences"), path.child("ownerReferences")));
        errs.addAll(validateFinalizers(metadata.get("finalizers"), path.child("finalizers")));
        return errs;
    }
}
