package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.admission.AdmissionAttributes;
import kubefake.store.registry.admission.ValidatingPlugin;
import kubefake.store.registry.authorization.AuthorizationAttributes;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.Operation;
import kubefake.store.registry.request.UserInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * RBAC's own guard on its objects (the rbac registries' policy-based storage): nobody grants what they do not hold.
 * A Role or ClusterRole may only be written by someone whose own rules cover every rule in it (or who may
 * {@code escalate} roles; an aggregationRule needs everything); a binding only by someone who may {@code bind} the
 * role it references or holds all of that role's rules. {@code system:masters} may do anything.
 */
public final class Escalation implements ValidatingPlugin {
    private final RbacAuthorizer authorizer;

    public Escalation(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public String name() {
        return "RBAC";
    }

    @Override
    public void validate(AdmissionAttributes a) {
        if (!a.type().group().equals(RbacPolicy.GROUP) || a.object() == null) return;
        if (a.operation() != Operation.CREATE && a.operation() != Operation.UPDATE) return;
        UserInfo user = a.context().user();
        if (user.groups().contains(UserInfo.MASTERS)) return;
        String resource = a.type().resource();
        String name = a.name().isEmpty() ? kubefake.store.registry.Json.metadata(a.object()).path("name").asText("") : a.name();
        switch (resource) {
            case "roles", "clusterroles" -> checkRole(a, user, resource, name);
            case "rolebindings", "clusterrolebindings" -> checkBinding(a, user, resource, name);
            default -> { }
        }
    }

    private void checkRole(AdmissionAttributes a, UserInfo user, String resource, String name) {
        ObjectNode role = a.object();
        if (a.oldObject() != null && role.path("rules").equals(a.oldObject().path("rules"))
                && role.path("aggregationRule").equals(a.oldObject().path("aggregationRule"))) {
            return;
        }
        if (authorizer.authorize(AuthorizationAttributes.resource(user, "escalate", RbacPolicy.GROUP, resource, "", a.namespace(), name)).allowed()) {
            return;
        }
        String missing = missing(user, a.namespace(), PolicyRule.listOf(role.get("rules")));
        if (missing != null) throw StatusException.forbidden(RbacPolicy.GROUP, resource, name, missing);
        if (role.hasNonNull("aggregationRule") && missing(user, a.namespace(), FULL_AUTHORITY) != null) {
            throw StatusException.forbidden(RbacPolicy.GROUP, resource, name, "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            new PolicyRule(List.of("*"), List.of("*"), List.of("*"), List.of(), List.of()),
            new PolicyRule(List.of("*"), List.of(), List.of(), List.of(), List.of("*")));

    private void checkBinding(AdmissionAttributes a, UserInfo user, String resource, String name) {
        ObjectNode binding = a.object();
        if (a.oldObject() != null && binding.path("roleRef").equals(a.oldObject().path("roleRef"))
                && binding.path("subjects").equals(a.oldObject().path("subjects"))) {
            return;
        }
        JsonNode ref = binding.path("roleRef");
        String kind = ref.path("kind").asText("");
        String roleName = ref.path("name").asText("");
        String roleResource = kind.equals("Role") ? "roles" : "clusterroles";
        if (authorizer.authorize(AuthorizationAttributes.resource(user, "bind", ref.path("apiGroup").asText(""), roleResource, "",
                a.namespace(), roleName)).allowed()) {
            return;
        }
        RbacPolicy.Snapshot snapshot = authorizer.policy().snapshot();
        List<PolicyRule> rules = snapshot.referencedRules(kind, roleName, a.namespace());
        if (rules == null) {
            String singular = kind.equals("Role") ? "role" : "clusterrole";
            throw StatusException.forbidden(RbacPolicy.GROUP, resource, name,
                    singular + "." + RbacPolicy.GROUP + " " + RbacPolicy.quote(roleName) + " not found");
        }
        String missing = missing(user, a.namespace(), rules);
        if (missing != null) throw StatusException.forbidden(RbacPolicy.GROUP, resource, name, missing);
    }

    /** ConfirmNoEscalation: null when the user's rules cover {@code rules}, else the message naming what is missing. */
    private String missing(UserInfo user, String namespace, List<PolicyRule> rules) {
        RbacPolicy.Rules owner = authorizer.policy().snapshot().rulesFor(user, namespace);
        List<PolicyRule> ownerRules = owner.rules().stream().map(RbacPolicy.GrantedRule::rule).toList();
        List<PolicyRule> uncovered = new ArrayList<>();
        for (PolicyRule requested : rules) {
            for (PolicyRule single : breakdown(requested)) {
                if (ownerRules.stream().noneMatch(o -> covers(o, single))) uncovered.add(single);
            }
        }
        if (uncovered.isEmpty()) return null;
        TreeSet<String> descriptions = new TreeSet<>();
        for (PolicyRule r : compact(uncovered)) descriptions.add(compactString(r));
        String groups = user.groups().stream().map(RbacPolicy::quote).reduce((x, y) -> x + " " + y).orElse("");
        String msg = "user " + RbacPolicy.quote(user.name()) + " (groups=[" + groups + "]) is attempting to grant RBAC permissions "
                + "not currently held:\n" + String.join("\n", descriptions);
        if (!owner.errors().isEmpty()) msg += "; resolution errors: [" + RbacAuthorizer.aggregate(owner.errors()) + "]";
        return msg;
    }

    /** BreakdownRule: one rule per verb and group/resource/name, or per verb and URL. */
    static List<PolicyRule> breakdown(PolicyRule r) {
        List<PolicyRule> out = new ArrayList<>();
        for (String group : r.apiGroups()) {
            for (String resource : r.resources()) {
                if (!r.resourceNames().isEmpty()) {
                    for (String name : r.resourceNames()) {
                        for (String verb : r.verbs()) {
                            out.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
                        }
                    }
                } else {
                    for (String verb : r.verbs()) out.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
                }
            }
        }
        for (String url : r.nonResourceURLs()) {
            for (String verb : r.verbs()) out.add(new PolicyRule(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
        }
        return out;
    }

    /** ruleCovers: whether the owner's rule allows everything the (broken down) rule does. */
    static boolean covers(PolicyRule owner, PolicyRule sub) {
        boolean verbs = owner.verbs().contains("*") || owner.verbs().containsAll(sub.verbs());
        boolean groups = owner.apiGroups().contains("*") || owner.apiGroups().containsAll(sub.apiGroups());
        boolean names = sub.resourceNames().isEmpty() ? owner.resourceNames().isEmpty()
                : owner.resourceNames().isEmpty() || owner.resourceNames().containsAll(sub.resourceNames());
        return verbs && groups && resourcesCover(owner.resources(), sub.resources()) && names
                && urlsCover(owner.nonResourceURLs(), sub.nonResourceURLs());
    }

    private static boolean resourcesCover(List<String> set, List<String> covered) {
        if (set.contains("*") || set.containsAll(covered)) return true;
        for (String path : covered) {
            if (set.contains(path)) continue;
            int slash = path.indexOf('/');
            if (slash < 0 || !set.contains("*/" + path.substring(slash + 1))) return false;
        }
        return true;
    }

    private static boolean urlsCover(List<String> set, List<String> covered) {
        for (String path : covered) {
            boolean ok = set.stream().anyMatch(o -> o.equals(path)
                    || o.endsWith("*") && path.startsWith(o.replaceAll("\\*+$", "")));
            if (!ok) return false;
        }
        return true;
    }

    /** CompactRules: rules of one group, one resource and at most one name merged, their verbs appended. */
    static List<PolicyRule> compact(List<PolicyRule> rules) {
        List<PolicyRule> out = new ArrayList<>();
        Map<List<String>, List<String>> simple = new LinkedHashMap<>();
        Map<List<String>, PolicyRule> first = new LinkedHashMap<>();
        for (PolicyRule r : rules) {
            boolean isSimple = r.resourceNames().size() <= 1 && r.nonResourceURLs().isEmpty()
                    && r.apiGroups().size() == 1 && r.resources().size() == 1;
            if (!isSimple) {
                out.add(r);
                continue;
            }
            List<String> key = List.of(r.apiGroups().get(0), r.resources().get(0), String.join("", r.resourceNames()),
                    String.valueOf(!r.resourceNames().isEmpty()));
            simple.computeIfAbsent(key, k -> new ArrayList<>()).addAll(r.verbs());
            first.putIfAbsent(key, r);
        }
        for (var e : simple.entrySet()) {
            PolicyRule r = first.get(e.getKey());
            out.add(new PolicyRule(e.getValue(), r.apiGroups(), r.resources(), r.resourceNames(), List.of()));
        }
        return out;
    }

    /** rbacv1helpers.CompactString: {@code {APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}}. */
    static String compactString(PolicyRule r) {
        List<String> parts = new ArrayList<>();
        if (!r.apiGroups().isEmpty()) parts.add("APIGroups:" + quoted(r.apiGroups()));
        if (!r.resources().isEmpty()) parts.add("Resources:" + quoted(r.resources()));
        if (!r.nonResourceURLs().isEmpty()) parts.add("NonResourceURLs:" + quoted(r.nonResourceURLs()));
        if (!r.resourceNames().isEmpty()) parts.add("ResourceNames:" + quoted(r.resourceNames()));
        if (!r.verbs().isEmpty()) parts.add("Verbs:" + quoted(r.verbs()));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String quoted(List<String> values) {
        return "[" + String.join(" ", values.stream().map(RbacPolicy::quote).toList()) + "]";
    }
}
