package kubefake.store.registry.resources;



/** Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers: status subresource and generation. */
public class WorkloadStrategy extends StatusStrategy {
    @Override
    public boolean tracksGeneration() { return true; }


}
