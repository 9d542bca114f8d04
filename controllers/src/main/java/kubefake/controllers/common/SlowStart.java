package kubefake.controllers.common;

import java.util.function.Supplier;

/**
 * {@code slowStartBatch}: makes up to {@code count} calls in batches of 1, 2, 4, ... and stops after the first batch
 * with a failure, so that a controller whose creates all fail (a quota, a bad template) makes one failing call, not
 * hundreds. In process the calls of a batch run one after the other.
 */
public final class SlowStart {
    /** The first batch's size ({@code controller.SlowStartInitialBatchSize}). */
    public static final int INITIAL_BATCH_SIZE = 1;

    /** How many calls succeeded, and the first failure of the last batch (null when none failed). */
    public record Outcome(int successes, RuntimeException failure) {
    }

    private SlowStart() {
    }

    /** {@code call} returns a failure or null; an exception it throws counts as a failure too. */
    public static Outcome run(int count, Supplier<RuntimeException> call) {
        int remaining = count;
        int successes = 0;
        for (int batch = Math.min(remaining, INITIAL_BATCH_SIZE); batch > 0; batch = Math.min(2 * batch, remaining)) {
            RuntimeException first = null;
            int failed = 0;
            for (int i = 0; i < batch; i++) {
                RuntimeException e;
                try {
                    e = call.get();
                } catch (RuntimeException thrown) {
                    e = thrown;
                }
                if (e != null) {
                    failed++;
                    if (first == null) first = e;
                }
            }
            successes += batch - failed;
            if (first != null) return new Outcome(successes, first);
            remaining -= batch;
        }
        return new Outcome(successes, null);
    }
}
