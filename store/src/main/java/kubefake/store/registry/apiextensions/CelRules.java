package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import kubefake.store.registry.Json;
import kubefake.store.registry.cel.CelCompileException;
import kubefake.store.registry.cel.CelEnvironment;
import kubefake.store.registry.cel.CelEvaluationError;
import kubefake.store.registry.cel.CelExpression;
import kubefake.store.registry.cel.CelValues;
import kubefake.store.registry.cel.CostEstimate;
import kubefake.store.registry.cel.SchemaCelTypes;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code x-kubernetes-validations} of one schema node and of those below it, compiled
 * (apiextensions-apiserver's {@code schema/cel} Validator): checked when a CRD is written (compile errors refused
 * with the real messages) and evaluated on every write of its custom resources, {@code self} bound to the node's
 * value and, in transition rules, {@code oldSelf} to the correlated old value.
 */
final class CelRules {
    static final String SELF = "self";
    static final String OLD_SELF = "oldSelf";
    private static final List<String> REASONS = List.of("FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired",
            "FieldValueDuplicate");

    private final JsonNode schema;
    private final List<Rule> rules;
    private final Map<String, CelRules> properties;
    private final CelRules items;
    private final CelRules additionalProperties;

    private CelRules(JsonNode schema, List<Rule> rules, Map<String, CelRules> properties, CelRules items,
                     CelRules additionalProperties) {
        this.schema = schema;
        this.rules = rules;
        this.properties = properties;
        this.items = items;
        this.additionalProperties = additionalProperties;
    }

    /** One compiled rule: its expression, its message expression, or the errors that kept them from compiling. */
    private record Rule(JsonNode source, CelExpression expression, CelExpression messageExpression, List<String> ruleErrors,
                        List<String> messageErrors) {
        boolean optionalOldSelf() {
            return source.path("optionalOldSelf").asBoolean(false);
        }

        boolean transition() {
            return expression != null && expression.references(OLD_SELF);
        }
    }

    /** The rules of a CRD version's schema, or null when it has none. */
    static CelRules of(JsonNode schema) {
        return node(schema, true);
    }

    private static CelRules node(JsonNode schema, boolean resourceRoot) {
        if (schema == null || !schema.isObject()) return null;
        List<Rule> rules = compileAll(schema, resourceRoot);
        Map<String, CelRules> properties = new LinkedHashMap<>();
        schema.path("properties").properties().forEach(e -> {
            CelRules child = node(e.getValue(), e.getValue().path("x-kubernetes-embedded-resource").asBoolean(false));
            if (child != null) properties.put(e.getKey(), child);
        });
        CelRules items = node(schema.get("items"), schema.path("items").path("x-kubernetes-embedded-resource").asBoolean(false));
        JsonNode ap = schema.get("additionalProperties");
        CelRules additional = ap != null && ap.isObject() ? node(ap, ap.path("x-kubernetes-embedded-resource").asBoolean(false)) : null;
        if (rules.isEmpty() && properties.isEmpty() && items == null && additional == null) return null;
        return new CelRules(schema, rules, properties, items, additional);
    }

    private static List<Rule> compileAll(JsonNode schema, boolean resourceRoot) {
        JsonNode declared = schema.path("x-kubernetes-validations");
        if (!declared.isArray() || declared.isEmpty()) return List.of();
        SchemaCelTypes types = new SchemaCelTypes();
        CelType self = types.typeOf(schema, "selfType", resourceRoot);
        CelEnvironment env = CelEnvironment.of(Map.of(SELF, self, OLD_SELF, self), types);
        CelEnvironment optionalEnv = null;
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : declared) {
            boolean optional = r.path("optionalOldSelf").asBoolean(false);
            if (optional && optionalEnv == null) {
                optionalEnv = CelEnvironment.of(Map.of(SELF, self, OLD_SELF, OptionalType.create(self)), types);
            }
            rules.add(compile(r, optional ? optionalEnv : env, env));
        }
        return rules;
    }

    private static Rule compile(JsonNode r, CelEnvironment env, CelEnvironment messageEnv) {
        List<String> ruleErrors = new ArrayList<>();
        List<String> messageErrors = new ArrayList<>();
        CelExpression expression = null;
        String rule = Json.text(r, "rule");
        if (!rule.isBlank()) {
            try {
                expression = env.compile(rule);
                if (!expression.returnsBool()) {
                    ruleErrors.add("cel expression must evaluate to a bool");
                    expression = null;
                }
            } catch (CelCompileException e) {
                ruleErrors.add("compilation failed: " + e.getMessage());
            }
        }
        CelExpression message = null;
        String messageExpression = Json.text(r, "messageExpression");
        if (!messageExpression.isBlank()) {
            try {
                message = messageEnv.compile(messageExpression);
                if (!message.returnsString()) {
                    messageErrors.add("messageExpression must evaluate to a string");
                    message = null;
                }
            } catch (CelCompileException e) {
                messageErrors.add("messageExpression compilation failed: " + e.getMessage());
            }
        }
        return new Rule(r, expression, message, ruleErrors, messageErrors);
    }

    // ------------------------------------------------------------------ when the CRD is written

    /** The errors of the rules in a version's schema, at their places under {@code path} (the schema's path). */
    static void check(JsonNode schema, FieldPath path, List<FieldError> errs) {
        CostTotal total = new CostTotal();
        check(schema, path, errs, true, 1, total);
        if (total.sum > CostEstimate.SCHEMA_LIMIT) {
            for (FieldPath expensive : total.mostExpensive()) {
                errs.add(FieldError.forbidden(expensive, "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"));
            }
            errs.add(FieldError.forbidden(path, CostEstimate.exceeds("x-kubernetes-validations estimated rule cost total for "
                    + "entire OpenAPIv3 schema", total.sum, CostEstimate.SCHEMA_LIMIT)));
        }
    }

    /** The estimated costs of a schema's rules: their sum, and the four most expensive (apiextensions' TotalCost). */
    private static final class CostTotal {
        private record Cost(FieldPath path, long cost) {
        }

        long sum;
        private final List<Cost> costs = new ArrayList<>();

        void observe(FieldPath path, long cost) {
            sum = CostEstimate.saturated((double) sum + cost);
            costs.add(new Cost(path, cost));
        }

        List<FieldPath> mostExpensive() {
            return costs.stream().sorted((a, b) -> Long.compare(b.cost(), a.cost())).limit(4).map(Cost::path).toList();
        }
    }

    /**
     * @param cardinality how many values this node can have in one object (the product of maxItems and maxProperties
     *                    above it), or -1 when some level above is unbounded
     */
    private static void check(JsonNode schema, FieldPath path, List<FieldError> errs, boolean resourceRoot, long cardinality,
                              CostTotal total) {
        if (schema == null || !schema.isObject()) return;
        JsonNode declared = schema.path("x-kubernetes-validations");
        if (declared.isArray() && !declared.isEmpty()) {
            List<Rule> rules = compileAll(schema, resourceRoot);
            // an unbounded node is counted as often as the smallest such value fits in a request
            long times = cardinality >= 0 ? cardinality : CostEstimate.maxElements(schema);
            Map<String, JsonNode> variables = Map.of(SELF, schema, OLD_SELF, schema);
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rules.get(i);
                FieldPath rp = path.child("x-kubernetes-validations").index(i);
                GoLiteral literal = new GoLiteral(literal(rule.source()));
                if (rule.expression() != null) {
                    long cost = CostEstimate.saturated((double) CostEstimate.of(rule.expression(), variables) * times);
                    if (cost > CostEstimate.RULE_LIMIT) {
                        errs.add(FieldError.forbidden(rp.child("rule"), CostEstimate.exceeds("estimated rule cost", cost, CostEstimate.RULE_LIMIT)));
                    }
                    total.observe(rp.child("rule"), cost);
                }
                if (rule.messageExpression() != null) {
                    long cost = CostEstimate.saturated((double) CostEstimate.of(rule.messageExpression(), variables) * times);
                    if (cost > CostEstimate.RULE_LIMIT) {
                        errs.add(FieldError.forbidden(rp.child("messageExpression"),
                                CostEstimate.exceeds("estimated messageExpression cost", cost, CostEstimate.RULE_LIMIT)));
                    }
                    total.observe(rp.child("messageExpression"), cost);
                }
                if (Json.text(rule.source(), "rule").isBlank()) errs.add(FieldError.required(rp.child("rule"), "rule is not specified"));
                for (String e : rule.ruleErrors()) errs.add(FieldError.invalid(rp.child("rule"), literal, e));
                for (String e : rule.messageErrors()) errs.add(FieldError.invalid(rp.child("messageExpression"), literal, e));
                String message = Json.text(rule.source(), "message");
                if (Json.text(rule.source(), "rule").contains("\n") && message.isBlank() && !rule.source().has("messageExpression")) {
                    errs.add(FieldError.required(rp.child("message"), "message must be specified if rule contains line breaks"));
                }
                if (message.contains("\n")) errs.add(FieldError.invalid(rp.child("message"), message, "message must not contain line breaks"));
                String reason = Json.text(rule.source(), "reason");
                if (!reason.isEmpty() && !REASONS.contains(reason)) errs.add(FieldError.notSupported(rp.child("reason"), reason, REASONS));
                String fieldPath = Json.text(rule.source(), "fieldPath");
                if (!fieldPath.isEmpty()) {
                    String problem = RuleFieldPath.problem(fieldPath, schema);
                    if (problem != null) errs.add(FieldError.invalid(rp.child("fieldPath"), fieldPath, problem));
                }
                if (rule.optionalOldSelf() && rule.expression() != null && !rule.transition()) {
                    errs.add(FieldError.invalid(rp.child("optionalOldSelf"), true, "may not be set if rule does not use oldSelf"));
                }
            }
        }
        schema.path("properties").properties().forEach(e -> check(e.getValue(), path.child("properties").key(e.getKey()), errs,
                e.getValue().path("x-kubernetes-embedded-resource").asBoolean(false), cardinality, total));
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            check(items, path.child("items"), errs, items.path("x-kubernetes-embedded-resource").asBoolean(false),
                    below(cardinality, schema, "maxItems"), total);
        }
        JsonNode ap = schema.get("additionalProperties");
        if (ap != null && ap.isObject()) {
            check(ap, path.child("additionalProperties"), errs, ap.path("x-kubernetes-embedded-resource").asBoolean(false),
                    below(cardinality, schema, "maxProperties"), total);
        }
    }

    /** The cardinality of a list's items or a map's values: the container's times its bound, unbounded without one. */
    private static long below(long cardinality, JsonNode container, String bound) {
        if (cardinality < 0 || !container.has(bound)) return -1;
        return CostEstimate.saturated((double) cardinality * container.get(bound).asLong());
    }

    /** Go's %#v of an apiextensions.ValidationRule, as the real error quotes the refused rule. */
    private static String literal(JsonNode r) {
        String reason = r.has("reason") ? "(*apiextensions.FieldValueErrorReason)(0xc000000000)" : "(*apiextensions.FieldValueErrorReason)(nil)";
        String optional = r.has("optionalOldSelf") ? "(*bool)(0xc000000000)" : "(*bool)(nil)";
        return "apiextensions.ValidationRule{Rule:" + GoFormat.quote(Json.text(r, "rule"))
                + ", Message:" + GoFormat.quote(Json.text(r, "message"))
                + ", MessageExpression:" + GoFormat.quote(Json.text(r, "messageExpression"))
                + ", Reason:" + reason + ", FieldPath:" + GoFormat.quote(Json.text(r, "fieldPath"))
                + ", OptionalOldSelf:" + optional + "}";
    }

    // ------------------------------------------------------------------ when a custom resource is written

    /** The rules' errors for a new object (old null on create). */
    List<FieldError> validate(JsonNode object, JsonNode old) {
        List<FieldError> errs = new ArrayList<>();
        validate(null, object, old, errs);
        return errs;
    }

    private void validate(FieldPath path, JsonNode value, JsonNode oldValue, List<FieldError> errs) {
        if (value == null || value.isNull() || value.isMissingNode()) return;
        JsonNode old = oldValue == null || oldValue.isNull() || oldValue.isMissingNode() ? null : oldValue;
        evaluate(path, value, old, errs);
        if (value.isObject()) {
            boolean correlatable = !"atomic".equals(Json.text(schema, "x-kubernetes-map-type"));
            for (var e : properties.entrySet()) {
                JsonNode v = value.get(e.getKey());
                if (v != null) e.getValue().validate(child(path, e.getKey()), v, old == null ? null : old.get(e.getKey()), errs);
            }
            if (additionalProperties != null) {
                value.properties().forEach(e -> additionalProperties.validate(key(path, e.getKey()), e.getValue(),
                        old == null || !correlatable ? null : old.get(e.getKey()), errs));
            }
        } else if (value.isArray() && items != null) {
            for (int i = 0; i < value.size(); i++) {
                items.validate(path == null ? FieldPath.of("[" + i + "]") : path.index(i), value.get(i),
                        correlatedItem(value.get(i), old), errs);
            }
        }
    }

    /** The old element a list element is compared with: only map lists correlate, by their keys. */
    private JsonNode correlatedItem(JsonNode item, JsonNode oldList) {
        if (oldList == null || !oldList.isArray() || !"map".equals(Json.text(schema, "x-kubernetes-list-type"))) return null;
        JsonNode keys = schema.path("x-kubernetes-list-map-keys");
        for (JsonNode candidate : oldList) {
            boolean same = true;
            for (JsonNode k : keys) same &= candidate.path(k.asText()).equals(item.path(k.asText()));
            if (same) return candidate;
        }
        return null;
    }

    private void evaluate(FieldPath path, JsonNode value, JsonNode old, List<FieldError> errs) {
        if (rules.isEmpty()) return;
        FieldPath at = path == null ? FieldPath.of("<nil>") : path;
        String type = Json.text(schema, "type");
        Object self = CelValues.of(value, schema);
        Object oldSelf = old == null ? null : CelValues.of(old, schema);
        for (Rule rule : rules) {
            if (!rule.ruleErrors().isEmpty()) {
                errs.add(FieldError.invalid(at, type, "rule compile error: " + String.join("\n", rule.ruleErrors())));
                continue;
            }
            if (rule.expression() == null) continue;
            boolean optional = rule.optionalOldSelf();
            if (rule.transition() && old == null && !optional) continue;
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put(SELF, self);
            if (rule.transition()) vars.put(OLD_SELF, optional ? Optional.ofNullable(oldSelf) : oldSelf);
            String ruleText = ruleErrorString(rule.source());
            Object result;
            try {
                result = rule.expression().evaluate(vars);
            } catch (CelEvaluationError e) {
                if (e.budgetExceeded()) {
                    errs.add(FieldError.invalid(at, type, "'" + e.getMessage()
                            + "': no further validation rules will be run due to call cost exceeds limit for rule: " + ruleText));
                    return;
                }
                if (e.getMessage().startsWith("no such overload")) {
                    errs.add(FieldError.invalid(at, type, "'" + e.getMessage()
                            + "': call arguments did not match a supported operator, function or macro signature for rule: " + ruleText));
                } else {
                    errs.add(FieldError.invalid(at, type, e.getMessage() + " evaluating rule: " + ruleText));
                }
                continue;
            }
            if (Boolean.TRUE.equals(result)) continue;
            // ratcheting: a rule that does not look at oldSelf does not fail a value the update left unchanged
            if (!rule.transition() && old != null && old.equals(value)) continue;
            FieldPath failed = at;
            String fieldPath = Json.text(rule.source(), "fieldPath");
            if (!fieldPath.isEmpty()) failed = RuleFieldPath.append(path, fieldPath);
            String detail = messageOf(rule, vars);
            errs.add(forReason(failed, type, detail, Json.text(rule.source(), "reason")));
        }
    }

    private static String messageOf(Rule rule, Map<String, Object> vars) {
        if (rule.messageExpression() != null) {
            try {
                Object m = rule.messageExpression().evaluate(vars);
                if (m instanceof String s && !s.isBlank() && !s.strip().contains("\n")) return s.strip();
            } catch (CelEvaluationError ignored) {
                // the real server logs it and falls back to the message
            }
        }
        String message = Json.text(rule.source(), "message");
        return message.isBlank() ? "failed rule: " + ruleErrorString(rule.source()) : message.strip();
    }

    private static String ruleErrorString(JsonNode r) {
        String message = Json.text(r, "message");
        return message.isBlank() ? Json.text(r, "rule").strip() : message.strip();
    }

    private static FieldError forReason(FieldPath path, String type, String detail, String reason) {
        return switch (reason) {
            case "FieldValueForbidden" -> FieldError.forbidden(path, detail);
            case "FieldValueRequired" -> FieldError.required(path, detail);
            case "FieldValueDuplicate" -> FieldError.duplicate(path, type);
            default -> FieldError.invalid(path, type, detail);
        };
    }

    private static FieldPath child(FieldPath path, String name) {
        return path == null ? FieldPath.of(name) : path.child(name);
    }

    private static FieldPath key(FieldPath path, String key) {
        return path == null ? FieldPath.of("[" + key + "]") : path.key(key);
    }
}
