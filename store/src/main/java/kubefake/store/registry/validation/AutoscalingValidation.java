package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * HorizontalPodAutoscaler validation ({@code pkg/apis/autoscaling/validation}), on the autoscaling/v2 form (the
 * internal type's field names, so v1 objects are converted first and their errors name v2's paths, as on a real
 * server): replica bounds, the scale target, each metric's source and target, the behavior's rules and policies.
 */
final class AutoscalingValidation {
    private static final FieldPath SPEC = FieldPath.of("spec");
    private static final List<String> METRIC_SOURCE_TYPES = List.of("ContainerResource", "External", "Object", "Pods", "Resource");
    private static final List<String> SELECT_POLICIES = List.of("Disabled", "Max", "Min");
    private static final List<String> POLICY_TYPES = List.of("Percent", "Pods");
    static final int MAX_PERIOD_SECONDS = 1800;
    static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;

    private AutoscalingValidation() {
    }

    static List<FieldError> horizontalPodAutoscaler(ObjectNode hpa, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(old == null
                ? ObjectMetaValidation.validate(hpa.path("metadata"), true, NameRule.DNS_SUBDOMAIN)
                : ObjectMetaValidation.validateUpdate(hpa.path("metadata"), old.path("metadata")));
        // scale to zero (the HPAScaleToZero gate, off) stays allowed for an object that already has it
        boolean zeroAllowed = old != null && old.path("spec").path("minReplicas").isIntegralNumber()
                && old.path("spec").path("minReplicas").asLong() == 0;
        errs.addAll(spec(hpa.path("spec"), zeroAllowed ? 0 : 1));
        JsonNode status = hpa.path("status");
        for (String field : List.of("currentReplicas", "desiredReplicas")) {
            JsonNode v = status.get(field);
            if (Json.present(v) && v.asLong() < 0) {
                errs.add(FieldError.invalid(FieldPath.of("status", field), v.asLong(), ObjectMetaValidation.IS_NEGATIVE));
            }
        }
        return errs;
    }

    private static List<FieldError> spec(JsonNode spec, int minReplicasLowerBound) {
        List<FieldError> errs = new ArrayList<>();
        JsonNode min = spec.get("minReplicas");
        long max = spec.path("maxReplicas").asLong(0);
        if (Json.present(min) && min.asLong() < minReplicasLowerBound) {
            errs.add(FieldError.invalid(SPEC.child("minReplicas"), min.asLong(),
                    "must be greater than or equal to " + minReplicasLowerBound));
        }
        if (max < 1) errs.add(FieldError.invalid(SPEC.child("maxReplicas"), max, "must be greater than 0"));
        if (Json.present(min) && max < min.asLong()) {
            errs.add(FieldError.invalid(SPEC.child("maxReplicas"), max, "must be greater than or equal to `minReplicas`"));
        }
        errs.addAll(reference(spec.path("scaleTargetRef"), SPEC.child("scaleTargetRef")));
        errs.addAll(metrics(spec.path("metrics"), SPEC.child("metrics"), min));
        JsonNode behavior = spec.get("behavior");
        if (Json.present(behavior)) {
            errs.addAll(rules(behavior.get("scaleUp"), SPEC.child("behavior", "scaleUp")));
            errs.addAll(rules(behavior.get("scaleDown"), SPEC.child("behavior", "scaleDown")));
        }
        return errs;
    }

    private static List<FieldError> reference(JsonNode ref, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String field : List.of("kind", "name")) {
            String value = ref.path(field).asText("");
            if (value.isEmpty()) {
                errs.add(FieldError.required(path.child(field), ""));
            } else {
                for (String msg : Formats.isValidPathSegmentName(value, false)) {
                    errs.add(FieldError.invalid(path.child(field), value, msg));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> metrics(JsonNode metrics, FieldPath path, JsonNode minReplicas) {
        List<FieldError> errs = new ArrayList<>();
        boolean objectOrExternal = false;
        int i = 0;
        for (JsonNode m : metrics) {
            errs.addAll(metric(m, path.index(i++)));
            String type = m.path("type").asText("");
            objectOrExternal |= type.equals("Object") || type.equals("External");
        }
        if (Json.present(minReplicas) && minReplicas.asLong() == 0 && !objectOrExternal) {
            errs.add(FieldError.forbidden(path, "must specify at least one Object or External metric to support scaling to zero replicas"));
        }
        return errs;
    }

    private static List<FieldError> metric(JsonNode m, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String type = m.path("type").asText("");
        if (type.isEmpty()) errs.add(FieldError.required(path.child("type"), "must specify a metric source type"));
        if (!METRIC_SOURCE_TYPES.contains(type)) errs.add(FieldError.notSupported(path.child("type"), type, METRIC_SOURCE_TYPES));
        Set<String> present = new LinkedHashSet<>();
        for (String source : List.of("object", "external", "pods", "resource", "containerResource")) {
            JsonNode s = m.get(source);
            if (!Json.present(s)) continue;
            present.add(source);
            if (present.size() > 1) continue;
            FieldPath p = path.child(source);
            switch (source) {
                case "object" -> {
                    errs.addAll(reference(s.path("describedObject"), p.child("describedObject")));
                    errs.addAll(identifier(s.path("metric"), p.child("metric")));
                    errs.addAll(target(s.path("target"), p.child("target")));
                    if (!Json.present(s.path("target").get("value")) && !Json.present(s.path("target").get("averageValue"))) {
                        errs.add(FieldError.required(p.child("target", "averageValue"), "must set either a target value or averageValue"));
                    }
                }
                case "external" -> {
                    errs.addAll(identifier(s.path("metric"), p.child("metric")));
                    errs.addAll(target(s.path("target"), p.child("target")));
                    boolean value = Json.present(s.path("target").get("value"));
                    boolean average = Json.present(s.path("target").get("averageValue"));
                    if (!value && !average) {
                        errs.add(FieldError.required(p.child("target", "averageValue"),
                                "must set either a target value for metric or a per-pod target"));
                    }
                    if (value && average) {
                        errs.add(FieldError.forbidden(p.child("target", "value"),
                                "may not set both a target value for metric and a per-pod target"));
                    }
                }
                case "pods" -> {
                    errs.addAll(identifier(s.path("metric"), p.child("metric")));
                    errs.addAll(target(s.path("target"), p.child("target")));
                    if (!Json.present(s.path("target").get("averageValue"))) {
                        errs.add(FieldError.required(p.child("target", "averageValue"), "must specify a positive target averageValue"));
                    }
                }
                default -> {
                    if (s.path("name").asText("").isEmpty()) {
                        errs.add(FieldError.required(p.child("name"), "must specify a resource name"));
                    }
                    if (source.equals("containerResource")) {
                        String container = s.path("container").asText("");
                        if (container.isEmpty()) {
                            errs.add(FieldError.required(p.child("container"), "must specify a container"));
                        } else {
                            for (String msg : Formats.isDNS1123Label(container)) {
                                errs.add(FieldError.invalid(p.child("container"), container, msg));
                            }
                        }
                    }
                    errs.addAll(target(s.path("target"), p.child("target")));
                    boolean utilization = Json.present(s.path("target").get("averageUtilization"));
                    boolean average = Json.present(s.path("target").get("averageValue"));
                    if (!utilization && !average) {
                        errs.add(FieldError.required(p.child("target", "averageUtilization"),
                                "must set either a target raw value or a target utilization"));
                    }
                    if (utilization && average) {
                        errs.add(FieldError.forbidden(p.child("target", "averageValue"),
                                "may not set both a target raw value and a target utilization"));
                    }
                }
            }
        }
        String expected = switch (type) {
            case "Object" -> "object";
            case "Pods" -> "pods";
            case "Resource" -> "resource";
            case "External" -> "external";
            case "ContainerResource" -> "containerResource";
            default -> null;
        };
        if (expected == null) {
            errs.add(FieldError.notSupported(path.child("type"), type, METRIC_SOURCE_TYPES));
        } else if (!present.contains(expected)) {
            errs.add(FieldError.required(path.child(expected), "must populate information for the given metric source"));
        }
        if (present.size() != 1) {
            present.remove(expected);
            for (String other : present) errs.add(FieldError.forbidden(path.child(other), "must populate the given metric source only"));
        }
        return errs;
    }

    private static List<FieldError> target(JsonNode t, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String type = t.path("type").asText("");
        if (type.isEmpty()) errs.add(FieldError.required(path.child("type"), "must specify a metric target type"));
        if (!type.equals("Utilization") && !type.equals("Value") && !type.equals("AverageValue")) {
            errs.add(FieldError.invalid(path.child("type"), type, "must be either Utilization, Value, or AverageValue"));
        }
        for (String field : List.of("value", "averageValue")) {
            JsonNode q = t.get(field);
            if (Json.present(q) && signum(q) != 1) errs.add(FieldError.invalid(path.child(field), q.asText(), "must be positive"));
        }
        JsonNode utilization = t.get("averageUtilization");
        if (Json.present(utilization) && utilization.asLong() < 1) {
            errs.add(FieldError.invalid(path.child("averageUtilization"), utilization.asLong(), "must be greater than 0"));
        }
        return errs;
    }

    private static int signum(JsonNode quantity) {
        try {
            return Quantity.parse(quantity.asText()).value().signum();
        } catch (IllegalArgumentException e) {
            return quantity.isNumber() ? new BigDecimal(quantity.asText()).signum() : 0;
        }
    }

    private static List<FieldError> identifier(JsonNode id, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String name = id.path("name").asText("");
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), "must specify a metric name"));
        } else {
            for (String msg : Formats.isValidPathSegmentName(name, false)) errs.add(FieldError.invalid(path.child("name"), name, msg));
        }
        return errs;
    }

    private static List<FieldError> rules(JsonNode rules, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (!Json.present(rules)) return errs;
        JsonNode window = rules.get("stabilizationWindowSeconds");
        if (Json.present(window) && window.asLong() < 0) {
            errs.add(FieldError.invalid(path.child("stabilizationWindowSeconds"), window.asLong(), "must be greater than or equal to zero"));
        }
        if (Json.present(window) && window.asLong() > MAX_STABILIZATION_WINDOW_SECONDS) {
            errs.add(FieldError.invalid(path.child("stabilizationWindowSeconds"), window.asLong(),
                    "must be less than or equal to " + MAX_STABILIZATION_WINDOW_SECONDS));
        }
        JsonNode select = rules.get("selectPolicy");
        if (Json.present(select) && !SELECT_POLICIES.contains(select.asText())) {
            errs.add(FieldError.notSupported(path.child("selectPolicy"), select.asText(), SELECT_POLICIES));
        }
        FieldPath policiesPath = path.child("policies");
        JsonNode policies = rules.path("policies");
        if (!policies.isArray() || policies.isEmpty()) errs.add(FieldError.required(policiesPath, "must specify at least one Policy"));
        int i = 0;
        for (JsonNode p : policies) {
            FieldPath pp = policiesPath.index(i++);
            String type = p.path("type").asText("");
            if (!POLICY_TYPES.contains(type)) errs.add(FieldError.notSupported(pp.child("type"), type, POLICY_TYPES));
            long value = p.path("value").asLong(0);
            if (value <= 0) errs.add(FieldError.invalid(pp.child("value"), value, "must be greater than zero"));
            long period = p.path("periodSeconds").asLong(0);
            if (period <= 0) errs.add(FieldError.invalid(pp.child("periodSeconds"), period, "must be greater than zero"));
            if (period > MAX_PERIOD_SECONDS) {
                errs.add(FieldError.invalid(pp.child("periodSeconds"), period, "must be less than or equal to " + MAX_PERIOD_SECONDS));
            }
        }
        return errs;
    }
}
