package kubefake.client.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.Json;
import kubefake.store.registry.selection.LabelRequirement;
import kubefake.store.registry.selection.LabelRequirement.Operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A core/v1 NodeSelector (node affinity's terms) as {@code component-helpers}' LazyErrorNodeSelector reads it: the
 * terms are ORed, the requirements of a term ANDed; {@code matchExpressions} test the node's labels (In, NotIn,
 * Exists, DoesNotExist, Gt, Lt), {@code matchFields} its {@code metadata.name} (In, NotIn with one value). An empty
 * term matches nothing; a malformed term matches nothing either, and the others still count.
 */
public final class NodeSelector {
    /** One parsed term: null lists when that part is absent; invalid when it could not be parsed. */
    record Term(List<LabelRequirement> labels, List<FieldRequirement> fields, boolean invalid) {
        boolean matches(Map<String, String> nodeLabels, String nodeName) {
            if (invalid) return false;
            if (labels != null) {
                for (LabelRequirement r : labels) if (!r.matches(nodeLabels)) return false;
            }
            if (fields != null && !nodeName.isEmpty()) {
                for (FieldRequirement r : fields) if (!r.matches(nodeName)) return false;
            }
            return true;
        }
    }

    /** A matchFields requirement: only metadata.name has a value on a node. */
    record FieldRequirement(String key, boolean in, String value) {
        boolean matches(String nodeName) {
            String actual = key.equals("metadata.name") ? nodeName : "";
            return in == actual.equals(value);
        }
    }

    private final List<Term> terms;

    private NodeSelector(List<Term> terms) {
        this.terms = terms;
    }

    /** A NodeSelector object ({@code nodeSelectorTerms}). */
    public static NodeSelector fromJson(JsonNode selector) {
        List<Term> terms = new ArrayList<>();
        for (JsonNode term : selector.path("nodeSelectorTerms")) {
            if (term.path("matchExpressions").isEmpty() && term.path("matchFields").isEmpty()) continue;
            terms.add(parseTerm(term));
        }
        return new NodeSelector(terms);
    }

    static Term parseTerm(JsonNode term) {
        List<LabelRequirement> labels = null;
        List<FieldRequirement> fields = null;
        boolean invalid = false;
        if (!term.path("matchExpressions").isEmpty()) {
            labels = new ArrayList<>();
            for (JsonNode expr : term.path("matchExpressions")) {
                LabelRequirement r = labelRequirement(expr);
                if (r == null) invalid = true;
                else labels.add(r);
            }
        }
        if (!term.path("matchFields").isEmpty()) {
            fields = new ArrayList<>();
            for (JsonNode expr : term.path("matchFields")) {
                String op = Json.text(expr, "operator");
                JsonNode values = expr.path("values");
                if (!(op.equals("In") || op.equals("NotIn")) || values.size() != 1) {
                    invalid = true;
                    continue;
                }
                fields.add(new FieldRequirement(Json.text(expr, "key"), op.equals("In"), values.get(0).asText()));
            }
        }
        return new Term(labels, fields, invalid);
    }

    /** A node selector requirement on labels, or null when it is malformed (as {@code labels.NewRequirement} refuses it). */
    private static LabelRequirement labelRequirement(JsonNode expr) {
        List<String> values = new ArrayList<>();
        expr.path("values").forEach(v -> values.add(v.asText()));
        Operator op = switch (Json.text(expr, "operator")) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            case "Gt" -> Operator.GREATER_THAN;
            case "Lt" -> Operator.LESS_THAN;
            default -> null;
        };
        if (op == null) return null;
        boolean ok = switch (op) {
            case IN, NOT_IN -> !values.isEmpty();
            case EXISTS, DOES_NOT_EXIST -> values.isEmpty();
            case GREATER_THAN, LESS_THAN -> values.size() == 1 && isInteger(values.get(0));
            default -> false;
        };
        return ok ? new LabelRequirement(Json.text(expr, "key"), op, values) : null;
    }

    private static boolean isInteger(String s) {
        try {
            Long.parseLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether one of the terms matches the node. */
    public boolean matches(JsonNode node) {
        return matches(Labels.of(node), Json.text(node.path("metadata"), "name"));
    }

    public boolean matches(Map<String, String> nodeLabels, String nodeName) {
        for (Term t : terms) if (t.matches(nodeLabels, nodeName)) return true;
        return false;
    }
}
