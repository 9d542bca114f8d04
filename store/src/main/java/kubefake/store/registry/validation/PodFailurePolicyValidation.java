package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Job's {@code spec.podFailurePolicy} (batch validation's {@code validatePodFailurePolicy}): at most 20 rules, each
 * with an action and exactly one of {@code onExitCodes} (operator In/NotIn, an existing container name, 1..255
 * distinct ordered values, no 0 with In) and {@code onPodConditions} (at most 20 patterns of a qualified condition type
 * and a status). {@code FailIndex} needs {@code backoffLimitPerIndex}.
 */
final class PodFailurePolicyValidation {
    private static final int MAX_RULES = 20;
    private static final int MAX_EXIT_CODES = 255;
    private static final int MAX_CONDITION_PATTERNS = 20;
    private static final List<String> ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
    private static final List<String> OPERATORS = List.of("In", "NotIn");
    private static final List<String> STATUSES = List.of("False", "True", "Unknown");

    private PodFailurePolicyValidation() {
    }

    static List<FieldError> validate(JsonNode jobSpec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode rules = jobSpec.path("podFailurePolicy").path("rules");
        FieldPath rulesPath = path.child("rules");
        if (rules.size() > MAX_RULES) errs.add(FieldError.tooMany(rulesPath, rules.size(), MAX_RULES));
        Set<String> containers = new HashSet<>();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : jobSpec.path("template").path("spec").path(list)) containers.add(Json.text(c, "name"));
        }
        for (int i = 0; i < rules.size(); i++) errs.addAll(rule(jobSpec, rules.get(i), rulesPath.index(i), containers));
        return errs;
    }

    private static List<FieldError> rule(JsonNode jobSpec, JsonNode rule, FieldPath path, Set<String> containers) {
        List<FieldError> errs = new ArrayList<>();
        String action = Json.text(rule, "action");
        FieldPath actionPath = path.child("action");
        if (action.isEmpty()) {
            errs.add(FieldError.required(actionPath, "valid values: " + goQuotedList(ACTIONS)));
        } else if (action.equals("FailIndex")) {
            if (!Json.present(jobSpec.get("backoffLimitPerIndex"))) {
                errs.add(FieldError.invalid(actionPath, action, "requires the backoffLimitPerIndex to be set"));
            }
        } else if (!ACTIONS.contains(action)) {
            errs.add(FieldError.notSupported(actionPath, action, ACTIONS));
        }
        boolean exitCodes = Json.present(rule.get("onExitCodes"));
        boolean conditions = rule.path("onPodConditions").size() > 0;
        if (exitCodes) errs.addAll(onExitCodes(rule.get("onExitCodes"), path.child("onExitCodes"), containers));
        if (conditions) errs.addAll(onPodConditions(rule.get("onPodConditions"), path.child("onPodConditions")));
        if (exitCodes && conditions) {
            errs.add(FieldError.invalidOmitValue(path, "specifying both OnExitCodes and OnPodConditions is not supported"));
        }
        if (!exitCodes && !conditions) {
            errs.add(FieldError.invalidOmitValue(path, "specifying one of OnExitCodes and OnPodConditions is required"));
        }
        return errs;
    }

    private static List<FieldError> onPodConditions(JsonNode patterns, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (patterns.size() > MAX_CONDITION_PATTERNS) errs.add(FieldError.tooMany(path, patterns.size(), MAX_CONDITION_PATTERNS));
        for (int j = 0; j < patterns.size(); j++) {
            JsonNode pattern = patterns.get(j);
            FieldPath patternPath = path.index(j);
            String type = Json.text(pattern, "type");
            for (String msg : Formats.isQualifiedName(type)) errs.add(FieldError.invalid(patternPath.child("type"), type, msg));
            String status = Json.text(pattern, "status");
            if (status.isEmpty()) {
                errs.add(FieldError.required(patternPath.child("status"), "valid values: " + goQuotedList(STATUSES)));
            } else if (!STATUSES.contains(status)) {
                errs.add(FieldError.notSupported(patternPath.child("status"), status, STATUSES));
            }
        }
        return errs;
    }

    private static List<FieldError> onExitCodes(JsonNode req, FieldPath path, Set<String> containers) {
        List<FieldError> errs = new ArrayList<>();
        String operator = Json.text(req, "operator");
        if (operator.isEmpty()) {
            errs.add(FieldError.required(path.child("operator"), "valid values: " + goQuotedList(OPERATORS)));
        } else if (!OPERATORS.contains(operator)) {
            errs.add(FieldError.notSupported(path.child("operator"), operator, OPERATORS));
        }
        if (Json.present(req.get("containerName")) && !containers.contains(Json.text(req, "containerName"))) {
            errs.add(FieldError.invalid(path.child("containerName"), Json.text(req, "containerName"),
                    "must be one of the container or initContainer names in the pod template"));
        }
        FieldPath valuesPath = path.child("values");
        JsonNode values = req.get("values");
        List<Integer> codes = new ArrayList<>();
        if (values != null) for (JsonNode v : values) codes.add(v.asInt());
        if (codes.isEmpty()) {
            errs.add(FieldError.invalid(valuesPath, int32Slice(values, codes), "at least one value is required"));
        } else if (codes.size() > MAX_EXIT_CODES) {
            errs.add(FieldError.tooMany(valuesPath, codes.size(), MAX_EXIT_CODES));
        }
        boolean ordered = true;
        Set<Integer> seen = new HashSet<>();
        for (int j = 0; j < codes.size(); j++) {
            int code = codes.get(j);
            if (operator.equals("In") && code == 0) {
                errs.add(FieldError.invalid(valuesPath.index(j), code, "must not be 0 for the In operator"));
            }
            if (!seen.add(code)) errs.add(FieldError.duplicate(valuesPath.index(j), code));
            if (j > 0 && codes.get(j - 1) > code) ordered = false;
        }
        if (!ordered) errs.add(FieldError.invalid(valuesPath, int32Slice(values, codes), "must be ordered"));
        return errs;
    }

    /** Go's {@code %#v} of a {@code []int32}: {@code []int32{2, 1}}, {@code []int32{}}, {@code []int32(nil)}. */
    private static GoLiteral int32Slice(JsonNode values, List<Integer> codes) {
        if (values == null || values.isNull()) return new GoLiteral("[]int32(nil)");
        return new GoLiteral(codes.stream().map(String::valueOf).collect(Collectors.joining(", ", "[]int32{", "}")));
    }

    /** Go's {@code %q} of a string slice: {@code ["In" "NotIn"]}. */
    private static String goQuotedList(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(" ", "[", "]"));
    }
}
