package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.ResourceStrategy;

import java.util.EnumSet;
import java.util.Set;

/** A resource whose status is written only through its status subresource. */
public class StatusStrategy implements ResourceStrategy {

    /** How a resource's Kubernetes strategy or store departs from the common behaviour. */
    public enum Trait {
        /** Spec changes bump metadata.generation (FlowSchemas, PriorityLevelConfigurations). */
        TRACKS_GENERATION,
        /**
         * DELETE answers with the object, not a Status (its Kubernetes store sets ReturnDeletedObject:
         * PersistentVolume, PersistentVolumeClaim, ResourceQuota, VolumeAttachment).
         */
        RETURNS_DELETED_OBJECT,
        /**
         * A PUT must name the resourceVersion it replaces (its strategy's AllowUnconditionalUpdate is false:
         * APIService, VolumeAttachment).
         */
        CONDITIONAL_UPDATES_ONLY
    }

    private final KindRules rules;
    private final Set<Trait> traits;

    public StatusStrategy(KindRules rules, Trait... traits) {
        this.rules = rules;
        this.traits = traits.length == 0 ? EnumSet.noneOf(Trait.class) : EnumSet.of(traits[0], traits);
    }

    @Override
    public KindRules rules() { return rules; }

    @Override
    public boolean hasStatusSubresource() { return true; }

    @Override
    public boolean tracksGeneration() { return traits.contains(Trait.TRACKS_GENERATION); }

    @Override
    public boolean returnsDeletedObject() { return traits.contains(Trait.RETURNS_DELETED_OBJECT); }

    @Override
    public boolean allowUnconditionalUpdate() { return !traits.contains(Trait.CONDITIONAL_UPDATES_ONLY); }
}
