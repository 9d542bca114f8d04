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
 * selects, the policy's matchConditions decide whether it applies, then its validations and auditAnnotations are
 * evaluated. Each validation that fails is acted on as the binding's validationActions say: {@code Deny} refuses
 * the write as the real plugin does (reason Invalid, 422, unless the validation names another:
 * {@code ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: object.spec.replicas <= 5}),
 * {@code Warn} answers with a warning ({@code Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b':
 * ...}), {@code Audit} adds the {@code validation.policy.admission.k8s.io/validation_failure} audit annotation. An
 * expression that fails to evaluate is such a failure under {@code failurePolicy: Fail} and is ignored under
 * {@code Ignore}. Every binding is heard before the first denial refuses the write, so warnings are never lost.
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
        List<Denial> denials = new ArrayList<>();
        Map<String, AuditValues> audit = new LinkedHashMap<>();
        for (ObjectNode binding : allBindings) {
            ObjectNode policy = byName.get(Json.text(binding.path("spec"), "policyName"));
            if (policy == null) continue;
            if (!matches(policy.path("spec").path("matchConstraints"), a, true)) continue;
            // a binding's matchResources narrows what its policy matches; without resourceRules it keeps every resource
            JsonNode matchResources = binding.path("spec").path("matchResources");
            if (matchResources.isObject() && !matches(matchResources, a, !matchResources.path("resourceRules").isEmpty())) continue;
            evaluate(policy, binding, a, denials, audit.computeIfAbsent(Json.text(policy.path("metadata"), "name"),
                    k -> new AuditValues()));
        }
        audit.forEach((policy, values) -> values.publish(policy, a));
        // every binding has been heard (its warnings and audit annotations given); the first denial refuses the write
        if (!denials.isEmpty()) throw denials.get(0).toStatus(a);
    }

    /** A refusal by one binding: its policy, the binding, the message and the validation's reason (empty: Invalid). */
    private record Denial(String policy, String binding, String message, String reason) {
        /**
         * The real plugin's refusal: admission.NewForbidden's message, its reason changed to the validation's
         * (Invalid when it names none) with the matching code, and the message as a cause.
         */
        StatusException toStatus(AdmissionAttributes a) {
            String text = "ValidatingAdmissionPolicy '" + policy + "' with binding '" + binding + "' denied request: " + message;
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
            return new StatusException(code, status, prefix + " is forbidden: " + text,
                    new StatusDetails(name, group, resource, "", List.of(new Cause("", text, "")), 0));
        }
    }

    /**
     * One policy's audit annotations over its bindings and params: a key's distinct values, published as
     * {@code <policy>/<key>} (several joined with ", ").
     */
    private static final class AuditValues {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        void add(String key, String value) {
            List<String> v = values.computeIfAbsent(key, k -> new ArrayList<>());
            if (!v.contains(value)) v.add(value);
        }

        void publish(String policy, AdmissionAttributes a) {
            values.forEach((key, v) -> a.context().audit().add(policy + "/" + key, String.join(", ", v)));
        }
    }

    /**
     * Evaluates one binding of a policy: a failed validation (or, under failurePolicy Fail, an expression that
     * failed to evaluate) is acted on as the binding's validationActions say: Deny adds a denial, Warn a warning to
     * the request, Audit the {@code validation_failure} audit annotation. A binding that cannot be configured (its
     * params are missing) is a denial under Fail whatever its actions.
     */
    private void evaluate(ObjectNode policy, ObjectNode binding, AdmissionAttributes a, List<Denial> denials, AuditValues audit) {
        JsonNode spec = policy.path("spec");
        String policyName = Json.text(policy.path("metadata"), "name");
        String bindingName = Json.text(binding.path("metadata"), "name");
        boolean ignoreFailures = "Ignore".equals(Json.text(spec, "failurePolicy"));
        List<JsonNode> params = new ArrayList<>();
        JsonNode ref = binding.path("spec").path("paramRef");
        if (spec.path("paramKind").isObject() && ref.isObject()) {
            String problem = paramProblem(spec.path("paramKind"), ref, a, params);
            if (problem != null) {
                if (!ignoreFailures) denials.add(new Denial(policyName, bindingName, "failed to configure binding: " + problem, ""));
                return;
            }
        } else {
            params.add(null); // no paramKind, or a binding without paramRef: validated with null params
        }
        Compiled c = compile(policy);
        for (JsonNode param : params) {
            List<Decision> decisions = c.error() != null
                    ? List.of(new Decision(0, c.error(), "", true))
                    : decisions(c.expressions(), variables(a, param), audit);
            for (Decision d : decisions) {
                if (d.error() && ignoreFailures) continue;
                act(binding, policyName, bindingName, d, a, denials);
            }
        }
    }

    /** A validation that did not pass: its index, its message, its reason (empty: Invalid), whether it failed to evaluate. */
    private record Decision(int index, String message, String reason, boolean error) {
    }

    private static void act(ObjectNode binding, String policy, String bindingName, Decision d, AdmissionAttributes a,
                            List<Denial> denials) {
        List<String> actions = new ArrayList<>();
        binding.path("spec").path("validationActions").forEach(n -> actions.add(n.asText()));
        for (String action : actions) {
            switch (action) {
                case "Deny" -> denials.add(new Denial(policy, bindingName, d.message(), d.reason()));
                case "Warn" -> a.context().warnings().add("Validation failed for ValidatingAdmissionPolicy '" + policy
                        + "' with binding '" + bindingName + "': " + d.message());
                case "Audit" -> a.context().audit().add("validation.policy.admission.k8s.io/validation_failure",
                        validationFailure(binding, policy, bindingName, d));
                default -> {
                }
            }
        }
    }

    /** The JSON value of the {@code validation_failure} audit annotation (a list, as the real plugin writes it). */
    private static String validationFailure(ObjectNode binding, String policy, String bindingName, Decision d) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("message", d.message()).put("policy", policy).put("binding", bindingName).put("expressionIndex", d.index());
        v.set("validationActions", binding.path("spec").path("validationActions").deepCopy());
        return Json.MAPPER.createArrayNode().add(v).toString();
    }

    /** An expression that failed to evaluate, in the real plugin's words. */
    private static final class EvaluationFailed extends Exception {
        EvaluationFailed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The validations that do not pass (none when the policy's matchConditions exclude the write), then the
     * auditAnnotations' values. An expression that fails to evaluate is a decision marked as an error.
     */
    private static List<Decision> decisions(PolicyExpressions p, Map<String, Object> vars, AuditValues audit) {
        try {
            for (PolicyExpressions.Named condition : p.matchConditions) {
                Object r = evaluate(condition.expression(), vars);
                if (!Boolean.TRUE.equals(r)) return List.of();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = (Map<String, Object>) vars.get("variables");
            for (PolicyExpressions.Named v : p.variables) {
                variables.put(v.name(), evaluate(v.expression(), vars));
            }
        } catch (EvaluationFailed e) {
            return List.of(new Decision(0, e.getMessage(), "", true));
        }
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < p.validations.size(); i++) {
            PolicyExpressions.Validation v = p.validations.get(i);
            Object r;
            try {
                r = evaluate(v.expression(), vars);
            } catch (EvaluationFailed e) {
                decisions.add(new Decision(i, e.getMessage(), "", true));
                continue;
            }
            if (Boolean.TRUE.equals(r)) continue;
            decisions.add(new Decision(i, message(v, vars), Json.text(v.source(), "reason"), false));
        }
        for (PolicyExpressions.Named annotation : p.auditAnnotations) {
            Object value;
            try {
                value = evaluate(annotation.expression(), vars);
            } catch (EvaluationFailed e) {
                decisions.add(new Decision(0, e.getMessage(), "", true));
                continue;
            }
            if (value instanceof String s) {
                if (!s.isBlank()) audit.add(annotation.name(), truncated(s.strip()));
            } else if (!(value instanceof dev.cel.common.values.NullValue)) {
                decisions.add(new Decision(0, "valueExpression '" + annotation.expression().source()
                        + "' resulted in unsupported return type: " + celType(value) + ". Return type must be either string or null.",
                        "", true));
            }
        }
        return decisions;
    }

    /** The real plugin keeps 10 KiB of an audit annotation's value. */
    private static String truncated(String value) {
        return value.length() > 10 * 1024 ? value.substring(0, 10 * 1024) : value;
    }

    private static String celType(Object value) {
        if (value instanceof Boolean) return "bool";
        if (value instanceof Long) return "int";
        if (value instanceof Double) return "double";
        if (value instanceof List) return "list";
        if (value instanceof Map) return "map";
        return value.getClass().getSimpleName();
    }

    /** A failed validation's message: its messageExpression's, else its message, else the expression's. */
    private static String message(PolicyExpressions.Validation v, Map<String, Object> vars) {
        if (v.messageExpression() != null) {
            try {
                Object m = v.messageExpression().evaluate(vars);
                if (m instanceof String s && !s.isBlank() && !s.strip().contains("\n") && s.strip().length() <= 5 * 1024) {
                    return s.strip();
                }
            } catch (CelEvaluationError ignored) {
                // the real plugin logs it and falls back to the message
            }
        }
        String message = Json.text(v.source(), "message");
        return message.isBlank() ? "failed expression: " + v.expression().source().strip() : message.strip();
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

    /**
     * Collects the params a binding's paramRef selects (one by name, or every match of its selector) into {@code found};
     * returns why the binding cannot be configured (generic.CollectParams' errors), or null. No params with
     * parameterNotFoundAction Allow is no problem: the binding then validates nothing.
     */
    private String paramProblem(JsonNode paramKind, JsonNode ref, AdmissionAttributes a, List<JsonNode> found) {
        String apiVersion = Json.text(paramKind, "apiVersion");
        String kind = Json.text(paramKind, "kind");
        ResourceStore store = null;
        for (ResourceStore rs : registry.resources()) {
            if (rs.type().groupVersion().equals(apiVersion) && rs.type().kind().equals(kind)) store = rs;
        }
        if (store == null) return "paramKind kind `&ParamKind{APIVersion:" + apiVersion + ",Kind:" + kind + ",}` not known";
        String namespace = "";
        if (store.type().namespaced()) {
            namespace = !Json.text(ref, "namespace").isEmpty() ? Json.text(ref, "namespace") : a.namespace() == null ? "" : a.namespace();
            if (namespace.isEmpty()) return "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources";
        } else if (!Json.text(ref, "namespace").isEmpty()) {
            return "paramRef.namespace must not be provided for a cluster-scoped `paramKind`";
        }
        String name = Json.text(ref, "name");
        if (!name.isEmpty()) {
            StoredObject o = store.find(namespace, name);
            if (o != null) found.add(o.tree());
        } else {
            LabelSelector selector = LabelSelector.fromJson(ref.has("selector") ? ref.get("selector") : Json.MAPPER.createObjectNode());
            for (StoredObject o : store.list(namespace.isEmpty() ? null : namespace, ListOptions.ALL).items()) {
                if (selector.matches(o.tree().path("metadata").path("labels"))) found.add(o.tree());
            }
        }
        if (found.isEmpty() && "Deny".equals(Json.text(ref, "parameterNotFoundAction"))) {
            return "no params found for policy binding with `Deny` parameterNotFoundAction";
        }
        return null;
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
}
