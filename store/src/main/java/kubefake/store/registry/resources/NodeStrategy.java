package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;


/** Nodes: cluster scoped, status written by the kubelet through nodes/status. */
public class NodeStrategy extends StatusStrategy {
    @Override
    public void prepareForCreate(ObjectNode object) {
        // a node registers itself with its status (the kubelet creates the Node with status filled in)
    }


}
