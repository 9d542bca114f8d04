package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

/** A resource with no behaviour of its own beyond its kind's rules (ConfigMap, ServiceAccount, ...). */
public class DefaultStrategy implements ResourceStrategy {
    private final KindRules rules;
    private final boolean createOnUpdate;
    private final boolean generation;
    private final boolean returnsDeleted;

    public DefaultStrategy(KindRules rules) {
        this(rules, false, false, false);
    }

    private DefaultStrategy(KindRules rules, boolean createOnUpdate, boolean generation, boolean returnsDeleted) {
        this.rules = rules;
        this.createOnUpdate = createOnUpdate;
        this.generation = generation;
        this.returnsDeleted = returnsDeleted;
    }

    /** A resource whose PUT creates a missing object (Endpoints). */
    public static DefaultStrategy createOnUpdate(KindRules rules) {
        return new DefaultStrategy(rules, true, false, false);
    }

    /** A resource that keeps metadata.generation (EndpointSlice). */
    public static DefaultStrategy withGeneration(KindRules rules) {
        return new DefaultStrategy(rules, false, true, false);
    }

    /**
     * A resource whose DELETE answers with the object, not a Status (its Kubernetes store sets ReturnDeletedObject:
     * ServiceAccount, PodTemplate, StorageClass, CSIDriver, CSINode), as clients typed from the OpenAPI expect.
     */
    public static DefaultStrategy returningDeletedObject(KindRules rules) {
        return new DefaultStrategy(rules, false, false, true);
    }

    @Override
    public boolean returnsDeletedObject() { return returnsDeleted; }

    @Override
    public KindRules rules() { return rules; }

    @Override
    public boolean allowCreateOnUpdate() { return createOnUpdate; }

    @Override
    public boolean tracksGeneration() { return generation; }
}
