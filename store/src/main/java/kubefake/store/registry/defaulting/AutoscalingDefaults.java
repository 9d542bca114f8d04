package kubefake.store.registry.defaulting;

import static kubefake.store.registry.defaulting.CoreDefaults.absent;
import static kubefake.store.registry.defaulting.CoreDefaults.object;
import static kubefake.store.registry.defaulting.CoreDefaults.putIfAbsent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HorizontalPodAutoscaler defaults ({@code pkg/apis/autoscaling/v1/defaults.go} and {@code v2/defaults.go}):
 * minReplicas 1 in both; v2 also a CPU utilization target of 80% when no metric is given, and, when a behavior is
 * given, every rule it leaves out: scale up without stabilization, at most 4 pods or 100% per 15 s (the larger);
 * scale down at most 100% per 15 s (its stabilization window stays unset: the controller's 300 s applies).
 */
final class AutoscalingDefaults {
    private AutoscalingDefaults() {
    }

    static void v1(ObjectNode hpa) {
        putIfAbsent(object(hpa, "spec"), "minReplicas", 1);
    }

    static void v2(ObjectNode hpa) {
        ObjectNode spec = object(hpa, "spec");
        putIfAbsent(spec, "minReplicas", 1);
        JsonNode metrics = spec.get("metrics");
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            ObjectNode cpu = spec.putArray("metrics").addObject().put("type", "Resource");
            cpu.putObject("resource").put("name", "cpu").putObject("target").put("type", "Utilization")
                    .put("averageUtilization", 80);
        }
        if (spec.get("behavior") instanceof ObjectNode behavior) {
            rules(behavior, "scaleUp", 0, new long[][] {{4, 15}, {100, 15}}, new String[] {"Pods", "Percent"});
            rules(behavior, "scaleDown", -1, new long[][] {{100, 15}}, new String[] {"Percent"});
        }
    }

    /** {@code copyHPAScalingRules} over the default rules: what the user set stays, the rest is the default. */
    private static void rules(ObjectNode behavior, String field, long stabilization, long[][] policies, String[] types) {
        ObjectNode rules = object(behavior, field);
        if (stabilization >= 0) putIfAbsent(rules, "stabilizationWindowSeconds", stabilization);
        putIfAbsent(rules, "selectPolicy", "Max");
        if (absent(rules, "policies")) {
            ArrayNode list = rules.putArray("policies");
            for (int i = 0; i < policies.length; i++) {
                list.addObject().put("type", types[i]).put("value", policies[i][0]).put("periodSeconds", policies[i][1]);
            }
        }
    }
}
