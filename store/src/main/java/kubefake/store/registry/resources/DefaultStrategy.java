package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

/** A resource with no behaviour of its own beyond its kind's rules (ConfigMap, ServiceAccount, ...). */
public class DefaultStrategy implements ResourceStrategy {
    private final KindRules rules;
    private final boolean createOnUpdate;
    private final boolean generation;

    public DefaultStrategy(KindRules rules) {
        this(rules, false, false);
    }

    private DefaultStrategy(KindRules rules, boolean createOnUpdate, boolean generation) {
        this.rules = rules;
        this.createOnUpdate = createOnUpdate;
        this.generation = generation;
    }

    /** A resource whose PUT creates a missing object (Endpoints). */
    public static DefaultStrategy createOnUpdate(KindRules rules) {
        return new DefaultStrategy(rules, true, false);
    }

    /** A resource that keeps metadata.generation (EndpointSlice). */
    public static DefaultStrategy withGeneration(KindRules rules) {
        return new DefaultStrategy(rules, false, true);
    }

    @Override
    public KindRules rules() { return rules; }

    @Override
    public boolean allowCreateOnUpdate() { return createOnUpdate; }

    @Override
    public boolean tracksGeneration() { return generation; }
}
