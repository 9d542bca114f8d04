package kubefake.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code intstr.GetScaledValueFromIntOrPercent}: an int, or a percentage of a total rounded up or down. */
final class IntOrPercent {
    private IntOrPercent() {
    }

    /** The value; a missing one counts as {@code fallback}. */
    static int scaled(JsonNode value, int fallback, int total, boolean roundUp) {
        if (value == null || value.isNull() || value.isMissingNode()) return fallback;
        if (value.isNumber()) return value.asInt();
        String s = value.asText();
        if (!s.endsWith("%")) throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        int percent = Integer.parseInt(s.substring(0, s.length() - 1));
        double scaled = percent * (double) total / 100;
        return (int) (roundUp ? Math.ceil(scaled) : Math.floor(scaled));
    }
}
