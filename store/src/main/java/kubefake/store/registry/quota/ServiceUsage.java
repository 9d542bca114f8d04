package kubefake.store.registry.quota;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.validation.Quantity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Services (evaluator/core/services.go): each counts once, LoadBalancers once more, node ports by port. */
final class ServiceUsage implements UsageEvaluator {
    private static final List<String> NAMES = List.of("services", "count/services", "services.loadbalancers",
            "services.nodeports");

    @Override
    public String group() {
        return "";
    }

    @Override
    public String resource() {
        return "services";
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        return UsageEvaluator.intersect(hard, NAMES);
    }

    @Override
    public boolean chargesUpdates() {
        return true;
    }

    @Override
    public ResourceList usage(JsonNode service, Instant now) {
        ResourceList r = new ResourceList().put("services", count(1)).put("count/services", count(1));
        JsonNode spec = service.path("spec");
        int ports = spec.path("ports").size();
        switch (spec.path("type").asText("ClusterIP")) {
            case "NodePort" -> r.put("services.nodeports", count(ports));
            case "LoadBalancer" -> {
                // without allocated node ports only those asked for explicitly are charged
                if (spec.path("allocateLoadBalancerNodePorts").asBoolean(true)) r.put("services.nodeports", count(ports));
                else {
                    int explicit = 0;
                    for (JsonNode p : spec.path("ports")) if (p.path("nodePort").asInt(0) != 0) explicit++;
                    r.put("services.nodeports", count(explicit));
                }
                r.put("services.loadbalancers", count(1));
            }
            default -> { }
        }
        return r;
    }

    static Quantity count(long n) {
        return Quantity.parse(Long.toString(n));
    }
}
