package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceStrategy;

import java.util.List;
import java.util.Map;

/** core/v1 Events: selectable by the object they are about (kubectl describe asks for involvedObject.*). */
public class EventStrategy implements ResourceStrategy {
    private static final List<String> FIELDS = List.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
            "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");

    @Override
    public boolean allowCreateOnUpdate() { return true; }

    @Override
    public List<String> selectableFieldNames() { return FIELDS; }

    @Override
    public Map<String, String> selectableFields(ObjectNode object) {
        Map<String, String> f = DefaultStrategy.fieldValues(object, FIELDS);
        f.put("source", object.path("source").path("component").asText(""));
        return f;
    }
}
