package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers: status subresource and generation. */
public class WorkloadStrategy extends StatusStrategy {
    @Override
    public boolean tracksGeneration() { return true; }


}
