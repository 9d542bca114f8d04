package kubefake.store.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ownership of an object's fields, as {@code metadata.managedFields} records it: per manager its field set, the
 * API version the set is in, and the time of its last change. Decoded from and encoded to the entries in the real
 * server's order (Apply before Update, then by time, manager, version, subresource).
 */
public final class ManagedFields {
    /**
     * One manager's entry. {@code time} is RFC 3339 to the second, or null. {@code fieldsV1} is the stored FieldsV1 of
     * exactly {@code fields}, kept so that an entry a write leaves alone is written back as it was read instead of
     * encoded again; null when the set is new.
     */
    public record Entry(FieldSet fields, String apiVersion, String time, JsonNode fieldsV1) {
        public Entry(FieldSet fields, String apiVersion, String time) {
            this(fields, apiVersion, time, null);
        }

        /** The same fields (and their stored FieldsV1) at another version and time. */
        Entry at(String apiVersion, String time) {
            return new Entry(fields, apiVersion, time, fieldsV1);
        }
    }

    private final Map<ManagerKey, Entry> entries = new LinkedHashMap<>();

    public Map<ManagerKey, Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public ManagedFields copy() {
        ManagedFields m = new ManagedFields();
        entries.forEach((k, v) -> m.entries.put(k, new Entry(v.fields().copy(), v.apiVersion(), v.time(), v.fieldsV1())));
        return m;
    }

    /**
     * Reads {@code metadata.managedFields}; an absent or null list is empty.
     *
     * @throws IllegalArgumentException when an entry is not valid (unknown operation, fieldsType, bad FieldsV1)
     */
    public static ManagedFields decode(JsonNode list) {
        return decode(list, false);
    }

    /**
     * As {@link #decode(JsonNode)}, keeping each entry's FieldsV1 to be written back unchanged: only for a stored
     * object's entries, which the server encoded itself (a request's are encoded again, in the canonical form).
     */
    static ManagedFields decodeStored(JsonNode list) {
        return decode(list, true);
    }

    private static ManagedFields decode(JsonNode list, boolean keepFieldsV1) {
        ManagedFields m = new ManagedFields();
        if (list == null || list.isNull() || list.isMissingNode()) return m;
        if (!list.isArray()) throw new IllegalArgumentException("managedFields must be a list");
        for (JsonNode e : list) {
            String operation = e.path("operation").asText("");
            if (!operation.equals(ManagerKey.APPLY) && !operation.equals(ManagerKey.UPDATE)) {
                throw new IllegalArgumentException("unknown operation \"" + operation + "\"");
            }
            String fieldsType = e.path("fieldsType").asText("");
            if (!fieldsType.equals("FieldsV1")) throw new IllegalArgumentException("invalid fieldsType \"" + fieldsType + "\"");
            JsonNode fieldsV1 = e.get("fieldsV1");
            boolean present = fieldsV1 != null && !fieldsV1.isNull();
            FieldSet set = present ? FieldsV1.fromJson(fieldsV1) : new FieldSet();
            String apiVersion = e.path("apiVersion").asText("");
            ManagerKey key = new ManagerKey(e.path("manager").asText(""), operation, apiVersion, e.path("subresource").asText(""));
            String time = e.hasNonNull("time") ? e.get("time").asText() : null;
            m.entries.put(key, new Entry(set, apiVersion, time, keepFieldsV1 && present ? fieldsV1 : null));
        }
        return m;
    }

    /** The entries as {@code metadata.managedFields} holds them; null when there are none. */
    public ArrayNode encode() {
        if (entries.isEmpty()) return null;
        List<Map.Entry<ManagerKey, Entry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.<Map.Entry<ManagerKey, Entry>, String>comparing(e -> e.getKey().operation())
                .thenComparing(e -> e.getValue().time() == null ? "" : e.getValue().time())
                .thenComparing(e -> e.getKey().manager())
                .thenComparing(e -> e.getValue().apiVersion())
                .thenComparing(e -> e.getKey().subresource()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Map.Entry<ManagerKey, Entry> e : sorted) {
            ObjectNode o = out.addObject();
            o.put("manager", e.getKey().manager());
            o.put("operation", e.getKey().operation());
            o.put("apiVersion", e.getValue().apiVersion());
            if (e.getValue().time() != null) o.put("time", e.getValue().time());
            o.put("fieldsType", "FieldsV1");
            JsonNode kept = e.getValue().fieldsV1();
            o.set("fieldsV1", kept != null ? kept : FieldsV1.toJson(e.getValue().fields()));
            if (!e.getKey().subresource().isEmpty()) o.put("subresource", e.getKey().subresource());
        }
        return out;
    }

    /** Whether a request's list asks for managedFields to be reset: {@code []}, or one entry with nothing set. */
    public static boolean isReset(JsonNode list) {
        if (list == null || !list.isArray()) return false;
        if (list.isEmpty()) return true;
        return list.size() == 1 && list.get(0).isObject() && list.get(0).isEmpty();
    }
}
