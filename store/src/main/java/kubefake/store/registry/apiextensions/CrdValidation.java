package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;
import kubefake.store.registry.validation.Formats;
import kubefake.store.registry.validation.NameRule;
import kubefake.store.registry.validation.ObjectMetaValidation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a CustomResourceDefinition (apiextensions-apiserver's {@code ValidateCustomResourceDefinition}
 * and the structural-schema rules), with the real messages: its name is {@code <plural>.<group>}, the group a
 * domain, the names DNS-1035 labels, exactly one storage version, every version with a structural schema,
 * printer columns of known types, scale paths under {@code .spec} and {@code .status}.
 */
final class CrdValidation {
    private static final List<String> SCOPES = List.of("Cluster", "Namespaced");
    private static final List<String> COLUMN_TYPES = List.of("integer", "number", "string", "boolean", "date");

    private CrdValidation() {
    }

    static List<FieldError> validate(ObjectNode crd, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode meta = crd.path("metadata");
        errs.addAll(old == null ? ObjectMetaValidation.validate(meta, false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(meta, old.path("metadata")));
        JsonNode spec = crd.path("spec");
        String group = Json.text(spec, "group");
        String plural = Json.text(spec.path("names"), "plural");
        String name = Json.text(meta, "name");
        if (!name.equals(plural + "." + group)) {
            errs.add(FieldError.invalid(FieldPath.of("metadata", "name"), name, "must be spec.names.plural+\".\"+spec.group"));
        }
        FieldPath specPath = FieldPath.of("spec");
        if (group.isEmpty()) {
            errs.add(FieldError.required(specPath.child("group"), ""));
        } else {
            List<String> problems = Formats.isDNS1123Subdomain(group);
            if (!problems.isEmpty()) errs.add(FieldError.invalid(specPath.child("group"), group, String.join(",", problems)));
            if (group.split("\\.").length < 2) {
                errs.add(FieldError.invalid(specPath.child("group"), group, "should be a domain with at least one dot"));
            }
        }
        String scope = Json.text(spec, "scope");
        if (scope.isEmpty()) errs.add(FieldError.required(specPath.child("scope"), ""));
        else if (!SCOPES.contains(scope)) errs.add(FieldError.notSupported(specPath.child("scope"), scope, SCOPES));
        names(spec.path("names"), specPath.child("names"), errs);
        versions(spec.path("versions"), specPath.child("versions"), errs);
        if (spec.path("preserveUnknownFields").asBoolean(false)) {
            errs.add(FieldError.invalid(specPath.child("preserveUnknownFields"), true,
                    "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
        }
        String conversion = Json.text(spec.path("conversion"), "strategy");
        if (!conversion.isEmpty() && !conversion.equals("None") && !conversion.equals("Webhook")) {
            errs.add(FieldError.notSupported(specPath.child("conversion", "strategy"), conversion, List.of("None", "Webhook")));
        } else if (conversion.equals("Webhook") && !spec.path("conversion").has("webhook")) {
            errs.add(FieldError.required(specPath.child("conversion", "webhook"), "required when strategy is set to Webhook"));
        }
        if (old != null) {
            JsonNode oldSpec = old.path("spec");
            if (!Json.text(oldSpec, "group").equals(group)) {
                errs.add(FieldError.invalid(specPath.child("group"), group, ObjectMetaValidation.FIELD_IMMUTABLE));
            }
        }
        return errs;
    }

    private static void names(JsonNode names, FieldPath path, List<FieldError> errs) {
        String plural = Json.text(names, "plural");
        String singular = Json.text(names, "singular");
        String kind = Json.text(names, "kind");
        String listKind = Json.text(names, "listKind");
        label(plural, path.child("plural"), errs, "");
        label(singular, path.child("singular"), errs, "");
        if (plural.isEmpty()) errs.add(FieldError.required(path.child("plural"), ""));
        if (singular.isEmpty()) errs.add(FieldError.required(path.child("singular"), ""));
        if (kind.isEmpty()) errs.add(FieldError.required(path.child("kind"), ""));
        else label(kind, path.child("kind"), errs, "may have mixed case, but should otherwise match: ");
        if (listKind.isEmpty()) errs.add(FieldError.required(path.child("listKind"), ""));
        else label(listKind, path.child("listKind"), errs, "may have mixed case, but should otherwise match: ");
        if (!kind.isEmpty() && kind.equals(listKind)) {
            errs.add(FieldError.invalid(path.child("listKind"), listKind, "kind and listKind may not be the same"));
        }
        int i = 0;
        for (JsonNode shortName : names.path("shortNames")) label(shortName.asText(), path.child("shortNames").index(i++), errs, "");
        i = 0;
        for (JsonNode category : names.path("categories")) label(category.asText(), path.child("categories").index(i++), errs, "");
    }

    /** A name that must be a DNS-1035 label (kinds may have mixed case). */
    private static void label(String value, FieldPath path, List<FieldError> errs, String prefix) {
        if (value.isEmpty()) return;
        String checked = prefix.isEmpty() ? value : value.toLowerCase(java.util.Locale.ROOT);
        List<String> problems = Formats.isDNS1035Label(checked);
        if (!problems.isEmpty()) errs.add(FieldError.invalid(path, value, prefix + String.join(",", problems)));
    }

    private static void versions(JsonNode versions, FieldPath path, List<FieldError> errs) {
        if (!versions.isArray() || versions.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        int storage = 0;
        boolean served = false;
        Set<String> seen = new HashSet<>();
        boolean unique = true;
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            FieldPath vp = path.index(i);
            String name = Json.text(v, "name");
            if (v.path("storage").asBoolean(false)) storage++;
            if (v.path("served").asBoolean(false)) served = true;
            if (!seen.add(name)) unique = false;
            List<String> problems = Formats.isDNS1035Label(name);
            if (!problems.isEmpty()) errs.add(FieldError.invalid(vp.child("name"), name, String.join(",", problems)));
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode() || schema.isNull()) {
                errs.add(FieldError.required(vp.child("schema", "openAPIV3Schema"), "schemas are required"));
            } else {
                StructuralSchema.validate(schema, vp.child("schema", "openAPIV3Schema"), errs);
                // one schema shared by every version is checked once, as the internal spec.validation
                boolean shared = identicalSchemas(versions);
                if (!shared) CelRules.check(schema, vp.child("schema", "openAPIV3Schema"), errs);
                else if (i == 0) CelRules.check(schema, FieldPath.of("spec", "validation", "openAPIV3Schema"), errs);
            }
            subresources(v.path("subresources"), vp.child("subresources"), errs);
            columns(v.path("additionalPrinterColumns"), vp.child("additionalPrinterColumns"), errs);
        }
        GoLiteral value = new GoLiteral(versionsLiteral(versions));
        if (!unique) errs.add(FieldError.invalid(path, value, "must contain unique version names"));
        if (storage != 1) errs.add(FieldError.invalid(path, value, "must have exactly one version marked as storage version"));
        if (!served) errs.add(FieldError.invalid(path, value, "must have at least one version marked as served"));
    }

    /**
     * Whether every version has the same schema: the API server then validates it once as the internal
     * {@code spec.validation}, and its errors carry that path (the v1 to internal conversion moves it there).
     */
    private static boolean identicalSchemas(JsonNode versions) {
        JsonNode first = versions.get(0).path("schema");
        for (JsonNode v : versions) if (!v.path("schema").equals(first)) return false;
        return true;
    }

    /** Go's %#v of the versions, shortened to what identifies them. */
    private static String versionsLiteral(JsonNode versions) {
        StringBuilder b = new StringBuilder("[]apiextensions.CustomResourceDefinitionVersion{");
        for (int i = 0; i < versions.size(); i++) {
            JsonNode v = versions.get(i);
            if (i > 0) b.append(", ");
            b.append("apiextensions.CustomResourceDefinitionVersion{Name:\"").append(Json.text(v, "name"))
                    .append("\", Served:").append(v.path("served").asBoolean(false))
                    .append(", Storage:").append(v.path("storage").asBoolean(false)).append(", ...}");
        }
        return b.append("}").toString();
    }

    private static void subresources(JsonNode subresources, FieldPath path, List<FieldError> errs) {
        JsonNode scale = subresources.get("scale");
        if (scale == null || scale.isNull()) return;
        FieldPath sp = path.child("scale");
        String spec = Json.text(scale, "specReplicasPath");
        String status = Json.text(scale, "statusReplicasPath");
        if (spec.isEmpty()) errs.add(FieldError.required(sp.child("specReplicasPath"), ""));
        else if (!spec.startsWith(".spec.")) {
            errs.add(FieldError.invalid(sp.child("specReplicasPath"), spec, "should be a json path under .spec"));
        }
        if (status.isEmpty()) errs.add(FieldError.required(sp.child("statusReplicasPath"), ""));
        else if (!status.startsWith(".status.")) {
            errs.add(FieldError.invalid(sp.child("statusReplicasPath"), status, "should be a json path under .status"));
        }
        String selector = Json.text(scale, "labelSelectorPath");
        if (!selector.isEmpty() && !selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
            errs.add(FieldError.invalid(sp.child("labelSelectorPath"), selector, "should be a json path under either .spec or .status"));
        }
    }

    private static void columns(JsonNode columns, FieldPath path, List<FieldError> errs) {
        for (int i = 0; i < columns.size(); i++) {
            JsonNode c = columns.get(i);
            FieldPath cp = path.index(i);
            if (Json.text(c, "name").isEmpty()) errs.add(FieldError.required(cp.child("name"), ""));
            String type = Json.text(c, "type");
            if (type.isEmpty()) errs.add(FieldError.required(cp.child("type"), ""));
            else if (!COLUMN_TYPES.contains(type)) errs.add(FieldError.notSupported(cp.child("type"), type, COLUMN_TYPES));
            if (Json.text(c, "jsonPath").isEmpty()) errs.add(FieldError.required(cp.child("jsonPath"), ""));
        }
    }

    /** The structural-schema rules apiextensions-apiserver enforces on every v1 CRD's schemas. */
    static final class StructuralSchema {
        private StructuralSchema() {
        }

        static void validate(JsonNode root, FieldPath path, List<FieldError> errs) {
            String type = Json.text(root, "type");
            if (type.isEmpty()) {
                errs.add(FieldError.required(path.child("type"), "must not be empty at the root"));
            } else if (!type.equals("object")) {
                errs.add(FieldError.invalid(path.child("type"), type, "must be object at the root"));
            }
            JsonNode metadata = root.path("properties").get("metadata");
            if (metadata != null) {
                Iterator<String> fields = metadata.path("properties").fieldNames();
                boolean onlyNames = true;
                while (fields.hasNext()) {
                    String f = fields.next();
                    if (!f.equals("name") && !f.equals("generateName")) onlyNames = false;
                }
                if (!onlyNames) {
                    errs.add(FieldError.forbidden(path.child("properties").key("metadata"),
                            "must not specify anything other than name and generateName, but metadata is implicitly specified"));
                }
            }
            node(root, path, errs, true);
        }

        private static void node(JsonNode schema, FieldPath path, List<FieldError> errs, boolean root) {
            boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false);
            boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (schema.has("properties") && schema.has("additionalProperties")) {
                errs.add(FieldError.forbidden(path.child("additionalProperties"),
                        "additionalProperties and properties are mutual exclusive"));
            }
            if (schema.has("additionalProperties") && !schema.get("additionalProperties").isObject()
                    && !schema.get("additionalProperties").asBoolean(true)) {
                errs.add(FieldError.forbidden(path.child("additionalProperties"), "must not be used"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                FieldPath pp = path.child("properties").key(p.getKey());
                typeRequired(p.getValue(), pp, errs, "must not be empty for specified object fields");
                node(p.getValue(), pp, errs, false);
            }
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isObject()) {
                typeRequired(additional, path.child("additionalProperties"), errs, "must not be empty for specified object fields");
                node(additional, path.child("additionalProperties"), errs, false);
            }
            JsonNode items = schema.get("items");
            if (items != null && items.isObject()) {
                typeRequired(items, path.child("items"), errs, "must not be empty for specified array items");
                node(items, path.child("items"), errs, false);
            } else if ("array".equals(Json.text(schema, "type")) && !root) {
                errs.add(FieldError.required(path.child("items"), "must be specified"));
            }
            if (intOrString && schema.has("type")) {
                errs.add(FieldError.invalid(path.child("type"), Json.text(schema, "type"),
                        "must be empty if x-kubernetes-int-or-string is true"));
            }
            if (preserve && schema.has("type") && !"object".equals(Json.text(schema, "type"))) {
                errs.add(FieldError.invalid(path.child("type"), Json.text(schema, "type"),
                        "must be object if x-kubernetes-preserve-unknown-fields is true"));
            }
        }

        private static void typeRequired(JsonNode schema, FieldPath path, List<FieldError> errs, String detail) {
            boolean untyped = schema.path("x-kubernetes-int-or-string").asBoolean(false)
                    || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (Json.text(schema, "type").isEmpty() && !untyped) errs.add(FieldError.required(path.child("type"), detail));
        }
    }
}
