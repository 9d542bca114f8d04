package kubefake.store.registry.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.admission.AdmissionAttributes;

/**
 * A webhook's {@code rules} ({@code rules.Matcher}): a write matches a rule when its operation, group, version,
 * resource (with its subresource: {@code pods} is the main resource only, {@code pods/status} one subresource,
 * {@code pods/*} every subresource, {@code *} every main resource, {@code *}{@code /*} everything) and scope are listed.
 */
public final class WebhookRules {
    private WebhookRules() {
    }

    static boolean matches(JsonNode webhook, AdmissionAttributes a) {
        return anyMatches(webhook.path("rules"), a);
    }

    /** Whether any of these rules matches (also a ValidatingAdmissionPolicy's resourceRules, of the same shape). */
    public static boolean anyMatches(JsonNode rules, AdmissionAttributes a) {
        for (JsonNode rule : rules) {
            if (ruleMatches(rule, a)) return true;
        }
        return false;
    }

    private static boolean ruleMatches(JsonNode rule, AdmissionAttributes a) {
        return listed(rule.path("operations"), a.operation().name())
                && listed(rule.path("apiGroups"), a.type().group())
                && listed(rule.path("apiVersions"), a.type().version())
                && resourceListed(rule.path("resources"), a.type().resource(), a.subresource())
                && scopeMatches(rule.path("scope").asText("*"), a);
    }

    private static boolean listed(JsonNode values, String value) {
        for (JsonNode v : values) {
            if (v.asText().equals("*") || v.asText().equals(value)) return true;
        }
        return false;
    }

    private static boolean resourceListed(JsonNode resources, String resource, String subresource) {
        for (JsonNode r : resources) {
            String entry = r.asText();
            if (entry.equals("*/*")) return true;
            int slash = entry.indexOf('/');
            String res = slash < 0 ? entry : entry.substring(0, slash);
            String sub = slash < 0 ? "" : entry.substring(slash + 1);
            boolean resourceOk = res.equals("*") || res.equals(resource);
            boolean subOk = sub.equals("*") ? !subresource.isEmpty() : sub.equals(subresource);
            if (resourceOk && subOk) return true;
        }
        return false;
    }

    private static boolean scopeMatches(String scope, AdmissionAttributes a) {
        return switch (scope) {
            case "Cluster" -> !a.type().namespaced();
            case "Namespaced" -> a.type().namespaced();
            default -> true;
        };
    }
}
