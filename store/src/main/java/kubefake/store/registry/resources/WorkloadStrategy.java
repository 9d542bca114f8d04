package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers: status subresource and generation. */
public class WorkloadStrategy extends StatusStrategy {
    @Override
    public boolean tracksGeneration() { return true; }

    @Override
    public List<String> selectableFieldNames() { return List.of("status.replicas"); }

    @Override
    public Map<String, String> selectableFields(ObjectNode object) {
        return DefaultStrategy.fieldValues(object, selectableFieldNames());
    }
}
