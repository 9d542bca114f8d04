package kubefake.client.workqueue;

import java.time.Duration;

/**
 * What a sync asks for next: nothing, or to look at the key again after a delay (controller-runtime's
 * {@code RequeueAfter}: the key's back-off is forgotten and it comes back on the cluster clock).
 */
public record Result(Duration requeueAfter) {
    private static final Result DONE = new Result(null);

    public static Result done() {
        return DONE;
    }

    public static Result requeueAfter(Duration delay) {
        return new Result(delay);
    }

    public boolean requeues() {
        return requeueAfter != null;
    }
}
