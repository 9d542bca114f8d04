package kubefake.store.registry.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import kubefake.store.registry.errors.FieldPath;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fieldPath} of an {@code x-kubernetes-validations} rule: a relative JSON path of field and
 * {@code ['quoted']} map accessors ({@code .spec.replicas}, {@code .labels['app.kubernetes.io/name']}), which
 * must name a field of the rule's schema (apiextensions' {@code ValidFieldPath}).
 */
final class RuleFieldPath {
    private RuleFieldPath() {
    }

    /** Why the path does not fit the schema, or null when it does. */
    static String problem(String path, JsonNode schema) {
        List<String> steps;
        try {
            steps = steps(path);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        JsonNode s = schema;
        for (String step : steps) {
            if (s.path("properties").size() > 0) {
                if (!s.path("properties").has(step)) return "does not refer to a valid field";
                s = s.path("properties").get(step);
            } else if (s.path("additionalProperties").isObject()) {
                s = s.get("additionalProperties");
            } else {
                return "does not refer to a valid field";
            }
        }
        return null;
    }

    /** The field path of a failed rule: the rule's place followed by its fieldPath (map keys as {@code [key]}). */
    static FieldPath append(FieldPath base, String path) {
        FieldPath p = base;
        for (String step : steps(path)) p = p == null ? FieldPath.of(step) : p.child(step);
        return p;
    }

    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') end++;
                if (end == i + 1) throw new IllegalArgumentException("unexpected end of JSON path");
                steps.add(path.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                if (i + 1 >= path.length() || path.charAt(i + 1) != '\'') {
                    throw new IllegalArgumentException("expected single quoted string but got " + path.substring(i + 1));
                }
                int close = path.indexOf("']", i + 2);
                if (close < 0) throw new IllegalArgumentException("unexpected end of JSON path");
                steps.add(path.substring(i + 2, close).replace("\\'", "'"));
                i = close + 2;
            } else {
                int end = i;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') end++;
                throw new IllegalArgumentException("expected [ or . but got: " + path.substring(i, end));
            }
        }
        return steps;
    }
}
