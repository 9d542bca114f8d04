package kubefake.store.registry.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.NameRule;
import kubefake.store.registry.validation.ObjectMetaValidation;
import kubefake.store.registry.validation.Validators;

import java.util.ArrayList;
import java.util.List;

/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicies and their bindings: defaults as the real server sets
 * them ({@code failurePolicy: Fail}, {@code matchPolicy: Equivalent}, empty selectors, rule scope {@code *}) and
 * validation with its messages, expressions that do not compile included. Policies keep generation and have a
 * status subresource.
 */
public final class ValidatingAdmissionPolicyStrategy implements ResourceStrategy {
    private static final List<String> FAILURE_POLICIES = List.of("Fail", "Ignore");
    private static final List<String> ACTIONS = List.of("Audit", "Deny", "Warn");

    private final boolean binding;
    private final KindRules rules;

    private ValidatingAdmissionPolicyStrategy(boolean binding) {
        this.binding = binding;
        this.rules = new KindRules(this::defaults, (obj, old) -> Validators.toCauses(binding ? validateBinding(obj, old)
                : validatePolicy(obj, old)), FieldLabels.METADATA);
    }

    public static ValidatingAdmissionPolicyStrategy policies() {
        return new ValidatingAdmissionPolicyStrategy(false);
    }

    public static ValidatingAdmissionPolicyStrategy bindings() {
        return new ValidatingAdmissionPolicyStrategy(true);
    }

    @Override
    public KindRules rules() {
        return rules;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public boolean hasStatusSubresource() {
        return !binding;
    }

    private void defaults(ObjectNode object) {
        if (!(object.get("spec") instanceof ObjectNode spec)) return;
        if (!binding && !spec.has("failurePolicy")) spec.put("failurePolicy", "Fail");
        String resources = binding ? "matchResources" : "matchConstraints";
        if (spec.get(resources) instanceof ObjectNode match) {
            if (!match.has("matchPolicy")) match.put("matchPolicy", "Equivalent");
            if (!match.has("namespaceSelector")) match.putObject("namespaceSelector");
            if (!match.has("objectSelector")) match.putObject("objectSelector");
            for (String list : List.of("resourceRules", "excludeResourceRules")) {
                for (JsonNode rule : match.path(list)) {
                    if (rule instanceof ObjectNode r && !r.has("scope")) r.put("scope", "*");
                }
            }
        }
    }

    private static List<FieldError> validatePolicy(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = meta(obj, old);
        JsonNode spec = obj.path("spec");
        FieldPath sp = FieldPath.of("spec");
        if (spec.path("validations").isEmpty() && spec.path("auditAnnotations").isEmpty()) {
            errs.add(FieldError.required(sp.child("validations"), "validations or auditAnnotations must contain at least one item"));
        }
        JsonNode match = spec.path("matchConstraints");
        if (match.isMissingNode() || match.isNull()) {
            errs.add(FieldError.required(sp.child("matchConstraints"), ""));
        } else if (match.path("resourceRules").isEmpty()) {
            errs.add(FieldError.required(sp.child("matchConstraints", "resourceRules"), ""));
        }
        String failure = Json.text(spec, "failurePolicy");
        if (!failure.isEmpty() && !FAILURE_POLICIES.contains(failure)) {
            errs.add(FieldError.notSupported(sp.child("failurePolicy"), failure, FAILURE_POLICIES));
        }
        JsonNode validations = spec.path("validations");
        for (int i = 0; i < validations.size(); i++) {
            if (Json.text(validations.get(i), "expression").isBlank()) {
                errs.add(FieldError.required(sp.child("validations").index(i).child("expression"), "expression is not specified"));
            }
        }
        JsonNode paramKind = spec.path("paramKind");
        if (paramKind.isObject()) {
            if (Json.text(paramKind, "apiVersion").isEmpty()) errs.add(FieldError.required(sp.child("paramKind", "apiVersion"), ""));
            if (Json.text(paramKind, "kind").isEmpty()) errs.add(FieldError.required(sp.child("paramKind", "kind"), ""));
        }
        if (errs.isEmpty()) {
            try {
                PolicyExpressions.of(spec);
            } catch (PolicyExpressions.CompileError e) {
                errs.add(FieldError.invalid(fieldPath(e.field), e.expression, e.getMessage()));
            }
        }
        return errs;
    }

    private static FieldPath fieldPath(String dotted) {
        String[] parts = dotted.split("\\.");
        FieldPath p = FieldPath.of(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                p = p.child(part);
            } else {
                p = p.child(part.substring(0, bracket)).index(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
            }
        }
        return p;
    }

    private static List<FieldError> validateBinding(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = meta(obj, old);
        JsonNode spec = obj.path("spec");
        FieldPath sp = FieldPath.of("spec");
        if (Json.text(spec, "policyName").isEmpty()) errs.add(FieldError.required(sp.child("policyName"), ""));
        JsonNode actions = spec.path("validationActions");
        if (actions.isEmpty()) {
            errs.add(FieldError.required(sp.child("validationActions"), "at least one validation action is required"));
        }
        for (int i = 0; i < actions.size(); i++) {
            if (!ACTIONS.contains(actions.get(i).asText())) {
                errs.add(FieldError.notSupported(sp.child("validationActions").index(i), actions.get(i).asText(), ACTIONS));
            }
        }
        return errs;
    }

    private static List<FieldError> meta(ObjectNode obj, ObjectNode old) {
        return new ArrayList<>(old == null ? ObjectMetaValidation.validate(obj.path("metadata"), false, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(obj.path("metadata"), old.path("metadata")));
    }
}
