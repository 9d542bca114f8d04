package kubefake.store.registry.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A compiled, type-checked CEL expression, ready to evaluate against variable values. */
public final class CelExpression {
    private static final Pattern LOCATION = Pattern.compile("^evaluation error(?: at <input>:\\d+)?: ");
    private static final Pattern NO_SUCH_KEY = Pattern.compile("key '(.*)' is not present in map\\.?");

    private final String source;
    private final CelRuntime.Program program;
    private final CelType resultType;
    private final Set<String> referenced;
    private final CelAbstractSyntaxTree ast;

    CelExpression(String source, CelRuntime.Program program, CelAbstractSyntaxTree ast, Set<String> referenced) {
        this.source = source;
        this.ast = ast;
        this.program = program;
        this.resultType = ast.getResultType();
        this.referenced = Set.copyOf(referenced);
    }

    /** The checked syntax tree (what the cost estimate walks). */
    CelAbstractSyntaxTree ast() {
        return ast;
    }

    public String source() {
        return source;
    }

    public boolean returnsBool() {
        return resultType.equals(SimpleType.BOOL);
    }

    public boolean returnsString() {
        return resultType.equals(SimpleType.STRING);
    }

    /** Whether the expression names a variable (e.g. {@code oldSelf}: a transition rule). */
    public boolean references(String variable) {
        return referenced.contains(variable);
    }

    /**
     * The most one evaluation may cost (the API server's PerCallLimit), each evaluated node of the expression one
     * unit, as cel-go's runtime cost counts variables, field selections and calls.
     */
    public static final long PER_CALL_LIMIT = 1_000_000L;

    /** Thrown out of an evaluation that has spent its cost. */
    private static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super("operation cancelled: actual cost limit exceeded", null, false, false);
        }
    }

    /** Evaluates with the given variables (values as {@link CelValues} makes them), within {@link #PER_CALL_LIMIT}. */
    public Object evaluate(Map<String, ?> variables) throws CelEvaluationError {
        long[] cost = {0};
        try {
            return program.trace(variables, (expr, value) -> {
                if (++cost[0] > PER_CALL_LIMIT) throw new OutOfBudget();
            });
        } catch (CelEvaluationException e) {
            if (outOfBudget(e)) throw new CelEvaluationError("operation cancelled: actual cost limit exceeded", true);
            throw translate(e);
        } catch (RuntimeException e) {
            if (outOfBudget(e)) throw new CelEvaluationError("operation cancelled: actual cost limit exceeded", true);
            throw new CelEvaluationError(String.valueOf(e.getMessage()), false);
        }
    }

    private static boolean outOfBudget(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof OutOfBudget) return true;
        return false;
    }

    /** cel-java's evaluation errors in cel-go's words, as the real API server's messages carry them. */
    private static CelEvaluationError translate(CelEvaluationException e) {
        String code = e.getErrorCode() == null ? "" : e.getErrorCode().name();
        if (code.equals("ITERATION_BUDGET_EXCEEDED")) {
            return new CelEvaluationError("operation cancelled: actual cost limit exceeded", true);
        }
        String m = LOCATION.matcher(String.valueOf(e.getMessage())).replaceFirst("");
        Matcher key = NO_SUCH_KEY.matcher(m);
        if (key.matches()) return new CelEvaluationError("no such key: " + key.group(1), false);
        if (m.equals("/ by zero")) return new CelEvaluationError("division by zero", false);
        if (m.equals("% by zero")) return new CelEvaluationError("modulus by zero", false);
        if (m.startsWith("Index out of bounds: ")) {
            return new CelEvaluationError("index out of bounds: " + m.substring("Index out of bounds: ".length()), false);
        }
        return new CelEvaluationError(m, false);
    }
}
