package kubefake.store.registry.selection;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.GoFormat;
import kubefake.store.registry.errors.StatusException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A label selector: the AND of {@link LabelRequirement}s. Built from the query syntax of {@code ?labelSelector=}
 * ({@link #parse}) or from a {@code metav1.LabelSelector} object ({@link #fromJson}). Parse errors carry the real
 * server's messages and are thrown as 400 BadRequest.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), true);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), false);

    private final List<LabelRequirement> requirements;
    private final boolean selectable;

    private LabelSelector(List<LabelRequirement> requirements, boolean selectable) {
        this.requirements = List.copyOf(requirements);
        this.selectable = selectable;
    }

    /** The selector that matches every object. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** The selector that matches no object (a null {@code metav1.LabelSelector}). */
    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** A selector from requirements, sorted by key as the Go parser sorts them. */
    public static LabelSelector of(List<LabelRequirement> requirements) {
        List<LabelRequirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(LabelRequirement::key));
        return new LabelSelector(sorted, true);
    }

    /**
     * Parses the string syntax ({@code a=b,c!=d,e in (f,g),h notin (i),j,!k}).
     *
     * @throws StatusException 400 BadRequest with the message of apimachinery's {@code labels.Parse}
     */
    public static LabelSelector parse(String selector) {
        // no selector (every list and watch without one, the admission plugins' own lists on each write)
        if (selector == null || selector.isEmpty()) return EVERYTHING;
        try {
            return of(new LabelSelectorParser(selector == null ? "" : selector).parse());
        } catch (LabelSelectorParser.ParseError e) {
            throw StatusException.badRequest(e.getMessage());
        }
    }

    /**
     * Converts a {@code metav1.LabelSelector} ({@code matchLabels}, {@code matchExpressions}) the way
     * {@code LabelSelectorAsSelector} does: null or missing matches nothing, an empty selector everything.
     *
     * @throws StatusException 400 BadRequest when an expression is malformed
     */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return NOTHING;
        }
        JsonNode matchLabels = selector.path("matchLabels");
        JsonNode matchExpressions = selector.path("matchExpressions");
        if (matchLabels.size() + matchExpressions.size() == 0) {
            return EVERYTHING;
        }
        List<LabelRequirement> reqs = new ArrayList<>();
        try {
            for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                reqs.add(LabelRequirement.create(e.getKey(), LabelRequirement.Operator.EQUALS,
                        List.of(e.getValue().asText()), null));
            }
            for (JsonNode expr : matchExpressions) {
                String op = expr.path("operator").asText();
                LabelRequirement.Operator operator = switch (op) {
                    case "In" -> LabelRequirement.Operator.IN;
                    case "NotIn" -> LabelRequirement.Operator.NOT_IN;
                    case "Exists" -> LabelRequirement.Operator.EXISTS;
                    case "DoesNotExist" -> LabelRequirement.Operator.DOES_NOT_EXIST;
                    default -> throw new LabelSelectorParser.ParseError(
                            GoFormat.quote(op)
                                    + " is not a valid label selector operator");
                };
                List<String> values = new ArrayList<>();
                expr.path("values").forEach(v -> values.add(v.asText()));
                // LabelSelectorAsSelector de-duplicates and sorts the values.
                reqs.add(LabelRequirement.create(expr.path("key").asText(), operator,
                        new ArrayList<>(new TreeSet<>(values)), null));
            }
        } catch (LabelSelectorParser.ParseError e) {
            throw StatusException.badRequest(e.getMessage());
        }
        return of(reqs);
    }

    /** The requirements, sorted by key. Empty for {@link #everything()} and {@link #nothing()}. */
    public List<LabelRequirement> requirements() {
        return requirements;
    }

    /** True when the selector restricts nothing. */
    public boolean isEverything() {
        return selectable && requirements.isEmpty();
    }

    /** True for the selector that matches nothing. */
    public boolean isNothing() {
        return !selectable;
    }

    /** Whether labels (null meaning none) satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        if (!selectable) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (LabelRequirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a {@code metadata.labels} JSON object (null or missing meaning none) satisfies the selector. */
    public boolean matches(JsonNode labels) {
        return matches(LabelRequirement.toMap(labels));
    }

    /** The canonical string form, e.g. {@code app=web,tier in (a,b)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (LabelRequirement r : requirements) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r);
        }
        return b.toString();
    }
}
