package kubefake.server.printers;

import static kubefake.server.printers.Columns.AGE;
import static kubefake.server.printers.Columns.NAME;
import static kubefake.server.printers.Columns.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import kubefake.store.registry.resources.AutoscalingV1Conversion;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers ({@code autoscaling/v2} objects; v1 ones converted first): Name, Reference
 * ({@code Deployment/web}), Targets ({@code cpu: 12%/80%}, two metrics at most then
 * {@code + N more...}), MinPods, MaxPods, Replicas, Age.
 */
final class HorizontalPodAutoscalerPrinter implements TablePrinter {

    private static final List<Column> COLUMNS = List.of(
            NAME,
            string("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which "
                    + "metrics should be collected, as well as to actually change the replica count."),
            string("Targets", "metrics contains the specifications for which to use to calculate the desired replica "
                    + "count (the maximum replica count across all metrics will be used).  The desired replica "
                    + "count is calculated multiplying the ratio between the target value and the current value "
                    + "by the current number of pods.  Ergo, metrics used must decrease as the pod count is "
                    + "increased, and vice-versa.  See the individual metric source types for more information "
                    + "about how each type of metric must respond."),
            string("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can "
                    + "scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature "
                    + "gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  "
                    + "Scaling is active as long as at least one metric value is available."),
            string("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can "
                    + "scale up. It cannot be less that minReplicas."),
            string("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last "
                    + "seen by the autoscaler."),
            AGE);

    private static final String UNKNOWN = Formats.UNKNOWN;

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode hpa, Instant now) {
        // the real printer prints the internal (v2) form whichever version was asked for
        if ("autoscaling/v1".equals(hpa.path("apiVersion").asText())) hpa = AutoscalingV1Conversion.toV2(hpa);
        JsonNode spec = Fields.at(hpa, "spec");
        String reference = Fields.text(spec, "scaleTargetRef", "kind") + "/" + Fields.text(spec, "scaleTargetRef", "name");
        String minPods = Fields.has(spec, "minReplicas") ? Long.toString(Fields.number(spec, "minReplicas")) : Formats.UNSET;
        return List.of(Fields.name(hpa), reference,
                targets(Fields.list(spec, "metrics"), Fields.list(hpa, "status", "currentMetrics")),
                minPods, Fields.number(spec, "maxReplicas"), Fields.number(hpa, "status", "currentReplicas"),
                Formats.age(hpa, now));
    }

    static String targets(List<JsonNode> specs, List<JsonNode> statuses) {
        if (specs.isEmpty()) {
            return Formats.NONE;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            list.add(switch (Fields.text(spec, "type")) {
                case "External" -> objectOrExternal(spec, status, "external");
                case "Object" -> objectOrExternal(spec, status, "object");
                case "Pods" -> {
                    String current = Fields.has(status, "pods") ? quantity(status, "pods", "current", "averageValue")
                            : UNKNOWN;
                    yield current + "/" + quantity(spec, "pods", "target", "averageValue");
                }
                case "Resource" -> resource(spec, status, "resource");
                case "ContainerResource" -> resource(spec, status, "containerResource");
                default -> "<unknown type>";
            });
        }
        final int max = 2;
        String shown = String.join(", ", list.subList(0, Math.min(max, list.size())));
        return list.size() > max ? shown + " + " + (list.size() - max) + " more..." : shown;
    }

    /** External and Object metrics: a value, or an average value marked {@code (avg)}. */
    private static String objectOrExternal(JsonNode spec, JsonNode status, String source) {
        if (Fields.has(spec, source, "target", "averageValue")) {
            String current = Fields.has(status, source, "current", "averageValue")
                    ? quantity(status, source, "current", "averageValue") : UNKNOWN;
            return current + "/" + quantity(spec, source, "target", "averageValue") + " (avg)";
        }
        String current = Fields.has(status, source) ? quantity(status, source, "current", "value") : UNKNOWN;
        return current + "/" + quantity(spec, source, "target", "value");
    }

    /** Resource and ContainerResource metrics: {@code cpu: 12%/80%} or {@code memory: 10Mi/100Mi}. */
    private static String resource(JsonNode spec, JsonNode status, String source) {
        String name = Fields.text(spec, source, "name");
        if (Fields.has(spec, source, "target", "averageValue")) {
            String current = Fields.has(status, source) ? quantity(status, source, "current", "averageValue") : UNKNOWN;
            return name + ": " + current + "/" + quantity(spec, source, "target", "averageValue");
        }
        String current = Fields.has(status, source, "current", "averageUtilization")
                ? Fields.number(status, source, "current", "averageUtilization") + "%" : UNKNOWN;
        String target = Fields.has(spec, source, "target", "averageUtilization")
                ? Fields.number(spec, source, "target", "averageUtilization") + "%" : "<auto>";
        return name + ": " + current + "/" + target;
    }

    /** A quantity as stored; Go prints a missing one as {@code <nil>}. */
    private static String quantity(JsonNode node, String... path) {
        return Fields.has(node, path) ? Fields.text(node, path) : "<nil>";
    }
}
