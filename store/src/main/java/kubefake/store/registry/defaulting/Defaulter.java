package kubefake.store.registry.defaulting;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** TEMPORARY stub until the registry-rules branch lands. */
public interface Defaulter {
    void apply(ObjectNode object);

    static Defaulter forKind(String group, String kind) {
        return o -> { };
    }
}
