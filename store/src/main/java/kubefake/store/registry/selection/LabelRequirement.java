package kubefake.store.registry.selection;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.FieldError;
import kubefake.store.registry.errors.FieldPath;
import kubefake.store.registry.validation.Formats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One term of a label selector: a key, an operator and its values, with apimachinery's
 * {@code labels.Requirement} matching rules (for example {@code !=} and {@code notin} match objects that lack the
 * key).
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

    /** The selector operators, with their spelling in the query syntax. */
    public enum Operator {
        EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="), IN("in"), NOT_IN("notin"), EXISTS("exists"),
        DOES_NOT_EXIST("!"), GREATER_THAN("gt"), LESS_THAN("lt");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** The operator as Go's {@code selection.Operator} string. */
        public String symbol() {
            return symbol;
        }
    }

    public LabelRequirement {
        values = List.copyOf(values);
    }

    /**
     * Validates and builds a requirement like Go's {@code labels.NewRequirement}; {@code path} prefixes the error
     * fields (null for none).
     */
    static LabelRequirement create(String key, Operator op, List<String> values, FieldPath path)
            throws LabelSelectorParser.ParseError {
        List<String> errors = new ArrayList<>();
        FieldPath keyPath = path == null ? FieldPath.of("key") : path.child("key");
        List<String> keyMsgs = Formats.isQualifiedName(key);
        if (!keyMsgs.isEmpty()) {
            errors.add(FieldError.invalid(keyPath, key, String.join("; ", keyMsgs)).toString());
        }
        FieldPath valuesPath = path == null ? FieldPath.of("values") : path.child("values");
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errors.add(FieldError.invalid(valuesPath, values,
                            "for 'in', 'notin' operators, values set can't be empty").toString());
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errors.add(FieldError.invalid(valuesPath, values,
                            "exact-match compatibility requires one single value").toString());
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errors.add(FieldError.invalid(valuesPath, values,
                            "values set must be empty for exists and does not exist").toString());
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errors.add(FieldError.invalid(valuesPath, values,
                            "for 'Gt', 'Lt' operators, exactly one value is required").toString());
                }
                for (int i = 0; i < values.size(); i++) {
                    try {
                        Long.parseLong(values.get(i));
                    } catch (NumberFormatException e) {
                        errors.add(FieldError.invalid(valuesPath.index(i), values.get(i),
                                "for 'Gt', 'Lt' operators, the value must be an integer").toString());
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> msgs = Formats.isValidLabelValue(values.get(i));
            if (!msgs.isEmpty()) {
                errors.add(FieldError.invalid(valuesPath.index(i).key(key), values.get(i),
                        String.join("; ", msgs)).toString());
            }
        }
        if (!errors.isEmpty()) {
            throw new LabelSelectorParser.ParseError(aggregate(errors));
        }
        return new LabelRequirement(key, op, values);
    }

    /** Go's error aggregate: one message alone, several as {@code [a, b]} (duplicates dropped). */
    static String aggregate(List<String> messages) {
        Set<String> unique = new LinkedHashSet<>(messages);
        return unique.size() == 1 ? unique.iterator().next() : "[" + String.join(", ", unique) + "]";
    }

    /** Whether the labels satisfy this requirement. */
    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
            case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
            case EXISTS -> labels.containsKey(key);
            case DOES_NOT_EXIST -> !labels.containsKey(key);
            case GREATER_THAN, LESS_THAN -> {
                if (value == null || values.size() != 1) {
                    yield false;
                }
                try {
                    long actual = Long.parseLong(value);
                    long bound = Long.parseLong(values.get(0));
                    yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
        };
    }

    /** The requirement in query syntax, as Go's {@code Requirement.String()}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (operator == Operator.DOES_NOT_EXIST) {
            b.append('!');
        }
        b.append(key);
        switch (operator) {
            case EQUALS -> b.append('=');
            case DOUBLE_EQUALS -> b.append("==");
            case NOT_EQUALS -> b.append("!=");
            case IN -> b.append(" in ");
            case NOT_IN -> b.append(" notin ");
            case GREATER_THAN -> b.append('>');
            case LESS_THAN -> b.append('<');
            case EXISTS, DOES_NOT_EXIST -> {
                return b.toString();
            }
        }
        boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
        if (set) {
            b.append('(');
        }
        b.append(String.join(",", new TreeSet<>(values)));
        if (set) {
            b.append(')');
        }
        return b.toString();
    }

    /** A {@code metadata.labels} JSON object as a map (empty for null or missing). */
    static Map<String, String> toMap(JsonNode labels) {
        Map<String, String> m = new LinkedHashMap<>();
        if (labels != null && labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        }
        return m;
    }
}
