package kubefake.client.runtime;

/** A handle on work scheduled for later. */
@FunctionalInterface
public interface Cancellable {
    /** Stops the work if it has not started yet (idempotent); true when this call stopped it. */
    boolean cancel();
}
