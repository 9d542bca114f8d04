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

    /**
     * One whose DELETE answers with the object, not a Status (its Kubernetes store sets ReturnDeletedObject:
     * PersistentVolume, PersistentVolumeClaim, ResourceQuota, VolumeAttachment).
     */
    public static StatusStrategy returningDeletedObject(KindRules rules) {
        return new StatusStrategy(rules) {
            @Override
            public boolean returnsDeletedObject() { return true; }
        };
    }
}
