package kubefake.store.registry.resources;

import kubefake.store.registry.ResourceStrategy;

/** A resource with no rules of its own (ConfigMap, ServiceAccount, ...). */
public class DefaultStrategy implements ResourceStrategy {
    private final boolean createOnUpdate;
    private final boolean generation;

    public DefaultStrategy() {
        this(false, false);
    }

    private DefaultStrategy(boolean createOnUpdate, boolean generation) {
        this.createOnUpdate = createOnUpdate;
        this.generation = generation;
    }

    /** A resource whose PUT creates a missing object (Endpoints). */
    public static DefaultStrategy createOnUpdate() {
        return new DefaultStrategy(true, false);
    }

    /** A resource that keeps metadata.generation (EndpointSlice). */
    public static DefaultStrategy withGeneration() {
        return new DefaultStrategy(false, true);
    }

    @Override
    public boolean allowCreateOnUpdate() { return createOnUpdate; }

    @Override
    public boolean tracksGeneration() { return generation; }
}
