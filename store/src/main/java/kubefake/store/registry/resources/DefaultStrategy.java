package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.ResourceStrategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A resource with no rules of its own (ConfigMap, ServiceAccount, ...), optionally with extra selectable fields. */
public class DefaultStrategy implements ResourceStrategy {
    private final List<String> fields;
    private final boolean createOnUpdate;
    private final boolean generation;

    public DefaultStrategy() {
        this(List.of(), false, false);
    }

    private DefaultStrategy(List<String> fields, boolean createOnUpdate, boolean generation) {
        this.fields = fields;
        this.createOnUpdate = createOnUpdate;
        this.generation = generation;
    }

    /** Field selectors on these top-level paths (e.g. Secret's "type"). */
    public static DefaultStrategy withFields(String... fields) {
        return new DefaultStrategy(List.of(fields), false, false);
    }

    public static DefaultStrategy createOnUpdate() {
        return new DefaultStrategy(List.of(), true, false);
    }

    public static DefaultStrategy withGeneration() {
        return new DefaultStrategy(List.of(), false, true);
    }

    @Override
    public boolean allowCreateOnUpdate() { return createOnUpdate; }

    @Override
    public boolean tracksGeneration() { return generation; }

    @Override
    public List<String> selectableFieldNames() { return fields; }

    @Override
    public Map<String, String> selectableFields(ObjectNode object) {
        return fieldValues(object, fields);
    }

    /** The values of dotted paths like "spec.nodeName" ("" when absent; booleans and numbers as text). */
    static Map<String, String> fieldValues(ObjectNode object, List<String> paths) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : paths) {
            JsonNode n = object;
            for (String part : p.split("\\.")) n = n == null ? null : n.get(part);
            out.put(p, n == null || n.isNull() || n.isContainerNode() ? "" : n.asText());
        }
        return out;
    }
}
