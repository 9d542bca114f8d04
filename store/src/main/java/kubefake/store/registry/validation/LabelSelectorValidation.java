package kubefake.store.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.errors.GoLiteral;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validation of a {@code metav1.LabelSelector} object ({@code ValidateLabelSelector}) and its rendering as Go
 * prints a {@code *LabelSelector} inside messages ({@code &LabelSelector{MatchLabels:map[string]string{app:
 * web,},MatchExpressions:[]LabelSelectorRequirement{},}}).
 */
public final class LabelSelectorValidation {

    private LabelSelectorValidation() {
    }

    /** matchLabels as labels, each matchExpression's key, operator and values. */
    public static List<FieldError> validate(JsonNode selector, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (!Json.present(selector)) {
            return errs;
        }
        errs.addAll(ObjectMetaValidation.validateLabels(Json.stringMap(selector.get("matchLabels")),
                path.child("matchLabels")));
        int i = 0;
        for (JsonNode expr : selector.path("matchExpressions")) {
            FieldPath idx = path.child("matchExpressions").index(i++);
            String op = Json.text(expr, "operator");
            int values = expr.path("values").size();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errs.add(FieldError.required(idx.child("values"),
                                "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errs.add(FieldError.forbidden(idx.child("values"),
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errs.add(FieldError.invalid(idx.child("operator"), op, "not a valid selector operator"));
            }
            errs.addAll(ObjectMetaValidation.validateLabelName(Json.text(expr, "key"), idx.child("key")));
            int v = 0;
            for (JsonNode value : expr.path("values")) {
                for (String msg : Formats.isValidLabelValue(value.asText())) {
                    errs.add(FieldError.invalid(idx.child("values").index(v), value.asText(), msg));
                }
                v++;
            }
        }
        return errs;
    }

    /** The selector as Go's generated {@code (*LabelSelector).String()} prints it. */
    public static GoLiteral render(JsonNode selector) {
        if (!Json.present(selector)) {
            return new GoLiteral("nil");
        }
        StringBuilder b = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
        Map<String, String> labels = Json.stringMap(selector.get("matchLabels"));
        if (labels != null) {
            for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
                b.append(e.getKey()).append(": ").append(e.getValue()).append(',');
            }
        }
        b.append("},MatchExpressions:[]LabelSelectorRequirement{");
        for (JsonNode expr : selector.path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            b.append("LabelSelectorRequirement{Key:").append(Json.text(expr, "key"))
                    .append(",Operator:").append(Json.text(expr, "operator"))
                    .append(",Values:[").append(String.join(" ", values)).append("],},");
        }
        return new GoLiteral(b.append("},}").toString());
    }
}
