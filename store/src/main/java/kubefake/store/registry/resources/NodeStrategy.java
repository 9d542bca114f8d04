package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Nodes: cluster scoped, status written by the kubelet through nodes/status. */
public class NodeStrategy extends StatusStrategy {
    @Override
    public void prepareForCreate(ObjectNode object) {
        // a node registers itself with its status (the kubelet creates the Node with status filled in)
    }

    @Override
    public List<String> selectableFieldNames() { return List.of("spec.unschedulable"); }

    @Override
    public Map<String, String> selectableFields(ObjectNode object) {
        Map<String, String> f = DefaultStrategy.fieldValues(object, selectableFieldNames());
        if (f.get("spec.unschedulable").isEmpty()) f.put("spec.unschedulable", "false");
        return f;
    }
}
