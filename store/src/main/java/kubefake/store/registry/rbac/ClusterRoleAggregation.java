package kubefake.store.registry.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.Registry;
import kubefake.store.registry.ResourceStore;
import kubefake.store.registry.errors.StatusException;
import kubefake.store.registry.request.RequestContext;
import kubefake.store.registry.request.UserInfo;
import kubefake.store.registry.selection.LabelSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets as its
 * rules those of every other ClusterRole its selectors match, in name order, each rule once. It runs whenever the
 * RBAC policy changes; its own writes change it again, which settles chains (view into edit into admin).
 */
public final class ClusterRoleAggregation {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRoleAggregation.class);
    static final UserInfo IDENTITY = UserInfo.controllerServiceAccount("clusterrole-aggregation-controller");

    private final Registry registry;

    ClusterRoleAggregation(Registry registry) {
        this.registry = registry;
    }

    /** Keeps the aggregated ClusterRoles of the policy's registry filled from now on. */
    public static void start(Registry registry, RbacPolicy policy) {
        ClusterRoleAggregation c = new ClusterRoleAggregation(registry);
        policy.onChange(c::sync);
    }

    void sync(RbacPolicy.Snapshot snapshot) {
        Map<String, ObjectNode> roles = new TreeMap<>(snapshot.clusterRoles());
        ResourceStore store = registry.resource(RbacPolicy.GROUP, "clusterroles");
        for (ObjectNode role : roles.values()) {
            JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
            if (!selectors.isArray()) continue;
            String name = Json.metadata(role).path("name").asText();
            ArrayNode rules = aggregatedRules(name, selectors, roles);
            if (rules.equals(role.get("rules"))) continue;
            try {
                store.patch("", name, o -> {
                    o.set("rules", rules);
                    return o;
                }, RequestContext.of(IDENTITY).withFieldManager("clusterrole-aggregation-controller"));
            } catch (StatusException e) {
                // deleted or changed meanwhile: the change that follows brings another sync
                LOG.debug("could not aggregate ClusterRole {}: {}", name, e.getMessage());
            }
        }
    }

    static ArrayNode aggregatedRules(String name, JsonNode selectors, Map<String, ObjectNode> rolesByName) {
        List<LabelSelector> parsed = new ArrayList<>();
        for (JsonNode s : selectors) parsed.add(LabelSelector.fromJson(s));
        ArrayNode rules = Json.MAPPER.createArrayNode();
        for (var e : rolesByName.entrySet()) {
            if (e.getKey().equals(name)) continue;
            JsonNode labels = Json.metadata(e.getValue()).path("labels");
            if (parsed.stream().noneMatch(s -> s.matches(labels))) continue;
            for (JsonNode rule : e.getValue().path("rules")) {
                if (!contains(rules, rule)) rules.add(rule.deepCopy());
            }
        }
        return rules;
    }

    private static boolean contains(ArrayNode rules, JsonNode rule) {
        for (JsonNode r : rules) if (r.equals(rule)) return true;
        return false;
    }
}
