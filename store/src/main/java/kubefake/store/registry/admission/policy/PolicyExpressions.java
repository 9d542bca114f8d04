package kubefake.store.registry.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import kubefake.store.registry.Json;
import kubefake.store.registry.cel.CelCompileException;
import kubefake.store.registry.cel.CelEnvironment;
import kubefake.store.registry.cel.CelExpression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CEL expressions of one ValidatingAdmissionPolicy, compiled once per revision: its matchConditions,
 * variables, validations and their messageExpressions, auditAnnotations' valueExpressions (named by their keys), in the environment the admission plugin gives them
 * ({@code object}, {@code oldObject}, {@code request}, {@code params}, {@code namespaceObject}, {@code variables};
 * objects are untyped, as for a policy whose types the type checker cannot resolve).
 */
final class PolicyExpressions {
    static final List<String> OBJECT_VARIABLES = List.of("object", "oldObject", "request", "params", "namespaceObject");

    record Named(String name, CelExpression expression) {
    }

    record Validation(JsonNode source, CelExpression expression, CelExpression messageExpression) {
    }

    final List<Named> matchConditions = new ArrayList<>();
    final List<Named> variables = new ArrayList<>();
    final List<Validation> validations = new ArrayList<>();
    final List<Named> auditAnnotations = new ArrayList<>();

    private static CelEnvironment environment() {
        Map<String, CelType> vars = new LinkedHashMap<>();
        for (String v : OBJECT_VARIABLES) vars.put(v, SimpleType.DYN);
        vars.put("variables", MapType.create(SimpleType.STRING, SimpleType.DYN));
        return CelEnvironment.of(vars, null);
    }

    /** Compiles a policy's expressions; the first that does not compile is reported with its field. */
    static PolicyExpressions of(JsonNode spec) throws CompileError {
        CelEnvironment env = environment();
        PolicyExpressions p = new PolicyExpressions();
        JsonNode conditions = spec.path("matchConditions");
        for (int i = 0; i < conditions.size(); i++) {
            p.matchConditions.add(new Named(Json.text(conditions.get(i), "name"),
                    compile(env, conditions.get(i), "spec.matchConditions[" + i + "].expression")));
        }
        JsonNode variables = spec.path("variables");
        for (int i = 0; i < variables.size(); i++) {
            p.variables.add(new Named(Json.text(variables.get(i), "name"),
                    compile(env, variables.get(i), "spec.variables[" + i + "].expression")));
        }
        JsonNode validations = spec.path("validations");
        for (int i = 0; i < validations.size(); i++) {
            JsonNode v = validations.get(i);
            CelExpression e = compile(env, v, "spec.validations[" + i + "].expression");
            CelExpression m = null;
            if (!Json.text(v, "messageExpression").isBlank()) {
                try {
                    m = env.compile(Json.text(v, "messageExpression"));
                } catch (CelCompileException ex) {
                    throw new CompileError("spec.validations[" + i + "].messageExpression", Json.text(v, "messageExpression"),
                            "compilation failed: " + ex.getMessage());
                }
            }
            p.validations.add(new Validation(v, e, m));
        }
        JsonNode annotations = spec.path("auditAnnotations");
        for (int i = 0; i < annotations.size(); i++) {
            JsonNode an = annotations.get(i);
            String source = Json.text(an, "valueExpression");
            String field = "spec.auditAnnotations[" + i + "].valueExpression";
            try {
                p.auditAnnotations.add(new Named(Json.text(an, "key"), env.compile(source)));
            } catch (CelCompileException ex) {
                throw new CompileError(field, source, "compilation failed: " + ex.getMessage());
            }
        }
        return p;
    }

    private static CelExpression compile(CelEnvironment env, JsonNode node, String field) throws CompileError {
        String source = Json.text(node, "expression");
        try {
            return env.compile(source);
        } catch (CelCompileException e) {
            throw new CompileError(field, source, "compilation failed: " + e.getMessage());
        }
    }

    /** An expression that does not compile: its field, its text, and the detail the real validation gives. */
    static final class CompileError extends Exception {
        final String field;
        final String expression;

        CompileError(String field, String expression, String detail) {
            super(detail, null, false, false);
            this.field = field;
            this.expression = expression;
        }
    }
}
