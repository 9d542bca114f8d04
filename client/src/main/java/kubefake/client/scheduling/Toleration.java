package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pod's toleration (core/v1 Toleration). {@code tolerationSeconds} is null when the toleration lasts forever.
 */
public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {
    public static final String EXISTS = "Exists";
    public static final String EQUAL = "Equal";

    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null ? "" : operator;
        value = value == null ? "" : value;
        effect = effect == null ? "" : effect;
    }

    /** {@code operator: Exists} for a key and effect, forever (what the DaemonSet controller adds). */
    public static Toleration exists(String key, String effect) {
        return new Toleration(key, EXISTS, "", effect, null);
    }

    public static Toleration fromJson(JsonNode t) {
        JsonNode seconds = t.get("tolerationSeconds");
        return new Toleration(Json.text(t, "key"), Json.text(t, "operator"), Json.text(t, "value"), Json.text(t, "effect"),
                seconds == null || seconds.isNull() ? null : seconds.asLong());
    }

    /** The pod's spec.tolerations. */
    public static List<Toleration> ofPod(JsonNode pod) {
        return ofSpec(pod.path("spec"));
    }

    /** A pod spec's tolerations (also a pod template's). */
    public static List<Toleration> ofSpec(JsonNode spec) {
        List<Toleration> out = new ArrayList<>();
        for (JsonNode t : spec.path("tolerations")) out.add(fromJson(t));
        return out;
    }

    /**
     * Whether this toleration tolerates the taint ({@code Toleration.ToleratesTaint}): an empty effect matches every
     * effect, an empty key with Exists every key; Equal (or no operator) compares the values.
     */
    public boolean toleratesTaint(Taint taint) {
        if (!effect.isEmpty() && !effect.equals(taint.effect())) return false;
        if (!key.isEmpty() && !key.equals(taint.key())) return false;
        return switch (operator) {
            case "", EQUAL -> value.equals(taint.value());
            case EXISTS -> true;
            default -> false;
        };
    }

    /** Same key, operator, value and effect ({@code Toleration.MatchToleration}); the seconds may differ. */
    public boolean sameAs(Toleration other) {
        return key.equals(other.key) && operator.equals(other.operator) && value.equals(other.value)
                && effect.equals(other.effect);
    }

    /** As the API writes it: key, operator, value, effect, tolerationSeconds; empty ones left out. */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (!key.isEmpty()) o.put("key", key);
        if (!operator.isEmpty()) o.put("operator", operator);
        if (!value.isEmpty()) o.put("value", value);
        if (!effect.isEmpty()) o.put("effect", effect);
        if (tolerationSeconds != null) o.put("tolerationSeconds", tolerationSeconds);
        return o;
    }

    boolean equalsIncludingSeconds(Toleration other) {
        return sameAs(other) && Objects.equals(tolerationSeconds, other.tolerationSeconds);
    }
}
