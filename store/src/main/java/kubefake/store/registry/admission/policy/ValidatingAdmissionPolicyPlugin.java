package kubefake.store.registry.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ListOptions;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.StoredObject;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.admission.MatchSelectors;
import kubefake.store.registry.admission.ValidatingPlugin;
import kubefake.store.registry.admission.webhook.WebhookRules;
import kubefake.store.registry.cel.CelEvaluationError;
import kubefake.store.registry.cel.CelExpression;
import kubefake.store.registry.cel.CelValues;
import kubefake.store.registry.errors.Cause;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusDetails;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.selection.LabelSelector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The ValidatingAdmissionPolicy admission plugin: for every ValidatingAdmissionPolicyBinding whose policy's
 * matchConstraints (and the binding's matchResources) match a write, with each param the binding's paramRef
 * selects, the policy's matchConditions decide whether it applies, then its validations are evaluated. A failed
 * validation of a binding with the {@code Deny} action refuses the write as the real plugin does (reason Invalid,
 * 422, unless the validation names another: {@code ValidatingAdmissionPolicy 'p' with binding 'b' denied request:
 * failed expression: object.spec.replicas <= 5}); {@code Audit} records nothing here and {@code Warn} is not
 * passed to the client (kubefake's admission has no warnings channel). An expression that fails to evaluate
 * refuses the write under {@code failurePolicy: Fail} and is ignored under {@code Ignore}.
 */
public final class ValidatingAdmissionPolicyPlugin implements ValidatingPlugin {
    private static final String GROUP = "admissionregistration.k8s.io";

    private final Supplier<List<ObjectNode>> policies;
    private final Supplier<List<ObjectNode>> bindings;
    private final Registry registry;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(String resourceVersion, PolicyExpressions expressions, String error) {
    }

    /**
     * @param policies the stored ValidatingAdmissionPolicies, read at each write
     * @param bindings the stored ValidatingAdmissionPolicyBindings, read at each write
     * @param registry where params and namespaces are read
     */
    public ValidatingAdmissionPolicyPlugin(Supplier<List<ObjectNode>> policies, Supplier<List<ObjectNode>> bindings,
                                           Registry registry) {
        this.policies = policies;
        this.bindings = bindings;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "ValidatingAdmissionPolicy";
    }

    @Override
    public void validate(AdmissionAttributes a) {
        List<ObjectNode> allBindings = bindings.get();
        if (allBindings.isEmpty()) return;
        Map<String, ObjectNode> byName = new HashMap<>();
        for (ObjectNode p : policies.get()) byName.put(Json.text(p.path("metadata"), "name"), p);
        for (ObjectNode binding : allBindings) {
            ObjectNode policy = byName.get(Json.text(binding.path("spec"), "policyName"));
            if (policy == null) continue;
            if (!matches(policy.path("spec").path("matchConstraints"), a, true)) continue;
            // a binding's matchResources narrows what its policy matches; without resourceRules it keeps every resource
            JsonNode matchResources = binding.path("spec").path("matchResources");
            if (matchResources.isObject() && !matches(matchResources, a, !matchResources.path("resourceRules").isEmpty())) continue;
            evaluate(policy, binding, a);
        }
    }

    private void evaluate(ObjectNode policy, ObjectNode binding, AdmissionAttributes a) {
        JsonNode spec = policy.path("spec");
        String policyName = Json.text(policy.path("metadata"), "name");
        String bindingName = Json.text(binding.path("metadata"), "name");
        boolean ignoreFailures = "Ignore".equals(Json.text(spec, "failurePolicy"));
        Compiled c = compile(policy);
        if (c.error() != null) {
            if (!ignoreFailures) deny(a, binding, policyName, bindingName, c.error(), "");
            return;
        }
        List<JsonNode> params = new ArrayList<>();
        if (spec.path("paramKind").isObject()) {
            JsonNode ref = binding.path("spec").path("paramRef");
            params.addAll(params(spec.path("paramKind"), ref, a));
            if (params.isEmpty()) {
                if ("Deny".equals(Json.text(ref, "parameterNotFoundAction")) || !ref.isObject()) {
                    deny(a, binding, policyName, bindingName,
                            "no params found for policy binding with `Deny` parameterNotFoundAction", "");
                }
                return;
            }
        } else {
            params.add(null);
        }
        for (JsonNode param : params) {
            Map<String, Object> vars = variables(a, param);
            Failure failure;
            try {
                failure = firstFailure(c.expressions(), vars);
            } catch (EvaluationFailed e) {
                if (!ignoreFailures) deny(a, binding, policyName, bindingName, e.getMessage(), "");
                continue;
            }
            if (failure != null) deny(a, binding, policyName, bindingName, failure.message(), failure.reason());
        }
    }

    /** A validation that failed: its message and its reason (empty: Invalid). */
    private record Failure(String message, String reason) {
    }

    /** An expression that failed to evaluate, in the real plugin's words. */
    private static final class EvaluationFailed extends Exception {
        EvaluationFailed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The message of the first validation that fails, or null when the policy's matchConditions exclude the write
     * or every validation passes. An evaluation error is thrown with the real plugin's words.
     */
    private static Failure firstFailure(PolicyExpressions p, Map<String, Object> vars) throws EvaluationFailed {
        for (PolicyExpressions.Named condition : p.matchConditions) {
            Object r = evaluate(condition.expression(), vars);
            if (!Boolean.TRUE.equals(r)) return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) vars.get("variables");
        for (PolicyExpressions.Named v : p.variables) {
            variables.put(v.name(), evaluate(v.expression(), vars));
        }
        for (PolicyExpressions.Validation v : p.validations) {
            Object r = evaluate(v.expression(), vars);
            if (Boolean.TRUE.equals(r)) continue;
            String reason = Json.text(v.source(), "reason");
            if (v.messageExpression() != null) {
                try {
                    Object m = v.messageExpression().evaluate(vars);
                    if (m instanceof String s && !s.isBlank()) return new Failure(s.strip(), reason);
                } catch (CelEvaluationError ignored) {
                    // the real plugin falls back to the message
                }
            }
            String message = Json.text(v.source(), "message");
            return new Failure(message.isBlank() ? "failed expression: " + v.expression().source().strip() : message.strip(), reason);
        }
        return null;
    }

    private static Object evaluate(CelExpression e, Map<String, Object> vars) throws EvaluationFailed {
        try {
            return e.evaluate(vars);
        } catch (CelEvaluationError err) {
            throw new EvaluationFailed("expression '" + e.source() + "' resulted in error: " + err.getMessage());
        }
    }

    private Compiled compile(ObjectNode policy) {
        String name = Json.text(policy.path("metadata"), "name");
        String rv = Json.text(policy.path("metadata"), "resourceVersion");
        Compiled c = compiled.get(name);
        if (c != null && c.resourceVersion().equals(rv)) return c;
        try {
            c = new Compiled(rv, PolicyExpressions.of(policy.path("spec")), null);
        } catch (PolicyExpressions.CompileError e) {
            c = new Compiled(rv, null, "compilation error: " + e.getMessage());
        }
        compiled.put(name, c);
        return c;
    }

    /** The variables an expression sees: object, oldObject, request, params, namespaceObject and variables. */
    private Map<String, Object> variables(AdmissionAttributes a, JsonNode param) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("object", CelValues.of(a.object()));
        vars.put("oldObject", CelValues.of(a.oldObject()));
        vars.put("params", CelValues.of(param));
        ObjectNode namespace = a.type().namespaced() && a.namespace() != null && !a.namespace().isEmpty()
                ? registry.lookups().namespace(a.namespace()) : null;
        vars.put("namespaceObject", CelValues.of(namespace));
        vars.put("request", CelValues.of(request(a)));
        vars.put("variables", new LinkedHashMap<String, Object>());
        return vars;
    }

    private static ObjectNode request(AdmissionAttributes a) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        ObjectNode kind = r.putObject("kind").put("group", a.type().group()).put("version", a.type().version())
                .put("kind", a.type().kind());
        ObjectNode resource = r.putObject("resource").put("group", a.type().group()).put("version", a.type().version())
                .put("resource", a.type().resource());
        r.set("requestKind", kind.deepCopy());
        r.set("requestResource", resource.deepCopy());
        if (!a.subresource().isEmpty()) r.put("subResource", a.subresource());
        r.put("name", a.name() == null ? "" : a.name());
        if (a.namespace() != null && !a.namespace().isEmpty()) r.put("namespace", a.namespace());
        r.put("operation", a.operation().name());
        ObjectNode user = r.putObject("userInfo").put("username", a.context().user().name());
        if (!a.context().user().uid().isEmpty()) user.put("uid", a.context().user().uid());
        var groups = user.putArray("groups");
        a.context().user().groups().forEach(groups::add);
        r.put("dryRun", a.context().dryRun());
        return r;
    }

    /** The params a binding's paramRef selects: one by name, or every match of its selector. */
    private List<JsonNode> params(JsonNode paramKind, JsonNode ref, AdmissionAttributes a) {
        if (!ref.isObject()) return List.of();
        String apiVersion = Json.text(paramKind, "apiVersion");
        String kind = Json.text(paramKind, "kind");
        ResourceStore store = null;
        for (ResourceStore rs : registry.resources()) {
            if (rs.type().groupVersion().equals(apiVersion) && rs.type().kind().equals(kind)) store = rs;
        }
        if (store == null) return List.of();
        String namespace = "";
        if (store.type().namespaced()) {
            namespace = ref.has("namespace") ? Json.text(ref, "namespace") : a.namespace() == null ? "" : a.namespace();
        }
        List<JsonNode> found = new ArrayList<>();
        String name = Json.text(ref, "name");
        if (!name.isEmpty()) {
            StoredObject o = store.find(namespace, name);
            if (o != null) found.add(o.tree());
            return found;
        }
        LabelSelector selector = LabelSelector.fromJson(ref.has("selector") ? ref.get("selector") : Json.MAPPER.createObjectNode());
        for (StoredObject o : store.list(namespace.isEmpty() ? null : namespace, ListOptions.ALL).items()) {
            if (selector.matches(o.tree().path("metadata").path("labels"))) found.add(o.tree());
        }
        return found;
    }

    /** matchConstraints or matchResources: rules, exclusions, resource names and the two selectors. */
    private boolean matches(JsonNode match, AdmissionAttributes a, boolean byRules) {
        if (a.type().group().equals(GROUP) && a.type().resource().startsWith("validatingadmissionpolic")) return false;
        if (byRules && (!WebhookRules.anyMatches(match.path("resourceRules"), a) || !namesListed(match.path("resourceRules"), a))) {
            return false;
        }
        if (WebhookRules.anyMatches(match.path("excludeResourceRules"), a)) return false;
        return MatchSelectors.matches(match, a, registry.lookups());
    }

    /** A rule's resourceNames, when it lists any, must name the object. */
    private static boolean namesListed(JsonNode rules, AdmissionAttributes a) {
        for (JsonNode rule : rules) {
            JsonNode names = rule.path("resourceNames");
            if (names.isEmpty()) return true;
            for (JsonNode n : names) if (n.asText().equals(a.name())) return true;
        }
        return false;
    }

    /**
     * Refuses the write as the real plugin does: admission.NewForbidden's message, its reason changed to the
     * validation's (Invalid when it names none) with the matching code, and the message as a cause.
     */
    private static void deny(AdmissionAttributes a, ObjectNode binding, String policy, String bindingName, String message,
                             String reason) {
        List<String> actions = new ArrayList<>();
        binding.path("spec").path("validationActions").forEach(n -> actions.add(n.asText()));
        if (!actions.contains("Deny")) return;
        String text = "ValidatingAdmissionPolicy '" + policy + "' with binding '" + bindingName + "' denied request: " + message;
        String status = reason == null || reason.isEmpty() ? "Invalid" : reason;
        int code = switch (status) {
            case "Unauthorized" -> 401;
            case "Forbidden" -> 403;
            case "RequestEntityTooLarge" -> 413;
            default -> 422;
        };
        String group = a.type().group();
        String resource = a.type().resource();
        String name = a.name() == null ? "" : a.name();
        String prefix = StatusException.qualified(group, resource) + (name.isEmpty() ? "" : " " + GoFormat.quote(name));
        throw new StatusException(code, status, prefix + " is forbidden: " + text,
                new StatusDetails(name, group, resource, "", List.of(new Cause("", text, "")), 0));
    }
}
