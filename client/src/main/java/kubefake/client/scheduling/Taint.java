package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's taint (core/v1 Taint). {@code timeAdded} is kept as the text the API carries (only NoExecute taints have
 * one that matters), or null.
 */
public record Taint(String key, String value, String effect, String timeAdded) {
    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    /** The taints the node lifecycle controller and kubeadm put on nodes (core/v1 well_known_taints.go). */
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    public static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    public static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    public static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    public static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
    public static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";
    /** kubeadm's taint of control-plane nodes. */
    public static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

    public Taint {
        key = key == null ? "" : key;
        value = value == null ? "" : value;
        effect = effect == null ? "" : effect;
    }

    /** A taint without value or time. */
    public static Taint of(String key, String effect) {
        return new Taint(key, "", effect, null);
    }

    public static Taint fromJson(JsonNode t) {
        JsonNode time = t.get("timeAdded");
        return new Taint(Json.text(t, "key"), Json.text(t, "value"), Json.text(t, "effect"),
                time == null || time.isNull() ? null : time.asText());
    }

    /** The node's spec.taints. */
    public static List<Taint> ofNode(JsonNode node) {
        List<Taint> out = new ArrayList<>();
        for (JsonNode t : node.path("spec").path("taints")) out.add(fromJson(t));
        return out;
    }

    /** Same key and effect: the same taint as far as adding and removing go ({@code Taint.MatchTaint}). */
    public boolean matches(Taint other) {
        return key.equals(other.key) && effect.equals(other.effect);
    }

    public Taint withTimeAdded(String time) {
        return new Taint(key, value, effect, time);
    }

    /** As the API writes it: key, value, effect, timeAdded; empty ones left out. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("key", key);
        if (!value.isEmpty()) o.put("value", value);
        o.put("effect", effect);
        if (timeAdded != null) o.put("timeAdded", timeAdded);
        return o;
    }

    /** {@code Taint.ToString}: {@code key=value:effect}, parts left out when empty. */
    @Override
    public String toString() {
        if (value.isEmpty()) return key + ":" + effect;
        return key + "=" + value + ":" + effect;
    }
}
