package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

/**
 * Resources an aggregated API server computes on each read and never stores (metrics-server's NodeMetrics and
 * PodMetrics): the server answers them itself, the store only names them for discovery and authorization.
 */
public final class ComputedStrategy implements ResourceStrategy {
    private final KindRules rules;

    public ComputedStrategy(boolean namespaced) {
        this.rules = KindRules.metadataOnly(namespaced);
    }

    @Override
    public KindRules rules() { return rules; }

    @Override
    public boolean persisted() { return false; }
}
