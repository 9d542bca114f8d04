package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

/** A resource whose status is written only through its status subresource. */
public class StatusStrategy implements ResourceStrategy {
    private final KindRules rules;

    public StatusStrategy(KindRules rules) {
        this.rules = rules;
    }

    @Override
    public KindRules rules() { return rules; }

    @Override
    public boolean hasStatusSubresource() { return true; }

    /** One whose spec changes bump metadata.generation (FlowSchemas, PriorityLevelConfigurations). */
    public static StatusStrategy withGeneration(KindRules rules) {
        return new StatusStrategy(rules) {
            @Override
            public boolean tracksGeneration() { return true; }
        };
    }
}
