package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The FieldsV1 form of a {@link FieldSet}, as {@code metadata.managedFields[].fieldsV1} carries it: a JSON object per
 * node, one key per element ({@code f:}, {@code k:}, {@code v:}, {@code i:}) in element order, an empty object for a
 * member, and {@code "."} first where a path is a member and has children too.
 */
public final class FieldsV1 {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FieldsV1() {
    }

    public static ObjectNode toJson(FieldSet set) {
        return emit(set, false);
    }

    private static ObjectNode emit(FieldSet set, boolean self) {
        ObjectNode out = NODES.objectNode();
        if (self) out.putObject(".");
        Iterator<PathElement> m = set.members().iterator();
        Iterator<Map.Entry<PathElement, FieldSet>> c = set.children().entrySet().iterator();
        PathElement nm = m.hasNext() ? m.next() : null;
        Map.Entry<PathElement, FieldSet> nc = c.hasNext() ? c.next() : null;
        while (nm != null || nc != null) {
            int cmp = nm == null ? 1 : nc == null ? -1 : nm.compareTo(nc.getKey());
            if (cmp < 0) {
                out.putObject(nm.serialize());
                nm = m.hasNext() ? m.next() : null;
            } else if (cmp > 0) {
                out.set(nc.getKey().serialize(), emit(nc.getValue(), false));
                nc = c.hasNext() ? c.next() : null;
            } else {
                out.set(nc.getKey().serialize(), emit(nc.getValue(), true));
                nm = m.hasNext() ? m.next() : null;
                nc = c.hasNext() ? c.next() : null;
            }
        }
        return out;
    }

    /** Reads FieldsV1 JSON; IllegalArgumentException when it is not FieldsV1. */
    public static FieldSet fromJson(JsonNode json) {
        if (json == null || !json.isObject()) throw new IllegalArgumentException("FieldsV1 must be a JSON object");
        FieldSet set = new FieldSet();
        read(json, set, null);
        return set;
    }

    private static void read(JsonNode json, FieldSet parent, PathElement at) {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) throw new IllegalArgumentException("FieldsV1 values must be objects");
            if (e.getKey().equals(".")) {
                if (at == null) throw new IllegalArgumentException("\".\" at the top of FieldsV1");
                parent.members().add(at);
                continue;
            }
            PathElement pe = PathElement.parse(e.getKey());
            if (e.getValue().isEmpty()) {
                (at == null ? parent : parent.children().computeIfAbsent(at, k -> new FieldSet())).members().add(pe);
            } else {
                FieldSet node = at == null ? parent : parent.children().computeIfAbsent(at, k -> new FieldSet());
                read(e.getValue(), node, pe);
            }
        }
    }
}
