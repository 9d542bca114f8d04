package kubefake.nodesim.lifecycle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which pods or containers a stage applies to: {@code matchExpressions} over their facts (as kwok's Stages select
 * over an object's fields), all of which must hold. A fact is a string ("true"/"false" for yes-no facts) or absent.
 */
public record Selector(List<Requirement> matchExpressions) {
    public static final Selector EVERYTHING = new Selector(List.of());

    @JsonCreator
    static Selector fromYaml(@JsonProperty("matchExpressions") List<Requirement> matchExpressions,
                             @JsonProperty("matchFacts") Map<String, String> matchFacts) {
        List<Requirement> all = new java.util.ArrayList<>();
        if (matchExpressions != null) all.addAll(matchExpressions);
        if (matchFacts != null) matchFacts.forEach((k, v) -> all.add(new Requirement(k, Operator.In, List.of(v))));
        return new Selector(List.copyOf(all));
    }

    public boolean matches(Function<String, String> facts) {
        for (Requirement r : matchExpressions) if (!r.matches(facts.apply(r.key()))) return false;
        return true;
    }

    public enum Operator { In, NotIn, Exists, DoesNotExist }

    public record Requirement(String key, Operator operator, List<String> values) {
        @JsonCreator
        static Requirement fromYaml(@JsonProperty(value = "key", required = true) String key,
                                    @JsonProperty(value = "operator", required = true) Operator operator,
                                    @JsonProperty("values") List<String> values) {
            List<String> v = values == null ? List.of() : List.copyOf(values);
            if ((operator == Operator.In || operator == Operator.NotIn) && v.isEmpty()) {
                throw new IllegalArgumentException("selector on " + key + ": " + operator + " needs values");
            }
            if (!Facts.isKnown(key)) throw new IllegalArgumentException("selector on an unknown fact: " + key + " (known: " + Facts.KNOWN + ")");
            return new Requirement(key, operator, v);
        }

        boolean matches(String value) {
            return switch (operator) {
                case In -> value != null && values.contains(value);
                case NotIn -> value == null || !values.contains(value);
                case Exists -> value != null;
                case DoesNotExist -> value == null;
            };
        }
    }
}
