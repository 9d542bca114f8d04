package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints a {@code metav1.LabelSelector} the way Kubernetes' {@code labels.Selector.String()} does:
 * requirements sorted by key, {@code k=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k},
 * {@code !k}.
 */
final class LabelSelectors {

    private LabelSelectors() {
    }

    /**
     * {@code metav1.FormatLabelSelector}: {@code <none>} for a missing or empty selector,
     * {@code <error>} for an invalid one.
     */
    static String formatOrNone(JsonNode selector) {
        Optional<String> text = selectorString(selector);
        if (text.isEmpty()) {
            return "<error>";
        }
        return text.get().isEmpty() ? Formats.NONE : text.get();
    }

    /** The selector's string as a Deployment row shows it: empty when it selects everything. */
    static String formatOrInvalid(JsonNode selector) {
        return selectorString(selector).orElse("<invalid>");
    }

    /** The selector's string, or empty when it is invalid. */
    static Optional<String> selectorString(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return Optional.of("");
        }
        record Requirement(String key, String text) {
        }
        List<Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, String> label : Fields.stringMap(selector, "matchLabels").entrySet()) {
            requirements.add(new Requirement(label.getKey(), label.getKey() + "=" + label.getValue()));
        }
        for (JsonNode expression : Fields.list(selector, "matchExpressions")) {
            String key = Fields.text(expression, "key");
            List<String> values = new ArrayList<>();
            Fields.list(expression, "values").forEach(v -> values.add(v.asText()));
            values.sort(Comparator.naturalOrder());
            String operator = Fields.text(expression, "operator");
            String text;
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        return Optional.empty();
                    }
                    String word = operator.equals("In") ? " in (" : " notin (";
                    text = key + word + String.join(",", values) + ")";
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        return Optional.empty();
                    }
                    text = operator.equals("Exists") ? key : "!" + key;
                }
                default -> {
                    return Optional.empty();
                }
            }
            requirements.add(new Requirement(key, text));
        }
        requirements.sort(Comparator.comparing(Requirement::key)); // stable, like Go's small-slice sort
        return Optional.of(String.join(",", requirements.stream().map(Requirement::text).toList()));
    }
}
