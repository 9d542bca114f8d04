package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import kubefake.store.registry.selection.FieldLabels;
import com.fasterxml.jackson.databind.node.ObjectNode;


/** Nodes: cluster scoped, status written by the kubelet through nodes/status. */
public class NodeStrategy extends StatusStrategy {
    public NodeStrategy() {
        super(KindRules.metadataOnly(false).withFieldLabels(FieldLabels.NODE));
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        // a node registers itself with its status (the kubelet creates the Node with status filled in)
    }


}
