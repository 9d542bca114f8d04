package kubefake.client.workqueue;

/**
 * A sync that could not finish for a reason the controller understands (content still to go, an object not there
 * yet): retried with back-off and logged in one line, without a stack trace.
 */
public class SyncException extends RuntimeException {
    public SyncException(String message) {
        super(message, null, false, false);
    }
}
