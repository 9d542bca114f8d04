package kubefake.server.cluster;

import kubefake.nodesim.SimulatedNodes;
import kubefake.server.streams.NodePorts;

/**
 * What runs in the process holding the kube-controller-manager Lease: the controllers and, with them, the simulated
 * kubelets (so that exactly one process sends the nodes' heartbeats and runs their pods) and the NodePorts their
 * pods are reached on.
 */
public record ControllerManagerTerm(ControlPlane controllers, SimulatedNodes nodes, NodePorts nodePorts) implements AutoCloseable {
    @Override
    public void close() {
        nodePorts.close();
        controllers.close();
        nodes.close();
    }
}
