package kubefake.store.registry.cel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The worst-case cost of an expression before it runs, after cel-go's estimator (checker/cost.go) as the API server
 * uses it for CRD rules: one unit per variable, field selection and call, string scans priced at a tenth of the
 * string's length (a regex match at that times a quarter of the pattern's), comprehensions at their body's cost
 * times the list's length. Lengths come from the schema: {@code maxLength}, {@code maxItems}, {@code maxProperties},
 * else the most a request of 3 MiB could hold (apiextensions' {@code estimateMaxStringLengthPerRequest} and
 * {@code estimateMaxArrayItemsFromMinSize}). It bounds what cel-go bounds; figures may differ from cel-go's in detail.
 */
public final class CostEstimate {
    /** The real limit on one rule's estimated cost (apiextensions' StaticEstimatedCostLimit). */
    public static final long RULE_LIMIT = 10_000_000L;
    /** The real limit on the sum over a CRD schema's rules (StaticEstimatedCRDCostLimit). */
    public static final long SCHEMA_LIMIT = 100_000_000L;
    /** The largest request body the API server reads (3 MiB): what bounds an unbounded string or list. */
    private static final long MAX_REQUEST_BYTES = 3L * 1024 * 1024;

    private final Map<String, JsonNode> variables;

    private CostEstimate(Map<String, JsonNode> variables) {
        this.variables = new HashMap<>(variables);
    }

    /** A node's estimate: its cost, and the schema (when known) and the largest size of its value. */
    private record Est(double cost, JsonNode schema, double size) {
    }

    /**
     * The estimated cost of {@code e} whose variables have the given schemas (a variable not named has an unknown,
     * unbounded value).
     */
    public static long of(CelExpression e, Map<String, JsonNode> variableSchemas) {
        double cost = new CostEstimate(variableSchemas).estimate(e.ast().getExpr()).cost();
        return cost >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(cost);
    }

    /** The real message for a cost over its limit: the factor as the API server prints it. */
    public static String exceeds(String costName, long cost, long limit) {
        double factor = (double) cost / limit;
        String f;
        if (factor > 100.0) f = "more than 100x";
        else if (factor < 1.5) f = String.format(java.util.Locale.ROOT, "%fx", factor);
        else f = String.format(java.util.Locale.ROOT, "%.1fx", factor);
        return costName + " exceeds budget by factor of " + f + " (try simplifying the rule, or adding maxItems, "
                + "maxProperties, and maxLength where arrays, maps, and strings are declared)";
    }

    public static long saturated(double v) {
        return v >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.ceil(v);
    }

    private Est estimate(CelExpr e) {
        switch (e.getKind()) {
            case CONSTANT: {
                CelConstant c = e.constant();
                double size = switch (c.getKind()) {
                    case STRING_VALUE -> c.stringValue().length();
                    case BYTES_VALUE -> c.bytesValue().size();
                    default -> 1;
                };
                return new Est(0, null, size);
            }
            case IDENT: {
                JsonNode schema = variables.get(e.ident().name());
                return new Est(1, schema, sizeOf(schema));
            }
            case SELECT: {
                Est operand = estimate(e.select().operand());
                JsonNode schema = field(operand.schema(), e.select().field());
                return new Est(operand.cost() + 1, schema, sizeOf(schema));
            }
            case LIST: {
                double cost = 10;
                for (CelExpr el : e.list().elements()) cost += estimate(el).cost();
                return new Est(cost, null, e.list().elements().size());
            }
            case MAP: {
                double cost = 30;
                for (var entry : e.map().entries()) cost += estimate(entry.key()).cost() + estimate(entry.value()).cost();
                return new Est(cost, null, e.map().entries().size());
            }
            case STRUCT: {
                double cost = 40;
                for (var entry : e.struct().entries()) cost += estimate(entry.value()).cost();
                return new Est(cost, null, 1);
            }
            case COMPREHENSION:
                return comprehension(e.comprehension());
            case CALL:
                return call(e.call());
            default:
                return new Est(0, null, 1);
        }
    }

    private Est comprehension(CelExpr.CelComprehension c) {
        Est range = estimate(c.iterRange());
        Est init = estimate(c.accuInit());
        // a list's comprehension sees its items; a map's sees its keys, strings of no known schema
        JsonNode element = range.schema() == null ? null : range.schema().get("items");
        JsonNode before = variables.put(c.iterVar(), element);
        double body = estimate(c.loopCondition()).cost() + estimate(c.loopStep()).cost();
        restore(c.iterVar(), before);
        Est result = estimate(c.result());
        return new Est(range.cost() + init.cost() + range.size() * body + result.cost(), null, range.size());
    }

    private void restore(String name, JsonNode before) {
        if (before == null) variables.remove(name);
        else variables.put(name, before);
    }

    private Est call(CelExpr.CelCall call) {
        double args = 0;
        Est target = call.target().map(this::estimate).orElse(null);
        if (target != null) args += target.cost();
        List<CelExpr> argExprs = call.args();
        Est[] a = new Est[argExprs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = estimate(argExprs.get(i));
            args += a[i].cost();
        }
        Est subject = target != null ? target : a.length > 0 ? a[0] : null;
        double subjectSize = subject == null ? 1 : subject.size();
        switch (call.function()) {
            case "matches": {
                Est pattern = target != null ? a[0] : a[1];
                return new Est(args + 1 + traversal(subjectSize) * Math.ceil(0.25 * pattern.size()), null, 1);
            }
            case "contains", "startsWith", "endsWith", "find", "findAll", "indexOf", "lastIndexOf", "split",
                    "lowerAscii", "upperAscii", "trim", "replace", "substring", "charAt", "join", "url", "isURL",
                    "quantity", "isQuantity", "semver", "isSemver", "ip", "isIP", "cidr", "isCIDR":
                return new Est(args + 1 + traversal(subjectSize), null, subjectSize);
            case "_+_": {
                double size = a.length == 2 ? a[0].size() + a[1].size() : subjectSize;
                return new Est(args + 1 + traversal(size), null, size);
            }
            case "_==_", "_!=_": {
                double size = a.length == 2 ? Math.min(a[0].size(), a[1].size()) : 1;
                return new Est(args + 1 + traversal(size), null, 1);
            }
            case "_?_:_":
                return new Est(a[0].cost() + Math.max(a[1].cost(), a[2].cost()), null, Math.max(a[1].size(), a[2].size()));
            case "_[_]": {
                JsonNode container = a.length == 2 ? a[0].schema() : null;
                JsonNode element = container == null ? null
                        : container.has("items") ? container.get("items") : container.get("additionalProperties");
                return new Est(args + 1, element, sizeOf(element));
            }
            default:
                return new Est(args + 1, null, 1);
        }
    }

    /** cel-go's StringTraversalCostFactor: a tenth of a unit per character scanned. */
    private static double traversal(double size) {
        return Math.ceil(0.1 * size);
    }

    /** A property of an object schema by its CEL field name, or an entry of a map schema. */
    private static JsonNode field(JsonNode schema, String field) {
        if (schema == null) return null;
        if ("metadata".equals(field) && !schema.path("properties").has("metadata")) return null;
        for (var it = schema.path("properties").properties().iterator(); it.hasNext(); ) {
            var p = it.next();
            if (field.equals(SchemaCelTypes.escape(p.getKey()))) return p.getValue();
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    /** The largest size a value of this schema has: its length, items or properties, bounded by a request. */
    private static double sizeOf(JsonNode schema) {
        if (schema == null) return MAX_REQUEST_BYTES;
        switch (schema.path("type").asText()) {
            case "string":
                return schema.has("maxLength") ? schema.get("maxLength").asLong() : MAX_REQUEST_BYTES - 2;
            case "array":
                return schema.has("maxItems") ? schema.get("maxItems").asLong() : maxElements(schema.get("items"));
            case "object":
                if (schema.has("maxProperties")) return schema.get("maxProperties").asLong();
                return schema.path("additionalProperties").isObject() ? maxElements(schema.get("additionalProperties")) : 1;
            default:
                return 1;
        }
    }

    /** How many elements of this schema a request can hold: its size less the brackets, over an element's least size. */
    public static long maxElements(JsonNode element) {
        return (MAX_REQUEST_BYTES - 2) / (minSerializedSize(element) + 1);
    }

    /** The shortest JSON of a value of this schema ({@code ""}, {@code 0}, {@code true}, {@code {}}, {@code []}). */
    private static long minSerializedSize(JsonNode schema) {
        if (schema == null) return 1;
        return switch (schema.path("type").asText()) {
            case "string" -> schema.has("minLength") ? schema.get("minLength").asLong() + 2 : 2;
            case "boolean" -> 4;
            case "object", "array" -> 2;
            default -> 1;
        };
    }
}
