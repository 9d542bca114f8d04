package kubefake.store.registry.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * autoscaling/v1 ↔ autoscaling/v2 HorizontalPodAutoscalers ({@code pkg/apis/autoscaling/v1/conversion.go}): v1 has
 * only {@code targetCPUUtilizationPercentage} and {@code currentCPUUtilizationPercentage}; what else v2 holds travels
 * in annotations, so a v1 client that reads an object and writes it back loses nothing:
 * <ul>
 *   <li>{@value #METRICS}: the metrics other than CPU utilization, in v1's MetricSpec shape
 *   ({@code targetAverageUtilization}, {@code metricName}...);</li>
 *   <li>{@value #CURRENT_METRICS}: every current metric, in v1's MetricStatus shape;</li>
 *   <li>{@value #CONDITIONS}: the conditions;</li>
 *   <li>{@value #BEHAVIOR}: the behavior, as Go marshals the internal type, which has no JSON tags
 *   ({@code {"ScaleUp":{"StabilizationWindowSeconds":0,...}}}).</li>
 * </ul>
 * A v1 object without a CPU target and without other metrics stands for the implicit 80% CPU target.
 */
public final class AutoscalingV1Conversion {
    public static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
    public static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    public static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    public static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
    private static final List<String> ROUND_TRIP = List.of(METRICS, BEHAVIOR, CURRENT_METRICS, CONDITIONS);
    /** {@code autoscaling.DefaultCPUUtilization}. */
    public static final int DEFAULT_CPU_UTILIZATION = 80;

    private AutoscalingV1Conversion() {
    }

    // ------------------------------------------------------------------ v2 -> v1

    /** The v1 form of a v2 object. */
    public static ObjectNode toV1(ObjectNode v2) {
        ObjectNode out = v2.deepCopy();
        dropRoundTripAnnotations(out);
        JsonNode inSpec = v2.path("spec");
        JsonNode inStatus = v2.path("status");
        List<JsonNode> metrics = list(inSpec.path("metrics"));

        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.set("scaleTargetRef", reference(inSpec.path("scaleTargetRef")));
        copy(inSpec, "minReplicas", spec, "minReplicas");
        spec.set("maxReplicas", inSpec.has("maxReplicas") ? inSpec.get("maxReplicas") : Json.MAPPER.getNodeFactory().numberNode(0));
        for (JsonNode m : metrics) {
            // the first CPU resource metric decides, with or without a utilization
            if (m.path("type").asText().equals("Resource") && m.path("resource").path("name").asText().equals("cpu")) {
                copy(m.path("resource").path("target"), "averageUtilization", spec, "targetCPUUtilizationPercentage");
                break;
            }
        }
        out.set("spec", spec);

        ObjectNode status = Json.MAPPER.createObjectNode();
        copy(inStatus, "observedGeneration", status, "observedGeneration");
        copy(inStatus, "lastScaleTime", status, "lastScaleTime");
        status.put("currentReplicas", inStatus.path("currentReplicas").asInt(0));
        status.put("desiredReplicas", inStatus.path("desiredReplicas").asInt(0));
        List<JsonNode> currentMetrics = list(inStatus.path("currentMetrics"));
        for (JsonNode m : currentMetrics) {
            // no break here upstream: the last CPU utilization wins
            if (m.path("type").asText().equals("Resource") && m.path("resource").path("name").asText().equals("cpu")) {
                copy(m.path("resource").path("current"), "averageUtilization", status, "currentCPUUtilizationPercentage");
            }
        }
        out.set("status", status);

        ArrayNode others = Json.MAPPER.createArrayNode();
        for (JsonNode m : metrics) {
            if (!isCpuUtilization(m)) others.add(metricToV1(m, Side.SPEC));
        }
        if (!others.isEmpty()) annotate(out, METRICS, others);
        if (!currentMetrics.isEmpty()) {
            ArrayNode statuses = Json.MAPPER.createArrayNode();
            for (JsonNode m : currentMetrics) statuses.add(metricToV1(m, Side.STATUS));
            annotate(out, CURRENT_METRICS, statuses);
        }
        if (present(inSpec.get("behavior"))) annotate(out, BEHAVIOR, behaviorToGo(inSpec.get("behavior")));
        List<JsonNode> conditions = list(inStatus.path("conditions"));
        if (!conditions.isEmpty()) annotate(out, CONDITIONS, inStatus.get("conditions"));
        return out;
    }

    // ------------------------------------------------------------------ v1 -> v2

    /** The v2 form of a v1 object (its round-trip annotations read back and removed). */
    public static ObjectNode toV2(ObjectNode v1) {
        ObjectNode out = v1.deepCopy();
        JsonNode inSpec = v1.path("spec");
        JsonNode inStatus = v1.path("status");

        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.set("scaleTargetRef", reference(inSpec.path("scaleTargetRef")));
        copy(inSpec, "minReplicas", spec, "minReplicas");
        spec.set("maxReplicas", inSpec.has("maxReplicas") ? inSpec.get("maxReplicas") : Json.MAPPER.getNodeFactory().numberNode(0));
        ArrayNode metrics = Json.MAPPER.createArrayNode();
        if (present(inSpec.get("targetCPUUtilizationPercentage"))) {
            metrics.add(cpuUtilization(inSpec.get("targetCPUUtilizationPercentage")));
        }

        ObjectNode status = Json.MAPPER.createObjectNode();
        copy(inStatus, "observedGeneration", status, "observedGeneration");
        copy(inStatus, "lastScaleTime", status, "lastScaleTime");
        copy(inStatus, "currentReplicas", status, "currentReplicas");
        copy(inStatus, "desiredReplicas", status, "desiredReplicas");
        if (present(inStatus.get("currentCPUUtilizationPercentage"))) {
            ObjectNode m = status.putArray("currentMetrics").addObject().put("type", "Resource");
            m.putObject("resource").put("name", "cpu").putObject("current")
                    .set("averageUtilization", inStatus.get("currentCPUUtilizationPercentage"));
        }

        JsonNode others = annotation(v1, METRICS);
        if (others != null && others.isArray()) {
            // the CPU target of the spec, if any, goes after the annotation's metrics
            ArrayNode all = Json.MAPPER.createArrayNode();
            for (JsonNode m : others) all.add(metricToV2(m, Side.SPEC));
            all.addAll(metrics);
            metrics = all;
        }
        JsonNode behavior = annotation(v1, BEHAVIOR);
        if (behavior != null && behavior.isObject()) {
            ObjectNode b = behaviorFromGo(behavior);
            if (!b.isEmpty()) spec.set("behavior", b);
        }
        JsonNode current = annotation(v1, CURRENT_METRICS);
        if (current != null && current.isArray()) {
            ArrayNode statuses = status.putArray("currentMetrics");
            for (JsonNode m : current) statuses.add(metricToV2(m, Side.STATUS));
        }
        if (metrics.isEmpty()) metrics.add(cpuUtilization(Json.MAPPER.getNodeFactory().numberNode(DEFAULT_CPU_UTILIZATION)));
        spec.set("metrics", metrics);
        JsonNode conditions = annotation(v1, CONDITIONS);
        if (conditions != null && conditions.isArray()) status.set("conditions", conditions);
        out.set("spec", spec);
        out.set("status", status);
        dropRoundTripAnnotations(out);
        return out;
    }

    // ------------------------------------------------------------------ metrics

    private static ObjectNode cpuUtilization(JsonNode percent) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("type", "Resource");
        m.putObject("resource").put("name", "cpu").putObject("target").put("type", "Utilization")
                .set("averageUtilization", percent);
        return m;
    }

    private static boolean isCpuUtilization(JsonNode m) {
        return m.path("type").asText().equals("Resource") && m.path("resource").path("name").asText().equals("cpu")
                && present(m.path("resource").path("target").get("averageUtilization"));
    }

    /**
     * Which half of a metric is converted: a MetricSpec's {@code target} or a MetricStatus's {@code current}. v1
     * prefixes its value fields with the same word ({@code targetAverageValue}, {@code currentValue}); a status's
     * values are Go non-pointer quantities, always written.
     */
    private enum Side {
        SPEC("target"), STATUS("current");

        final String section;

        Side(String section) {
            this.section = section;
        }

        /** v1's name of a value: {@code targetValue}, {@code currentAverageUtilization}... */
        String v1(String value) {
            return section + Character.toUpperCase(value.charAt(0)) + value.substring(1);
        }
    }

    /** {@code Convert_autoscaling_MetricSpec_To_v1_MetricSpec} and {@code ..._MetricStatus_To_v1_MetricStatus}. */
    private static ObjectNode metricToV1(JsonNode m, Side side) {
        String x = side.section;
        ObjectNode out = Json.MAPPER.createObjectNode().put("type", m.path("type").asText());
        if (present(m.get("object"))) {
            JsonNode o = m.get("object");
            ObjectNode v = out.putObject("object");
            v.set("target", reference(o.path("describedObject")));
            v.put("metricName", o.path("metric").path("name").asText());
            v.set(side.v1("value"), quantityOrZero(o.path(x), "value"));
            copy(o.path("metric"), "selector", v, "selector");
            copy(o.path(x), "averageValue", v, "averageValue");
        }
        if (present(m.get("pods"))) {
            JsonNode p = m.get("pods");
            ObjectNode v = out.putObject("pods");
            v.put("metricName", p.path("metric").path("name").asText());
            v.set(side.v1("averageValue"), quantityOrZero(p.path(x), "averageValue"));
            copy(p.path("metric"), "selector", v, "selector");
        }
        for (String key : new String[] {"resource", "containerResource"}) {
            if (!present(m.get(key))) continue;
            JsonNode r = m.get(key);
            ObjectNode v = out.putObject(key);
            v.put("name", r.path("name").asText());
            copy(r.path(x), "averageUtilization", v, side.v1("averageUtilization"));
            if (side == Side.STATUS) v.set(side.v1("averageValue"), quantityOrZero(r.path(x), "averageValue"));
            else copy(r.path(x), "averageValue", v, side.v1("averageValue"));
            if (key.equals("containerResource")) v.put("container", r.path("container").asText());
        }
        if (present(m.get("external"))) {
            JsonNode e = m.get("external");
            ObjectNode v = out.putObject("external");
            v.put("metricName", e.path("metric").path("name").asText());
            copy(e.path("metric"), "selector", v, "metricSelector");
            if (side == Side.STATUS) v.set(side.v1("value"), quantityOrZero(e.path(x), "value"));
            else copy(e.path(x), "value", v, side.v1("value"));
            copy(e.path(x), "averageValue", v, side.v1("averageValue"));
        }
        return out;
    }

    /** {@code Convert_v1_MetricSpec_To_autoscaling_MetricSpec} and {@code ..._v1_MetricStatus_To_autoscaling_...}. */
    private static ObjectNode metricToV2(JsonNode m, Side side) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("type", m.path("type").asText());
        boolean spec = side == Side.SPEC;
        if (present(m.get("object"))) {
            JsonNode o = m.get("object");
            ObjectNode v = out.putObject("object");
            v.set("describedObject", reference(o.path("target")));
            v.set("metric", identifier(o, "selector"));
            ObjectNode values = v.putObject(side.section);
            if (spec) values.put("type", present(o.get("averageValue")) ? "AverageValue" : "Value");
            values.set("value", quantityOrZero(o, side.v1("value")));
            copy(o, "averageValue", values, "averageValue");
        }
        if (present(m.get("pods"))) {
            JsonNode p = m.get("pods");
            ObjectNode v = out.putObject("pods");
            v.set("metric", identifier(p, "selector"));
            ObjectNode values = v.putObject(side.section);
            if (spec) values.put("type", "AverageValue");
            values.set("averageValue", quantityOrZero(p, side.v1("averageValue")));
        }
        for (String key : new String[] {"resource", "containerResource"}) {
            if (!present(m.get(key))) continue;
            JsonNode r = m.get(key);
            ObjectNode v = out.putObject(key);
            v.put("name", r.path("name").asText());
            if (key.equals("containerResource")) v.put("container", r.path("container").asText());
            ObjectNode values = v.putObject(side.section);
            if (spec) values.put("type", present(r.get("targetAverageUtilization")) ? "Utilization" : "AverageValue");
            if (spec) copy(r, side.v1("averageValue"), values, "averageValue");
            else values.set("averageValue", quantityOrZero(r, side.v1("averageValue")));
            copy(r, side.v1("averageUtilization"), values, "averageUtilization");
        }
        if (present(m.get("external"))) {
            JsonNode e = m.get("external");
            ObjectNode v = out.putObject("external");
            v.set("metric", identifier(e, "metricSelector"));
            ObjectNode values = v.putObject(side.section);
            if (spec) values.put("type", present(e.get("targetValue")) ? "Value" : "AverageValue");
            if (spec) copy(e, side.v1("value"), values, "value");
            else values.set("value", quantityOrZero(e, side.v1("value")));
            copy(e, side.v1("averageValue"), values, "averageValue");
        }
        return out;
    }

    // ------------------------------------------------------------------ behavior (Go field names)

    private static final String[][] RULE_FIELDS = {
            {"stabilizationWindowSeconds", "StabilizationWindowSeconds"}, {"selectPolicy", "SelectPolicy"},
            {"policies", "Policies"}, {"tolerance", "Tolerance"}};
    private static final String[][] POLICY_FIELDS = {{"type", "Type"}, {"value", "Value"}, {"periodSeconds", "PeriodSeconds"}};

    private static ObjectNode behaviorToGo(JsonNode behavior) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("ScaleUp", rulesToGo(behavior.get("scaleUp")));
        out.set("ScaleDown", rulesToGo(behavior.get("scaleDown")));
        return out;
    }

    private static JsonNode rulesToGo(JsonNode rules) {
        if (!present(rules)) return Json.MAPPER.nullNode();
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String[] f : RULE_FIELDS) {
            JsonNode v = rules.get(f[0]);
            if (f[0].equals("policies") && present(v)) {
                ArrayNode policies = out.putArray(f[1]);
                for (JsonNode p : v) {
                    ObjectNode policy = policies.addObject();
                    policy.put("Type", p.path("type").asText()).put("Value", p.path("value").asInt())
                            .put("PeriodSeconds", p.path("periodSeconds").asInt());
                }
            } else {
                out.set(f[1], present(v) ? v : Json.MAPPER.nullNode());
            }
        }
        return out;
    }

    /** Go's encoding/json matches field names case-insensitively. */
    private static ObjectNode behaviorFromGo(JsonNode go) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode up = field(go, "ScaleUp");
        JsonNode down = field(go, "ScaleDown");
        if (up != null && up.isObject()) out.set("scaleUp", rulesFromGo(up));
        if (down != null && down.isObject()) out.set("scaleDown", rulesFromGo(down));
        return out;
    }

    private static ObjectNode rulesFromGo(JsonNode go) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String[] f : RULE_FIELDS) {
            JsonNode v = field(go, f[1]);
            if (!present(v)) continue;
            if (f[0].equals("policies") && v.isArray()) {
                ArrayNode policies = out.putArray("policies");
                for (JsonNode p : v) {
                    ObjectNode policy = policies.addObject();
                    for (String[] pf : POLICY_FIELDS) {
                        JsonNode pv = field(p, pf[1]);
                        if (present(pv)) policy.set(pf[0], pv);
                    }
                }
            } else {
                out.set(f[0], v);
            }
        }
        return out;
    }

    private static JsonNode field(JsonNode node, String goName) {
        if (node.has(goName)) return node.get(goName);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(goName)) return e.getValue();
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode reference(JsonNode ref) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("kind", ref.path("kind").asText());
        out.put("name", ref.path("name").asText());
        copy(ref, "apiVersion", out, "apiVersion");
        return out;
    }

    private static ObjectNode identifier(JsonNode v1, String selectorField) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("name", v1.path("metricName").asText());
        copy(v1, selectorField, out, "selector");
        return out;
    }

    /** A non-pointer Quantity: Go writes the zero one as "0". */
    private static JsonNode quantityOrZero(JsonNode from, String field) {
        JsonNode v = from.get(field);
        return present(v) ? v : Json.MAPPER.getNodeFactory().textNode("0");
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (present(v)) to.set(as, v.deepCopy());
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull() && !n.isMissingNode();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        if (array.isArray()) array.forEach(out::add);
        return out;
    }

    private static JsonNode annotation(JsonNode object, String key) {
        JsonNode value = object.path("metadata").path("annotations").get(key);
        if (value == null || !value.isTextual()) return null;
        try {
            return Json.MAPPER.readTree(value.asText());
        } catch (JsonProcessingException e) {
            // the real conversion fails the request on an annotation it cannot read; an unreadable one is ignored here
            return null;
        }
    }

    private static void annotate(ObjectNode object, String key, JsonNode value) {
        ObjectNode meta = object.with("metadata");
        meta.with("annotations").put(key, value.toString());
    }

    private static void dropRoundTripAnnotations(ObjectNode object) {
        JsonNode annotations = object.path("metadata").get("annotations");
        if (!(annotations instanceof ObjectNode a)) return;
        boolean any = false;
        for (String k : ROUND_TRIP) any |= a.remove(k) != null;
        if (any && a.isEmpty()) ((ObjectNode) object.get("metadata")).remove("annotations");
    }
}
