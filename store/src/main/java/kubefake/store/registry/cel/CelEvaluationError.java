package kubefake.store.registry.cel;

/**
 * An expression that failed while evaluating; the message is cel-go's ({@code no such key: replicas},
 * {@code division by zero}), which the API server quotes.
 */
public final class CelEvaluationError extends Exception {
    private final boolean budgetExceeded;

    CelEvaluationError(String message, boolean budgetExceeded) {
        super(message, null, false, false);
        this.budgetExceeded = budgetExceeded;
    }

    /** Whether the evaluation ran out of its cost bound (cel-go's "operation cancelled: actual cost limit exceeded"). */
    public boolean budgetExceeded() {
        return budgetExceeded;
    }
}
