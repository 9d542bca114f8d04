package kubefake.store.registry.quota;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.validation.Quantity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The object count of any resource ({@code count/deployments.apps}), and under its legacy name too for core/v1's
 * configmaps, secrets, replicationcontrollers and resourcequotas ({@code pkg/quota/v1/generic}).
 */
final class ObjectCount implements UsageEvaluator {
    private static final Quantity ONE = Quantity.parse("1");

    private final String group;
    private final String resource;
    private final List<String> names = new ArrayList<>();

    ObjectCount(String group, String resource) {
        this.group = group;
        this.resource = resource;
        names.add(UsageEvaluator.countName(group, resource));
        if (group.isEmpty() && CORE_LEGACY_COUNTED.contains(resource)) names.add(resource);
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public String resource() {
        return resource;
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        return UsageEvaluator.intersect(hard, names);
    }

    @Override
    public ResourceList usage(JsonNode object, Instant now) {
        ResourceList r = new ResourceList();
        for (String n : names) r.put(n, ONE);
        return r;
    }
}
