package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.ResourceType;

/**
 * Deployments, ReplicaSets, StatefulSets, ReplicationControllers: status subresource, generation and the scale
 * subresource.
 */
public class WorkloadStrategy extends StatusStrategy {
    private final GarbageCollectionPolicy gcPolicy;

    public WorkloadStrategy(KindRules rules) {
        this(rules, GarbageCollectionPolicy.DELETE_DEPENDENTS);
    }

    private WorkloadStrategy(KindRules rules, GarbageCollectionPolicy gcPolicy) {
        super(rules);
        this.gcPolicy = gcPolicy;
    }

    /** ReplicationControllers: a core/v1 delete without a propagation policy orphans their pods (kept for compatibility). */
    public static WorkloadStrategy orphaningByDefault(KindRules rules) {
        return new WorkloadStrategy(rules, GarbageCollectionPolicy.ORPHAN_DEPENDENTS);
    }

    @Override
    public boolean tracksGeneration() { return true; }

    @Override
    public ObjectNode toScale(ObjectNode object) {
        return ScaleView.of(object);
    }

    @Override
    public ObjectNode applyScale(ObjectNode object, ObjectNode scale, ResourceType type) {
        return ScaleView.apply(object, scale, type.group(), type.resource());
    }

    @Override
    public GarbageCollectionPolicy defaultGarbageCollectionPolicy() { return gcPolicy; }

    /**
     * The status subresource of these kinds keeps only the spec and the labels of the stored object: other metadata
     * comes from the request, which is how the deployment controller writes its revision annotation with the status.
     */
    @Override
    public ObjectNode subresourceUpdate(String subresource, ObjectNode old, ObjectNode proposed) {
        ObjectNode updated = super.subresourceUpdate(subresource, old, proposed);
        JsonNode annotations = proposed.path("metadata").get("annotations");
        ObjectNode meta = Json.metadata(updated);
        if (annotations == null || annotations.isNull() || annotations.isEmpty()) meta.remove("annotations");
        else meta.set("annotations", annotations.deepCopy());
        return updated;
    }
}
