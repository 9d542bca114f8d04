package kubefake.server.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The part of Kubernetes' JSONPath that CRD printer columns use: {@code .field},
 * {@code ['dotted.key']}, {@code [0]}, {@code [-1]}, {@code [1:3]}, {@code [*]}, {@code .*},
 * {@code ..field} and filters such as {@code [?(@.type=="Ready")]}. Missing keys and indexes
 * yield no match rather than an error, as {@code AllowMissingKeys(true)} does.
 */
final class JsonPath {

    /** One step of a path: from each input node to the nodes it selects. */
    @FunctionalInterface
    private interface Step {
        void select(JsonNode input, List<JsonNode> output);
    }

    private final List<Step> steps;

    private JsonPath(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * @throws IllegalArgumentException when the expression is not in the supported subset
     */
    static JsonPath compile(String expression) {
        String path = expression.strip();
        if (path.startsWith("{") && path.endsWith("}")) {
            path = path.substring(1, path.length() - 1).strip();
        }
        if (path.startsWith("$")) {
            path = path.substring(1);
        }
        return new JsonPath(new Parser(path).steps());
    }

    /** Every node the path selects, in document order. */
    List<JsonNode> find(JsonNode root) {
        List<JsonNode> current = new ArrayList<>(List.of(root));
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                step.select(node, next);
            }
            current = next;
        }
        return current;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        List<Step> steps() {
            List<Step> steps = new ArrayList<>();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (text.startsWith("..", pos)) {
                    pos += 2;
                    String name = name();
                    steps.add((in, out) -> descendants(in, name, out));
                } else if (c == '.') {
                    pos++;
                    if (pos < text.length() && text.charAt(pos) == '*') {
                        pos++;
                        steps.add(JsonPath::children);
                    } else if (pos < text.length() && text.charAt(pos) != '[') {
                        String name = name();
                        steps.add((in, out) -> field(in, name, out));
                    }
                } else if (c == '[') {
                    steps.add(bracket());
                } else {
                    String name = name();
                    steps.add((in, out) -> field(in, name, out));
                }
            }
            return steps;
        }

        /** A field name, up to the next unescaped '.' or '['; {@code \.} stands for a dot. */
        private String name() {
            StringBuilder name = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\' && pos + 1 < text.length()) {
                    name.append(text.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                if (c == '.' || c == '[') {
                    break;
                }
                if (c == ']' || c == '(' || c == ')' || Character.isWhitespace(c)) {
                    throw new IllegalArgumentException("unexpected '" + c + "' in " + text);
                }
                name.append(c);
                pos++;
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("missing field name in " + text);
            }
            return name.toString();
        }

        private Step bracket() {
            int close = closingBracket(pos);
            String inside = text.substring(pos + 1, close).strip();
            pos = close + 1;
            if (inside.startsWith("?(") && inside.endsWith(")")) {
                Filter filter = Filter.parse(inside.substring(2, inside.length() - 1).strip());
                return (in, out) -> {
                    for (JsonNode element : elements(in)) {
                        if (filter.matches(element)) {
                            out.add(element);
                        }
                    }
                };
            }
            if (inside.equals("*")) {
                return JsonPath::children;
            }
            if (inside.startsWith("'") || inside.startsWith("\"")) {
                List<String> names = new ArrayList<>();
                for (String quoted : inside.split(",")) {
                    names.add(unquote(quoted.strip()));
                }
                return (in, out) -> names.forEach(name -> field(in, name, out));
            }
            if (inside.contains(":")) {
                return slice(inside);
            }
            List<Integer> indexes = new ArrayList<>();
            for (String index : inside.split(",")) {
                indexes.add(integer(index.strip()));
            }
            return (in, out) -> {
                if (in.isArray()) {
                    for (int index : indexes) {
                        int i = index < 0 ? in.size() + index : index;
                        if (i >= 0 && i < in.size()) {
                            out.add(in.get(i));
                        }
                    }
                }
            };
        }

        private Step slice(String inside) {
            String[] parts = inside.split(":", -1);
            if (parts.length > 3) {
                throw new IllegalArgumentException("bad slice [" + inside + "]");
            }
            Integer start = parts[0].isBlank() ? null : integer(parts[0].strip());
            Integer end = parts[1].isBlank() ? null : integer(parts[1].strip());
            int step = parts.length == 3 && !parts[2].isBlank() ? integer(parts[2].strip()) : 1;
            if (step <= 0) {
                throw new IllegalArgumentException("bad slice step [" + inside + "]");
            }
            return (in, out) -> {
                if (!in.isArray()) {
                    return;
                }
                int size = in.size();
                int from = start == null ? 0 : Math.max(0, start < 0 ? size + start : Math.min(start, size));
                int to = end == null ? size : Math.max(0, end < 0 ? size + end : Math.min(end, size));
                for (int i = from; i < to; i += step) {
                    out.add(in.get(i));
                }
            };
        }

        private int closingBracket(int open) {
            char quote = 0;
            int depth = 0;
            for (int i = open; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[') {
                    depth++;
                } else if (c == ']' && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unclosed [ in " + text);
        }
    }

    /** {@code @.path}, or {@code @.path OP literal} with ==, !=, <, <=, >, >=. */
    private record Filter(JsonPath left, String operator, String literal, JsonPath rightPath) {

        private static final String[] OPERATORS = {"==", "!=", "<=", ">=", "<", ">"};

        static Filter parse(String expression) {
            char quote = 0;
            for (int i = 0; i < expression.length(); i++) {
                char c = expression.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                    continue;
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                    continue;
                }
                for (String op : OPERATORS) {
                    if (expression.startsWith(op, i)) {
                        JsonPath left = relative(expression.substring(0, i).strip());
                        String right = expression.substring(i + op.length()).strip();
                        if (right.startsWith("@")) {
                            return new Filter(left, op, null, relative(right));
                        }
                        return new Filter(left, op, right.startsWith("'") || right.startsWith("\"")
                                ? unquote(right) : right, null);
                    }
                }
            }
            return new Filter(relative(expression), null, null, null);
        }

        private static JsonPath relative(String path) {
            if (!path.startsWith("@")) {
                throw new IllegalArgumentException("filter must start with @: " + path);
            }
            return new JsonPath(new Parser(path.substring(1)).steps());
        }

        boolean matches(JsonNode element) {
            List<JsonNode> found = left.find(element);
            if (operator == null) {
                return !found.isEmpty() && !found.get(0).isNull();
            }
            if (found.isEmpty()) {
                return false;
            }
            JsonNode value = found.get(0);
            String other;
            if (rightPath != null) {
                List<JsonNode> right = rightPath.find(element);
                if (right.isEmpty()) {
                    return false;
                }
                other = right.get(0).asText();
            } else {
                other = literal;
            }
            int comparison = compare(value.asText(), other);
            return switch (operator) {
                case "==" -> comparison == 0;
                case "!=" -> comparison != 0;
                case "<" -> comparison < 0;
                case "<=" -> comparison <= 0;
                case ">" -> comparison > 0;
                default -> comparison >= 0;
            };
        }

        /** Numerically when both sides are numbers, else as text. */
        private static int compare(String a, String b) {
            try {
                return new BigDecimal(a).compareTo(new BigDecimal(b));
            } catch (NumberFormatException e) {
                return a.compareTo(b);
            }
        }
    }

    private static void field(JsonNode in, String name, List<JsonNode> out) {
        if (in.isObject() && in.has(name)) {
            out.add(in.get(name));
        }
    }

    private static void children(JsonNode in, List<JsonNode> out) {
        in.elements().forEachRemaining(out::add);
    }

    /** The node itself and everything below it, looking for objects with this field. */
    private static void descendants(JsonNode in, String name, List<JsonNode> out) {
        if (in.isObject() && in.has(name)) {
            out.add(in.get(name));
        }
        for (Iterator<JsonNode> it = in.elements(); it.hasNext(); ) {
            descendants(it.next(), name, out);
        }
    }

    private static List<JsonNode> elements(JsonNode in) {
        List<JsonNode> elements = new ArrayList<>();
        if (in.isContainerNode()) {
            in.elements().forEachRemaining(elements::add);
        }
        return elements;
    }

    private static String unquote(String quoted) {
        if (quoted.length() < 2 || quoted.charAt(quoted.length() - 1) != quoted.charAt(0)) {
            throw new IllegalArgumentException("bad quoted string " + quoted);
        }
        return quoted.substring(1, quoted.length() - 1);
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad index [" + text + "]", e);
        }
    }
}
