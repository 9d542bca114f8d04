package kubefake.controllers.job;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.controllers.common.Meta;

import java.util.List;

/**
 * A Job's {@code spec.podFailurePolicy} applied to one failed pod: the first rule that matches decides. An
 * {@code onExitCodes} rule matches a terminated (init) container with a non-zero exit code in (In) or not in (NotIn)
 * its values, optionally only the named container; an {@code onPodConditions} rule matches a pod condition of that
 * type and status (e.g. {@code DisruptionTarget} True on evicted or preempted pods).
 */
final class PodFailurePolicy {
    /** What a matched rule says: its action, and for {@code FailJob} the message the Job fails with. */
    record Match(String action, String failJobMessage) {
        /** Whether the failure counts towards backoffLimit: all but those an {@code Ignore} rule matched. */
        static boolean counts(Match m) {
            return m == null || !m.action().equals("Ignore");
        }
    }

    private PodFailurePolicy() {
    }

    /** The first rule of the Job's policy that matches the failed pod, or null (no policy, or no rule matches). */
    static Match match(JsonNode job, JsonNode pod) {
        JsonNode rules = job.path("spec").path("podFailurePolicy").path("rules");
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String action = rule.path("action").asText();
            String message = null;
            if (rule.hasNonNull("onExitCodes")) {
                JsonNode container = matchingContainer(pod, rule.get("onExitCodes"));
                if (container == null) continue;
                message = "Container " + container.path("name").asText() + " for pod " + Meta.namespace(pod) + "/"
                        + Meta.name(pod) + " failed with exit code " + exitCode(container) + " matching " + action
                        + " rule at index " + i;
            } else if (rule.path("onPodConditions").size() > 0) {
                String condition = matchingCondition(pod, rule.get("onPodConditions"));
                if (condition == null) continue;
                message = "Pod " + Meta.namespace(pod) + "/" + Meta.name(pod) + " has condition " + condition
                        + " matching " + action + " rule at index " + i;
            } else {
                continue;
            }
            // like the real controller, an action it does not know (FailIndex without per-index limits) matches nothing
            switch (action) {
                case "FailJob":
                    return new Match(action, message);
                case "Ignore":
                case "Count":
                    return new Match(action, null);
                default:
                    break;
            }
        }
        return null;
    }

    /** The first terminated container (then init container) whose non-zero exit code the requirement matches. */
    private static JsonNode matchingContainer(JsonNode pod, JsonNode requirement) {
        for (String list : List.of("containerStatuses", "initContainerStatuses")) {
            for (JsonNode s : pod.path("status").path(list)) {
                JsonNode terminated = s.path("state").path("terminated");
                if (terminated.isMissingNode() || terminated.isNull()) continue;
                if (requirement.hasNonNull("containerName")
                        && !requirement.get("containerName").asText().equals(s.path("name").asText())) continue;
                int code = exitCode(s);
                if (code != 0 && operatorMatches(code, requirement)) return s;
            }
        }
        return null;
    }

    private static int exitCode(JsonNode containerStatus) {
        return containerStatus.path("state").path("terminated").path("exitCode").asInt();
    }

    private static boolean operatorMatches(int code, JsonNode requirement) {
        boolean listed = false;
        for (JsonNode v : requirement.path("values")) listed |= v.asInt() == code;
        return switch (requirement.path("operator").asText()) {
            case "In" -> listed;
            case "NotIn" -> !listed;
            default -> false;
        };
    }

    /** The type of the first pod condition that one of the patterns matches, or null. */
    private static String matchingCondition(JsonNode pod, JsonNode patterns) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            for (JsonNode p : patterns) {
                if (c.path("type").asText().equals(p.path("type").asText())
                        && c.path("status").asText().equals(p.path("status").asText("True"))) {
                    return c.path("type").asText();
                }
            }
        }
        return null;
    }
}
