package kubefake.store.registry.resources;

import kubefake.store.registry.KindRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.List;

/**
 * events.k8s.io/v1 Events, stored as core/v1 Events (as in a real cluster, both APIs list the same events): the
 * fields that were renamed in events.k8s.io are converted on the way in and out.
 */
public class EventsV1Strategy extends EventStrategy {
    /** events.k8s.io registers no field labels of its own. */
    private static final KindRules RULES = KindRules.metadataOnly(true);

    @Override
    public KindRules rules() { return RULES; }

    /** events.k8s.io/v1 field ↔ core/v1 field. */
    private static final List<String[]> RENAMES = List.of(
            new String[] {"regarding", "involvedObject"},
            new String[] {"note", "message"},
            new String[] {"reportingController", "reportingComponent"},
            new String[] {"deprecatedSource", "source"},
            new String[] {"deprecatedFirstTimestamp", "firstTimestamp"},
            new String[] {"deprecatedLastTimestamp", "lastTimestamp"},
            new String[] {"deprecatedCount", "count"});

    @Override
    public ObjectNode fromStorage(ObjectNode core) {
        return rename(core, 1, 0);
    }

    @Override
    public ObjectNode toStorage(ObjectNode v1) {
        return rename(v1, 0, 1);
    }

    private static ObjectNode rename(ObjectNode in, int from, int to) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        in.fields().forEachRemaining(e -> {
            String name = e.getKey();
            for (String[] r : RENAMES) {
                if (r[from].equals(name)) {
                    name = r[to];
                    break;
                }
            }
            JsonNode v = e.getValue();
            out.set(name, v);
        });
        return out;
    }
}
