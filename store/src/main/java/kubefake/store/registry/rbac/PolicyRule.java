package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.authorization.AuthorizationAttributes;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule of a Role or ClusterRole (rbac/v1 PolicyRule) and whether it allows a request, as the RBAC
 * authorizer's RuleAllows decides: a resource rule matches verb, API group, resource (with {@code pods/log}-style
 * subresources and {@code *}/{@code *}{@code /scale} wildcards) and, when it names any, the object's name; a
 * non-resource rule matches verb and path ({@code /apis/*} matches every path under {@code /apis/}).
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                         List<String> resourceNames, List<String> nonResourceURLs) {

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    public static PolicyRule of(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")), strings(rule.path("resources")),
                strings(rule.path("resourceNames")), strings(rule.path("nonResourceURLs")));
    }

    /** The rules of a role's {@code rules} array (absent or null: none). */
    public static List<PolicyRule> listOf(JsonNode rules) {
        List<PolicyRule> out = new ArrayList<>();
        if (rules != null && rules.isArray()) for (JsonNode r : rules) out.add(of(r));
        return out;
    }

    public boolean allows(AuthorizationAttributes a) {
        if (!matches(verbs, a.verb())) return false;
        if (!a.isResourceRequest()) return nonResourceUrlMatches(a.path());
        String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
        return matches(apiGroups, a.group()) && resourceMatches(combined, a.subresource())
                && (resourceNames.isEmpty() || resourceNames.contains(a.name()));
    }

    private boolean resourceMatches(String combined, String subresource) {
        for (String r : resources) {
            if (r.equals("*") || r.equals(combined)) return true;
            // "*/scale" matches the scale subresource of every resource
            if (!subresource.isEmpty() && r.length() == subresource.length() + 2 && r.startsWith("*/") && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    private boolean nonResourceUrlMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals("*") || u.equals(path)) return true;
            if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) return true;
        }
        return false;
    }

    private static boolean matches(List<String> values, String value) {
        for (String v : values) if (v.equals("*") || v.equals(value)) return true;
        return false;
    }

    /** The rule as the API shows it (empty lists left out). */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        put(n, "verbs", verbs, true);
        put(n, "apiGroups", apiGroups, false);
        put(n, "resources", resources, false);
        put(n, "resourceNames", resourceNames, false);
        put(n, "nonResourceURLs", nonResourceURLs, false);
        return n;
    }

    private static void put(ObjectNode n, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) return;
        ArrayNode a = n.putArray(field);
        values.forEach(a::add);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) for (JsonNode v : array) out.add(v.asText());
        return out;
    }
}
