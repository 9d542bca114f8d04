package kubefake.controllers.replication;

import kubefake.client.Client;
import kubefake.client.informers.SharedInformers;
import kubefake.client.runtime.ClusterRuntime;
import kubefake.controllers.replicaset.ReplicaSetController;
import kubefake.controllers.replicaset.ReplicaSetKind;

/**
 * kube-controller-manager's replication controller ({@code pkg/controller/replication}): the ReplicaSet controller's
 * mechanism over ReplicationControllers, with their own name in events ({@code replication-controller}) and owner
 * references ({@code v1 ReplicationController}).
 */
public final class ReplicationManager implements AutoCloseable {
    public static final String NAME = ReplicaSetKind.REPLICATION_CONTROLLER.component();

    private final ReplicaSetController controller;

    /** @param client acting as the {@code replication-controller} service account */
    public ReplicationManager(Client client, SharedInformers informers, ClusterRuntime runtime) {
        this.controller = new ReplicaSetController(ReplicaSetKind.REPLICATION_CONTROLLER, client, informers, runtime);
    }

    public void start() {
        controller.start();
    }

    @Override
    public void close() {
        controller.close();
    }
}
